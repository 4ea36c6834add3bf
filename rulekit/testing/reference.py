"""A deliberately plain evaluator, written from the specs (specs/core.md) alone.

Invariant 9 checks the engine against it on every generated dossier. It shares no engine
code: it reads the declaration (plain data) and the dossier as parsed JSON, and imports
nothing from ``rulekit.engine``, ``rulekit.rules``, ``rulekit.months``,
``rulekit.matching``, ``rulekit.calendar`` nor ``rulekit.codec`` (a test checks its imports).
It favours obviousness over speed: days are counted one by one, choice groups are
filled by trying every combination.

The rules, as the specs word them:

- As of a date: only results dated on or before it count; periods are cut at it; ongoing
  periods run to it; a waiver counts from the day it was granted.
- A unit or bloc counts when passed (an exemption is a pass), dated on or before the as-of
  date, and, when components expire after N years, through date + N years inclusive (29
  February + N years being 28 February; Code de procédure civile, art. 641 and 642).
- Units: every mandatory unit counts. Choice: each group gets its own ``choose`` distinct
  units among its list, none of them used by a mandatory slot that is filled (a unit
  counts once; mandatory slots come first).
- Months: each day weighs the sum of the fte of the periods covering it, capped at 1; the
  days proven are the sum of the weights; k months are met by at least as many days as
  the shortest k consecutive calendar months hold (found by walking every month of 400
  years). The same item listed twice is one period. An internship stating its hours
  counts, once ended, one day per whole 7 hours and one month per 22 such days; one
  without counts its days at full time, d days making k x d / (days of k months).
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
from functools import cache
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
    return validity is None or as_of <= plus_years(acquired, validity)


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


@cache
def shortest_months(count: int) -> int:
    """The fewest days ``count`` consecutive calendar months hold, over 400 years of months."""
    if count == 0:
        return 0
    best = None
    for year in range(2000, 2400):
        for month in range(1, 13):
            days = 0
            for step in range(count):
                index = month - 1 + step
                days += calendar.monthrange(year + index // 12, index % 12 + 1)[1]
            best = days if best is None else min(best, days)
    assert best is not None
    return best


def days_worked(periods: list[tuple[date, date, Fraction]]) -> Fraction:
    """Full-time-equivalent days proved by periods ``(first day, last day, fraction)``."""
    per_day: dict[date, Fraction] = {}
    for first, last, fraction in periods:
        day = first
        while day <= last:
            per_day[day] = per_day.get(day, Fraction(0)) + fraction
            day += ONE_DAY
    return sum((min(weight, Fraction(1)) for weight in per_day.values()), start=Fraction(0))


def months_reached(days: Fraction, count: int) -> bool:
    """Whether ``days`` of work meet a requirement of ``count`` months."""
    return days >= shortest_months(count)


def presence_of(items: list[Mapping[str, Any]], as_of: date, *, in_field_only: bool) -> Fraction:
    """Months of presence of the internships stating hours, ended by ``as_of``.

    7 hours a day, 22 days a month (Code de l'éducation, art. D124-6).
    """
    seen: list[Mapping[str, Any]] = []
    days = 0
    for item in items:
        if item in seen:
            continue
        seen.append(item)
        if item.get("hours") is None or (in_field_only and not item["in_field"]):
            continue
        end = parse(item.get("end"))
        if end is not None and end <= as_of:
            days += item["hours"] // 7
    return Fraction(days, 22)


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
        if item.get("hours") is not None:
            continue  # an internship counted by its hours of presence
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
        return months_reached(days_worked(periods), months)

    @staticmethod
    def internship_reaches(
        dossier: Mapping[str, Any], as_of: date, months: int, *, in_field_only: bool
    ) -> bool:
        """Whether the dossier's internships (in the field only, if asked) reach ``months``.

        Those stating hours count their months of presence; the others their days at full
        time, d days making months x d / (days of the shortest ``months`` months).
        """
        stays = dossier.get("internships", [])
        periods = periods_as_of(stays, as_of, in_field_only=in_field_only, with_fte=False)
        by_days = days_worked(periods)
        made = Fraction(months) * by_days / shortest_months(months) if months else Fraction(0)
        return made + presence_of(stays, as_of, in_field_only=in_field_only) >= months


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
