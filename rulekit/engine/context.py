"""What the rules of one evaluation share: the dossier, the as-of date, and lookups made once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from attrs import frozen

from rulekit.calendar import add_years
from rulekit.codec import EVIDENCE_TYPE_OF
from rulekit.decision import Evidence, EvidenceItem, NotCounted
from rulekit.dossier import BlockResult, Dossier, Experience, Internship, Result, UnitResult, Waiver
from rulekit.months import Span
from rulekit.ordering import item_sort_key, sorted_items

T = TypeVar("T")
Period = TypeVar("Period", Experience, Internship)
ONE_DAY = timedelta(days=1)


def evidence(item: EvidenceItem) -> Evidence:
    """Return the evidence citing a dossier item."""
    return Evidence(EVIDENCE_TYPE_OF[type(item)], item)


def fte_fraction(fte: float) -> Fraction:
    """Return an ``fte`` as the exact decimal it was written as (0.1 is 1/10, not binary)."""
    return Fraction(Decimal(repr(fte)))


@frozen
class ComponentStatus:
    """Whether a unit or bloc code counts as of the evaluation date, and why not if not.

    ``counted``: the passed item used (the most recent valid one); ``not_counted``: the
    other items of that code that did not count, each with its reason (``failed``,
    ``in_progress``, ``after_as_of``, ``expired``); ``expired_on``: for an expired code with
    no valid item, the date its most recent item expired.
    """

    counted: UnitResult | BlockResult | None
    not_counted: tuple[NotCounted, ...]
    expired_on: date | None = None


class Context:
    """One dossier evaluated as of one date; caches what several rules or tracks need."""

    def __init__(self, dossier: Dossier, as_of: date, validity_years: int | None) -> None:
        self.dossier = dossier
        self.as_of = as_of
        self.validity_years = validity_years
        self._cache: dict[Hashable, object] = {}
        units: defaultdict[str, list[UnitResult]] = defaultdict(list)
        for unit in dossier.units:
            units[unit.code].append(unit)
        blocks: defaultdict[str, list[BlockResult]] = defaultdict(list)
        for block in dossier.blocks:
            blocks[block.code].append(block)
        self._units = dict(units)
        self._blocks = dict(blocks)
        self._waivers: dict[str, list[Waiver]] = defaultdict(list)
        for waiver in dossier.waivers:
            if waiver.date <= as_of:
                self._waivers[waiver.requirement].append(waiver)

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return ``compute()``, computed once per evaluation for ``key``."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]  # type: ignore[return-value]

    def expires_on(self, acquired: date) -> date | None:
        """Return the first day a component acquired on ``acquired`` no longer counts.

        A validity of N years runs through ``acquired + N years`` inclusive (Code de
        procédure civile, art. 641 and 642; specs/core.md, Validity): it has expired the
        day after.
        """
        if self.validity_years is None:
            return None
        return add_years(acquired, self.validity_years) + ONE_DAY

    def _status(self, items: Sequence[UnitResult | BlockResult]) -> ComponentStatus:
        counted: UnitResult | BlockResult | None = None
        not_counted: list[NotCounted] = []
        latest_expiry: date | None = None
        for item in sorted_items(items):
            if item.result is Result.FAILED:
                reason = "failed"
            elif item.result is Result.IN_PROGRESS:
                reason = "in_progress"
            elif item.date is None or item.date > self.as_of:
                reason = "after_as_of"
            else:
                expiry = self.expires_on(item.date)
                if expiry is not None and self.as_of >= expiry:
                    reason = "expired"
                    latest_expiry = expiry if latest_expiry is None else max(latest_expiry, expiry)
                else:
                    assert item.date is not None
                    if counted is None or (counted.date is not None and item.date > counted.date):
                        counted = item
                    continue
            not_counted.append(NotCounted(evidence(item), reason))
        return ComponentStatus(counted, tuple(not_counted), None if counted else latest_expiry)

    def unit(self, code: str) -> ComponentStatus:
        """Return whether unit ``code`` counts as of the evaluation date."""
        return self.cached(("unit", code), lambda: self._status(self._units.get(code, [])))

    def block(self, code: str) -> ComponentStatus:
        """Return whether bloc ``code`` counts as of the evaluation date."""
        return self.cached(("block", code), lambda: self._status(self._blocks.get(code, [])))

    def unit_codes(self) -> list[str]:
        """Return, sorted, the codes of the units that count as of the evaluation date."""
        return self.cached(
            "unit_codes", lambda: sorted(c for c in self._units if self.unit(c).counted)
        )

    def experience_spans(self, *, in_field_only: bool) -> tuple[list[Span], list[Experience]]:
        """Return experience periods cut at the as-of date, and the periods they come from."""
        return self.cached(
            ("experience", in_field_only),
            lambda: self._spans(self.dossier.experience, in_field_only),
        )

    def internship_spans(self, *, in_field_only: bool) -> tuple[list[Span], list[Internship]]:
        """Return internships counted by their days, cut at the as-of date, and their items.

        Internships stating ``hours`` are left out: they are counted by presence.
        """
        return self.cached(
            ("internship", in_field_only),
            lambda: self._spans(self.dossier.internships, in_field_only),
        )

    def _spans(
        self, periods: Iterable[Period], in_field_only: bool
    ) -> tuple[list[Span], list[Period]]:
        spans: list[Span] = []
        used: list[Period] = []
        seen: set[Period] = set()
        for period in periods:
            # The same item listed twice is one period, not two half-time jobs: duplicating
            # a period changes nothing (specs/core.md, Months).
            if period in seen:
                continue
            seen.add(period)
            if in_field_only and not period.in_field:
                continue
            if isinstance(period, Internship) and period.hours is not None:
                continue  # counted by its hours of presence (specs/core.md, Internship)
            if period.start > self.as_of:
                continue
            end = self.as_of if period.end is None else min(period.end, self.as_of)
            fraction = fte_fraction(period.fte) if isinstance(period, Experience) else Fraction(1)
            spans.append(Span(period.start, end, fraction))
            used.append(period)
        return spans, sorted_items(used)

    def waiver(self, requirement: str) -> Waiver | None:
        """Return the waiver of ``requirement`` granted on or before the as-of date, if any.

        With several, the earliest (then canonical order) is cited.
        """
        waivers = self._waivers.get(requirement)
        if not waivers:
            return None
        return min(waivers, key=lambda w: (w.date, item_sort_key(w)))
