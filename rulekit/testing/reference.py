"""A deliberately plain evaluator, written from the specs (issue 2's semantics) alone.

Invariant 9 checks the engine against it on every generated dossier. It shares no engine
code: it reads the declaration (plain data) and the dossier as parsed JSON, and imports
nothing from ``rulekit.engine``, ``rulekit.rules``, ``rulekit.months``,
``rulekit.matching``, ``rulekit.calendar`` nor ``rulekit.codec`` (a test checks its imports).
It favours obviousness over speed: months are counted day by day, choice groups are
filled by trying every combination.

The rules, as the specs word them:

- As of a date: only results dated on or before it count; periods are cut at it; ongoing
  periods run to it; a waiver counts from the day it was granted.
- A unit or bloc counts when passed (an exemption is a pass), dated on or before the as-of
  date, and, when components expire after N years, while as-of < date + N years (29
  February + N years being 28 February).
- Units: every mandatory unit counts. Choice: each group gets its own ``choose`` distinct
  units among its list, none of them used by a mandatory slot that is filled (a unit
  counts once; mandatory slots come first).
- Months: the working fraction of a day is the sum of the fte of the periods covering it,
  capped at 1; consecutive days of equal fraction form a stretch; a stretch from a to b
  counts (m + r/s) x fraction, m the most whole months with a + m months <= b + 1 day, r
  the days from a + m months to b + 1 day, s the days from a + m months to a + m + 1 months
  (adding months clamps to the month's last day). The same item listed twice is one period.
- Experience: met when a passed attesting unit counts, else when the months of experience
  (in the field only, if the rule says so) reach the threshold.
- Internship: met when an attesting unit counts, or when experience in the field reaches
  the threshold below which the internship is required, else when the months of
  internships (in the field, if the rule says so) reach the rule's months.
- Blocs: every bloc counts. Registration: the as-of date is in the window (both ends
  inclusive), or the learner enrolled inside it and the award deadline, if any, has not
  passed.
- A waiver of a requirement granted on or before the as-of date makes it met.
- With no track named, every track is evaluated and the best reported: eligible first,
  then fewest unmet requirements, then the first declared (a choice the specs leave open).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from fractions import Fraction
from itertools import combinations
from typing import Any, NamedTuple, Protocol

from rulekit.declaration import Certification, Track

ONE_DAY = timedelta(days=1)


class Verdict(NamedTuple):
    """The reference's answer: outcome, reported track, its unmet ids, every track's."""

    outcome: str
    track: str
    unmet: frozenset[str]
    per_track: Mapping[str, frozenset[str]]


# -- calendar -----------------------------------------------------------------------------


def plus_months(day: date, count: int) -> date:
    """``day`` moved by ``count`` months, clamped to the last day of the month reached."""
    month_index = day.month - 1 + count
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def plus_years(day: date, count: int) -> date:
    """``day`` moved by ``count`` years; 29 February becomes 28 February when needed."""
    if day.month == 2 and day.day == 29 and not calendar.isleap(day.year + count):
        return date(day.year + count, 2, 28)
    return date(day.year + count, day.month, day.day)


def parse(text: str | None) -> date | None:
    """A dossier date (already validated), or ``None``."""
    return None if text is None else date.fromisoformat(text)


# -- components -----------------------------------------------------------------------------


def component_counts(item: Mapping[str, Any], as_of: date, validity: int | None) -> bool:
    """Whether a unit or bloc result counts on ``as_of``."""
    if item["result"] != "passed":
        return False
    acquired = parse(item.get("date"))
    if acquired is None or acquired > as_of:
        return False
    return validity is None or as_of < plus_years(acquired, validity)


def codes_that_count(items: list[Mapping[str, Any]], as_of: date, validity: int | None) -> set[str]:
    """The codes with at least one result that counts."""
    return {item["code"] for item in items if component_counts(item, as_of, validity)}


def groups_can_be_filled(track: Track, available: set[str]) -> bool:
    """Whether every choice group gets its own ``choose`` distinct units from ``available``."""

    def fill(index: int, left: set[str]) -> bool:
        if index == len(track.choices):
            return True
        group = track.choices[index]
        candidates = sorted(left & group.codes)
        return any(
            fill(index + 1, left - set(picked)) for picked in combinations(candidates, group.choose)
        )

    return fill(0, set(available))


# -- months --------------------------------------------------------------------------------


def months_of_stretch(first: date, last: date) -> Fraction:
    """Months from ``first`` to ``last`` inclusive at full time: m + r/s (see module doc)."""
    stop = last + ONE_DAY
    whole = 0
    while plus_months(first, whole + 1) <= stop:
        whole += 1
    anchor = plus_months(first, whole)
    remainder = (stop - anchor).days
    month_length = (plus_months(first, whole + 1) - anchor).days
    return whole + Fraction(remainder, month_length)


def months_worked(periods: list[tuple[date, date, Fraction]]) -> Fraction:
    """Months proved by periods ``(first day, last day, fraction)``, day by day."""
    per_day: dict[date, Fraction] = {}
    for first, last, fraction in periods:
        day = first
        while day <= last:
            per_day[day] = per_day.get(day, Fraction(0)) + fraction
            day += ONE_DAY
    total = Fraction(0)
    stretch_start: date | None = None
    previous: date | None = None
    level = Fraction(0)
    for day in sorted(per_day):
        today = min(per_day[day], Fraction(1))
        if stretch_start is not None and previous is not None:
            if previous + ONE_DAY == day and today == level:
                previous = day
                continue
            total += months_of_stretch(stretch_start, previous) * level
        stretch_start, previous, level = day, day, today
    if stretch_start is not None and previous is not None:
        total += months_of_stretch(stretch_start, previous) * level
    return total


def periods_as_of(
    items: list[Mapping[str, Any]], as_of: date, *, in_field_only: bool, with_fte: bool
) -> list[tuple[date, date, Fraction]]:
    """Periods cut at ``as_of`` (ongoing ones run to it), each listed item once."""
    seen: list[Mapping[str, Any]] = []
    periods = []
    for item in items:
        if item in seen:
            continue
        seen.append(item)
        if in_field_only and not item["in_field"]:
            continue
        first = parse(item["start"])
        assert first is not None
        if first > as_of:
            continue
        end = parse(item.get("end"))
        last = as_of if end is None or end > as_of else end
        fraction = Fraction(str(item.get("fte", 1.0))) if with_fte else Fraction(1)
        periods.append((first, last, fraction))
    return periods


# -- requirements ----------------------------------------------------------------------------


class Plain:
    """The plain helpers a kind's reference semantics are written with (day by day)."""

    parse = staticmethod(parse)
    codes_that_count = staticmethod(codes_that_count)
    groups_can_be_filled = staticmethod(groups_can_be_filled)

    @staticmethod
    def unit_counts(certification: Certification, item: Mapping[str, Any], as_of: date) -> bool:
        """Whether one unit result counts on ``as_of``.

        Passed, dated, still valid, not before the first day components count, and
        acquired a way the declaration accepts for its code.
        """
        if not component_counts(item, as_of, certification.validity_years):
            return False
        first = certification.components_from
        if first is not None and date.fromisoformat(item["date"]) < first:
            return False
        for track in certification.tracks:
            for unit in (*track.mandatory, *(u for g in track.choices for u in g.units)):
                if unit.code == item["code"] and unit.acquired_by:
                    return item.get("via", "exam") in unit.acquired_by
        return True

    @staticmethod
    def units_that_count(
        certification: Certification, dossier: Mapping[str, Any], as_of: date
    ) -> set[str]:
        """The unit codes with a result that counts on ``as_of``."""
        return {
            item["code"]
            for item in dossier.get("units", [])
            if Plain.unit_counts(certification, item, as_of)
        }

    @staticmethod
    def blocs_that_count(
        certification: Certification, dossier: Mapping[str, Any], as_of: date
    ) -> set[str]:
        """The bloc codes with a result that counts on ``as_of``."""
        first = certification.components_from
        return {
            item["code"]
            for item in dossier.get("blocks", [])
            if component_counts(item, as_of, certification.validity_years)
            and (first is None or date.fromisoformat(item["date"]) >= first)
        }

    @staticmethod
    def experience_reaches(
        dossier: Mapping[str, Any], as_of: date, months: int, *, in_field_only: bool
    ) -> bool:
        """Whether the dossier's experience (in the field only, if asked) reaches ``months``."""
        periods = periods_as_of(
            dossier.get("experience", []), as_of, in_field_only=in_field_only, with_fte=True
        )
        return months_worked(periods) >= months

    @staticmethod
    def internship_reaches(
        dossier: Mapping[str, Any], as_of: date, months: int, *, in_field_only: bool
    ) -> bool:
        """Whether the dossier's internships (in the field only, if asked) reach ``months``."""
        periods = periods_as_of(
            dossier.get("internships", []), as_of, in_field_only=in_field_only, with_fte=False
        )
        return months_worked(periods) >= months


