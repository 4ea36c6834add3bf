"""What the rules of one evaluation share: the dossier, the as-of date, and lookups made once."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import NamedTuple, TypeVar

from attrs import field, frozen

from rulekit.calendar import add_years
from rulekit.codec import EVIDENCE_TYPE_OF
from rulekit.decision import Evidence, EvidenceItem, NotCounted
from rulekit.dossier import (
    BlockResult,
    Dossier,
    Experience,
    Internship,
    Result,
    UnitResult,
    Via,
    Waiver,
)
from rulekit.months import Span
from rulekit.ordering import item_sort_key, sorted_items

T = TypeVar("T")
Period = TypeVar("Period", Experience, Internship)
ONE_DAY = timedelta(days=1)


def valid_from(as_of: date, years: int) -> date:
    """Return the earliest day a component may have been acquired and still count on ``as_of``.

    A component acquired on ``d`` has expired on ``as_of`` when ``as_of`` is on or after
    ``add_years(d, years) + 1 day`` (:meth:`Context.expires_on`). ``add_years`` never
    decreases as ``d`` grows, so the acquisition days still valid on ``as_of`` are exactly
    those from one day on: this one, found once per evaluation rather than an anniversary
    computed per item. Starting from ``as_of`` moved back ``years`` years, the clamping of
    29 February moves the answer by a day at most.
    """
    day = add_years(as_of, -years)
    while add_years(day, years) < as_of:
        day += ONE_DAY
    while add_years(day - ONE_DAY, years) >= as_of:
        day -= ONE_DAY
    return day


def evidence(item: EvidenceItem) -> Evidence:
    """Return the evidence citing a dossier item."""
    return Evidence(EVIDENCE_TYPE_OF[type(item)], item)


@cache
def fte_fraction(fte: float) -> Fraction:
    """Return an ``fte`` as the exact decimal it was written as (0.1 is 1/10, not binary).

    Remembered: a dossier's fractions of full time are few and repeat (1.0, 0.5…).
    """
    return Fraction(Decimal(repr(fte)))


_FULL_TIME = Fraction(1)


class ComponentStatus(NamedTuple):
    """Whether a unit or bloc code counts as of the evaluation date, and why not if not.

    ``counted``: the passed item used (the most recent valid one); ``not_counted``: the
    other items of that code that did not count, each with its reason (``failed``,
    ``in_progress``, ``after_as_of``, ``expired``); ``expired_on``: for an expired code with
    no valid item, the date its most recent item expired.

    A named tuple, not an attrs class: one is made for every code a dossier holds, on every
    evaluation, and a tuple is the cheapest immutable record to build.
    """

    counted: UnitResult | BlockResult | None
    not_counted: tuple[NotCounted, ...]
    expired_on: date | None = None


_NOTHING = ComponentStatus(None, ())
"""The status of a code the dossier does not hold."""


@frozen
class Components:
    """What the declaration says of its units and blocs, compiled once.

    ``titles``: each unit and bloc code's title; ``acquired_by``: for each unit code that
    restricts it, the ways (``via``) it may be acquired; ``counts_from``: components
    acquired before this date do not count.
    """

    titles: Mapping[str, str] = field(factory=dict)
    acquired_by: Mapping[str, frozenset[Via]] = field(factory=dict)
    counts_from: date | None = None


NO_COMPONENT_RULES = Components()


class Context:
    """One dossier evaluated as of one date; caches what several rules or tracks need."""

    def __init__(
        self,
        dossier: Dossier,
        as_of: date,
        validity_years: int | None,
        *,
        components: Components | None = None,
    ) -> None:
        self.dossier = dossier
        self.as_of = as_of
        self.validity_years = validity_years
        self._valid_from = None if validity_years is None else valid_from(as_of, validity_years)
        self.components = components or NO_COMPONENT_RULES
        self._cache: dict[Hashable, object] = {}
        self.results: dict[int, object] = {}
        """Requirement results by rule identity, so a rule shared by tracks runs once."""
        units: dict[str, list[UnitResult]] = {}
        for unit in dossier.units:
            units.setdefault(unit.code, []).append(unit)
        blocks: dict[str, list[BlockResult]] = {}
        for block in dossier.blocks:
            blocks.setdefault(block.code, []).append(block)
        self._units = units
        self._blocks = blocks
        self._unit_status: dict[str, ComponentStatus] = {}
        self._block_status: dict[str, ComponentStatus] = {}
        self._unit_codes: list[str] | None = None
        self._waivers: dict[str, list[Waiver]] = {}
        for waiver in dossier.waivers:
            if waiver.date <= as_of:
                self._waivers.setdefault(waiver.requirement, []).append(waiver)

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

    def cite(self, item: EvidenceItem) -> Evidence:
        """Return the evidence citing a dossier item, with its declared title if any."""
        code = getattr(item, "code", None)
        title = self.components.titles.get(code) if code is not None else None
        return Evidence(EVIDENCE_TYPE_OF[type(item)], item, title)

    def _reason(self, item: UnitResult | BlockResult) -> str | None:  # noqa: PLR0911
        """Why ``item`` does not count as of the date (``None``: it counts)."""
        if item.result is Result.FAILED:
            return "failed"
        if item.result is Result.IN_PROGRESS:
            return "in_progress"
        if item.date is None or item.date > self.as_of:
            return "after_as_of"
        rules = self.components
        if rules.counts_from is not None and item.date < rules.counts_from:
            return "before_registration"
        if isinstance(item, UnitResult):
            accepted = rules.acquired_by.get(item.code)
            if accepted is not None and item.via not in accepted:
                return "route_not_accepted"
        if self._valid_from is not None and item.date < self._valid_from:
            return "expired"  # the same as ``as_of >= expires_on(item.date)``, one comparison
        return None

    def _status(self, items: Sequence[UnitResult | BlockResult]) -> ComponentStatus:
        if len(items) == 1:  # the common case: one result per code
            item = items[0]
            reason = self._reason(item)
            if reason is None:
                return ComponentStatus(item, ())
            expired = self.expires_on(item.date) if reason == "expired" and item.date else None
            return ComponentStatus(None, (NotCounted(self.cite(item), reason),), expired)
        counted: UnitResult | BlockResult | None = None
        not_counted: list[NotCounted] = []
        latest_expiry: date | None = None
        for item in sorted_items(items):
            reason = self._reason(item)
            if reason is None:
                assert item.date is not None
                if counted is None or (counted.date is not None and item.date > counted.date):
                    counted = item
                continue
            if reason == "expired":
                assert item.date is not None
                expiry = self.expires_on(item.date)
                assert expiry is not None
                latest_expiry = expiry if latest_expiry is None else max(latest_expiry, expiry)
            not_counted.append(NotCounted(self.cite(item), reason))
        return ComponentStatus(counted, tuple(not_counted), None if counted else latest_expiry)

    def unit(self, code: str) -> ComponentStatus:
        """Return whether unit ``code`` counts as of the evaluation date."""
        status = self._unit_status.get(code)
        if status is None:
            items = self._units.get(code)
            status = self._unit_status[code] = self._status(items) if items else _NOTHING
        return status

    def block(self, code: str) -> ComponentStatus:
        """Return whether bloc ``code`` counts as of the evaluation date."""
        status = self._block_status.get(code)
        if status is None:
            items = self._blocks.get(code)
            status = self._block_status[code] = self._status(items) if items else _NOTHING
        return status

    def unit_codes(self) -> list[str]:
        """Return, sorted, the codes of the units that count as of the evaluation date."""
        if self._unit_codes is None:
            self._unit_codes = sorted(c for c in self._units if self.unit(c).counted)
        return self._unit_codes

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
            fraction = fte_fraction(period.fte) if isinstance(period, Experience) else _FULL_TIME
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
