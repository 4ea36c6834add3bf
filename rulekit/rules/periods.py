"""Experience and internship requirements (``experience``, ``internship``), in days.

The rule is in full-time-equivalent days (:mod:`rulekit.months`, specs/core.md "Months"):
k months are met by at least D(k) days; internships stating their hours of presence count
one day per 7 hours and one month per 22 days (Code de l'éducation, art. D124-6). The
comparison is exact; the decision shows days and months floored to 1/100 and missing months
ceiled, so a displayed figure never suggests a threshold is reached when it is not.
"""

from __future__ import annotations

import math
from fractions import Fraction

from attrs import frozen

from rulekit import messages
from rulekit.decision import Basis, Evidence, Measure, Missing, NotCounted, RequirementResult
from rulekit.declaration import ExperienceCounting, ExperienceRule, InternshipRule
from rulekit.dossier import Internship, UnitResult
from rulekit.engine.context import Context, evidence
from rulekit.months import days_proven, months_made, presence_days, presence_months, required_days
from rulekit.ordering import sorted_items


def floor_hundredths(value: Fraction) -> float:
    """Return ``value`` rounded down to 1/100."""
    return math.floor(value * 100) / 100


def ceil_hundredths(value: Fraction) -> float:
    """Return ``value`` rounded up to 1/100."""
    return math.ceil(value * 100) / 100


def _attesting_unit(ctx: Context, codes: tuple[str, ...]) -> UnitResult | None:
    """Return the first attesting unit that counts as of the date, if any."""
    for code in codes:
        unit = ctx.unit(code).counted
        if isinstance(unit, UnitResult):
            return unit
    return None


def _attesting_attempts(ctx: Context, codes: tuple[str, ...]) -> tuple[NotCounted, ...]:
    """Results of the attesting units that do not count, and why (an expired one says so)."""
    return tuple(item for code in codes for item in ctx.unit(code).not_counted)


def _attested(requirement: str, unit: UnitResult, what: tuple[str, str]) -> RequirementResult:
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
    made = months_made(days, months) + presence_months(presence)
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


@frozen
class ExperienceRequirement:
    """At least ``rule.months`` months of experience, or a passed attesting unit."""

    rule: ExperienceRule
    id: str = "experience"

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Return the ``experience`` requirement."""
        unit = _attesting_unit(ctx, self.rule.attested_by)
        if unit is not None:
            return _attested(
                self.id, unit, ("Expérience professionnelle", "Professional experience")
            )
        in_field = self.rule.counting is ExperienceCounting.IN_FIELD
        _, periods = ctx.experience_spans(in_field_only=in_field)
        return months_result(
            self.id,
            days=experience_days(ctx, in_field_only=in_field),
            months=self.rule.months,
            cited=tuple(evidence(period) for period in periods),
            wording=messages.EXPERIENCE,
            missing_kind="experience_months",
            not_counted=_attesting_attempts(ctx, self.rule.attested_by),
        )


@frozen
class InternshipRequirement:
    """An internship of ``rule.months`` months, when the experience in the field is short."""

    rule: InternshipRule
    id: str = "internship"

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Return the ``internship`` requirement."""
        unit = _attesting_unit(ctx, self.rule.attested_by)
        if unit is not None:
            return _attested(self.id, unit, ("Condition de stage", "Internship condition"))
        threshold = self.rule.required_below_in_field_months
        if threshold is not None:
            in_field = experience_days(ctx, in_field_only=True)
            if in_field >= required_days(threshold):
                _, periods = ctx.experience_spans(in_field_only=True)
                return RequirementResult(
                    id=self.id,
                    met=True,
                    basis=Basis.NOT_REQUIRED,
                    missing=(),
                    evidence=tuple(evidence(period) for period in periods),
                    message=messages.internship_not_required(
                        floor_hundredths(in_field),
                        floor_hundredths(months_made(in_field, threshold)),
                        required_days(threshold),
                        threshold,
                    ),
                )
        only_in_field = self.rule.in_field_only
        spans, internships = ctx.internship_spans(in_field_only=only_in_field)
        presence = internship_presence(ctx, in_field_only=only_in_field)
        cited = sorted_items([*internships, *presence.counted])
        running = tuple(NotCounted(evidence(item), "in_progress") for item in presence.in_progress)
        return months_result(
            self.id,
            days=days_proven(spans),
            months=self.rule.months,
            cited=tuple(evidence(item) for item in cited),
            wording=messages.INTERNSHIP,
            missing_kind="internship_months",
            presence=presence.days,
            not_counted=(*running, *_attesting_attempts(ctx, self.rule.attested_by)),
        )