class KindSemantics(Protocol):
    """A requirement kind, as far as the reference needs it (its ``reference`` method)."""

    def reference(
        self,
        certification: Certification,
        track: Track,
        dossier: Mapping[str, Any],
        as_of: date,
        plain: Plain,
    ) -> Mapping[str, bool] | None:
        """Each requirement of this kind in ``track``: met or not (before waivers)."""
        ...


def track_requirements(
    certification: Certification,
    track: Track,
    dossier: Mapping[str, Any],
    as_of: date,
    kinds: Sequence[KindSemantics],
) -> dict[str, bool]:
    """Each requirement of ``track``: met or not, waivers included.

    Each kind's own reference semantics decide; custom requirements come from the kinds
    too, since a kind's ``reference`` reads the declaration's custom requirements of its
    own kind.

    :raises NotImplementedError: for a custom requirement no kind's semantics answer.
    """
    met: dict[str, bool] = {}
    for kind in kinds:
        answer = kind.reference(certification, track, dossier, as_of, Plain())
        if answer is not None:
            met.update(answer)
    unknown = sorted({c.kind for c in certification.custom if c.id not in met})
    if unknown:
        raise NotImplementedError(f"custom requirement kinds ({', '.join(unknown)})")
    waived = {
        waiver["requirement"]
        for waiver in dossier.get("waivers", [])
        if date.fromisoformat(waiver["date"]) <= as_of
    }
    return {requirement: ok or requirement in waived for requirement, ok in met.items()}


def evaluate(
    certification: Certification,
    dossier: Mapping[str, Any],
    as_of: date,
    track: str | None,
    *,
    kinds: Sequence[KindSemantics],
) -> Verdict:
    """The reference decision for a valid dossier (JSON) as of ``as_of``.

    :param kinds: the registered requirement kinds (``Registry.kinds``), whose reference
        semantics decide each requirement.
    """
    named = track if track is not None else dossier.get("track")
    tracks = [t for t in certification.tracks if named is None or t.id == named]
    results = []
    for candidate in tracks:
        met = track_requirements(certification, candidate, dossier, as_of, kinds)
        unmet = frozenset(requirement for requirement, ok in met.items() if not ok)
        results.append((candidate.id, unmet))
    best_track, best_unmet = min(results, key=lambda r: (len(r[1]) > 0, len(r[1])))
    return Verdict(
        outcome="not_eligible" if best_unmet else "eligible",
        track=best_track,
        unmet=best_unmet,
        per_track=dict(results),
    )
