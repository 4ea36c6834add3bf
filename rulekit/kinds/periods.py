"""What the experience and internship kinds share: the days measure in decisions.

The rule is in full-time-equivalent days (:mod:`rulekit.months`, specs/core.md "Months"):
k months are met by at least D(k) days; internships stating their hours of presence count
one day per 7 hours and one month per 22 days (Code de l'éducation, art. D124-6). The
comparison is exact; the decision shows days and months floored to 1/100 and missing months
ceiled, so a displayed figure never suggests a threshold is reached when it is not.
"""

from __future__ import annotations

from fractions import Fraction

from attrs import frozen

from rulekit import messages
from rulekit.decision import Basis, Evidence, Measure, Missing, NotCounted, RequirementResult
from rulekit.dossier import Internship, UnitResult
from rulekit.engine.context import Context, evidence
from rulekit.months import days_proven, months_made, presence_days, presence_months, required_days
from rulekit.ordering import sorted_items


def floor_hundredths(value: Fraction) -> float:
    """Return ``value`` rounded down to 1/100 (in integers: exact, whatever the value)."""
    return (value.numerator * 100 // value.denominator) / 100


def ceil_hundredths(value: Fraction) -> float:
    """Return ``value`` rounded up to 1/100 (in integers: exact, whatever the value)."""
    return -(-value.numerator * 100 // value.denominator) / 100


def attesting_unit(ctx: Context, codes: tuple[str, ...]) -> UnitResult | None:
    """Return the first attesting unit that counts as of the date, if any."""
    for code in codes:
        unit = ctx.unit(code).counted
        if isinstance(unit, UnitResult):
            return unit
    return None


def attesting_attempts(ctx: Context, codes: tuple[str, ...]) -> tuple[NotCounted, ...]:
    """Results of the attesting units that do not count, and why (an expired one says so)."""
    return tuple(item for code in codes for item in ctx.unit(code).not_counted)


def attested(requirement: str, unit: UnitResult, what: tuple[str, str]) -> RequirementResult:
    """The requirement met by a passed unit that attests it as a whole (CASP's UASO03)."""
    return RequirementResult(
        id=requirement,
        met=True,
        basis=Basis.ATTESTATION,
        missing=(),
        evidence=(evidence(unit),),
        message=messages.attested(unit.code, *what),
    )


def experience_days(ctx: Context, *, in_field_only: bool) -> Fraction:
    """Return the full-time-equivalent days of experience (optionally in the field only)."""
    spans, _ = ctx.experience_spans(in_field_only=in_field_only)
    return ctx.cached(("experience_days", in_field_only), lambda: days_proven(spans))


@frozen
class Presence:
    """Internships counted by their hours of presence (Code de l'éducation, art. D124-6).

    ``counted``: those ended on or before the as-of date, whose attested hours count;
    ``days``: the days of presence they make, one per whole 7 hours of each;
    ``in_progress``: those stating hours but not ended by the as-of date, which count
    nothing yet (their attestation covers days still to come).
    """

    counted: tuple[Internship, ...]
    days: int
    in_progress: tuple[Internship, ...]


def internship_presence(ctx: Context, *, in_field_only: bool) -> Presence:
    """Return the internships of the dossier counted by hours, as of the date."""

    def compute() -> Presence:
        counted: list[Internship] = []
        running: list[Internship] = []
        for item in set(ctx.dossier.internships):  # an item listed twice is one internship
            if item.hours is None or (in_field_only and not item.in_field):
                continue
            if item.start > ctx.as_of:
                continue
            if item.end is not None and item.end <= ctx.as_of:
                counted.append(item)
            else:
                running.append(item)
        days = sum(presence_days(item.hours or 0) for item in counted)
        return Presence(tuple(sorted_items(counted)), days, tuple(sorted_items(running)))

    return ctx.cached(("internship_presence", in_field_only), compute)


def months_result(
    requirement: str,
    *,
    days: Fraction,
    months: int,
    cited: tuple[Evidence, ...],
    wording: messages.MonthsWording,
    missing_kind: str,
    presence: int = 0,
    not_counted: tuple[NotCounted, ...] = (),
) -> RequirementResult:
    """Return a ``months``-month requirement met by ``cited`` periods, or what it still lacks.

    :param days: the full-time-equivalent days proven by periods counted by their days.
    :param presence: days of presence of internships counted by their hours.
    :param wording: what is counted, in French and English, for the message.
    :param missing_kind: the ``Missing.kind`` naming the months still needed.
    :param not_counted: items that did not count, listed when unmet.
    """
    made = months_made(days, months)
    if presence:
        made += presence_months(presence)
    measure = Measure(
        required=float(months),
        counted=floor_hundredths(made),
        required_days=required_days(months),
        counted_days=floor_hundredths(days),
        presence_days=presence,
    )
    if made >= months:
        return RequirementResult(
            id=requirement,
            met=True,
            basis=Basis.EVIDENCE,
            missing=(),
            evidence=cited,
            message=messages.months_met(wording, measure),
            measure=measure,
        )
    return RequirementResult(
        id=requirement,
        met=False,
        basis=None,
        missing=(Missing(kind=missing_kind, months=ceil_hundredths(months - made)),),
        evidence=cited,
        message=messages.months_missing(wording, measure),
        measure=measure,
        not_counted=not_counted,
    )
