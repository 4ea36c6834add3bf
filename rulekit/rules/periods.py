"""Experience and internship requirements (``experience``, ``internship``), in months.

Months are measured by :mod:`rulekit.months` and compared exactly; the decision shows
them to 1/100 month, counted months rounded down and missing months rounded up, so a
displayed figure never suggests a threshold is reached when it is not.
"""

from __future__ import annotations

import math
from fractions import Fraction

from attrs import frozen

from rulekit import messages
from rulekit.decision import Basis, Evidence, Measure, Missing, NotCounted, RequirementResult
from rulekit.declaration import ExperienceCounting, ExperienceRule, InternshipRule
from rulekit.dossier import UnitResult
from rulekit.engine.context import Context, evidence
from rulekit.months import months


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


def experience_months(ctx: Context, *, in_field_only: bool) -> Fraction:
    """Return the months of experience (optionally in the field only) as of the date."""
    spans, _ = ctx.experience_spans(in_field_only=in_field_only)
    return ctx.cached(("experience_months", in_field_only), lambda: months(spans))


def months_result(
    requirement: str,
    *,
    counted: Fraction,
    required: int,
    cited: tuple[Evidence, ...],
    kind: tuple[str, str],
    missing_kind: str,
    not_counted: tuple[NotCounted, ...] = (),
) -> RequirementResult:
    """Return a months requirement met by ``cited`` periods, or what it still lacks.

    :param kind: what is counted, in French and English, for the message.
    :param missing_kind: the ``Missing.kind`` naming the months still needed.
    :param not_counted: attesting units that did not count, listed when unmet.
    """
    measure = Measure(required=float(required), counted=floor_hundredths(counted))
    if counted >= required:
        return RequirementResult(
            id=requirement,
            met=True,
            basis=Basis.EVIDENCE,
            missing=(),
            evidence=cited,
            message=messages.months_met(*kind, measure.counted, measure.required),
            measure=measure,
        )
    return RequirementResult(
        id=requirement,
        met=False,
        basis=None,
        missing=(Missing(kind=missing_kind, months=ceil_hundredths(required - counted)),),
        evidence=cited,
        message=messages.months_missing(*kind, measure.counted, measure.required),
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
            counted=experience_months(ctx, in_field_only=in_field),
            required=self.rule.months,
            cited=tuple(evidence(period) for period in periods),
            kind=("Expérience professionnelle", "Professional experience"),
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
            in_field = experience_months(ctx, in_field_only=True)
            if in_field >= threshold:
                _, periods = ctx.experience_spans(in_field_only=True)
                return RequirementResult(
                    id=self.id,
                    met=True,
                    basis=Basis.NOT_REQUIRED,
                    missing=(),
                    evidence=tuple(evidence(period) for period in periods),
                    message=messages.internship_not_required(
                        floor_hundredths(in_field), float(threshold)
                    ),
                )
        spans, internships = ctx.internship_spans(in_field_only=self.rule.in_field_only)
        return months_result(
            self.id,
            counted=months(spans),
            required=self.rule.months,
            cited=tuple(evidence(item) for item in internships),
            kind=("Stage", "Internship"),
            missing_kind="internship_months",
            not_counted=_attesting_attempts(ctx, self.rule.attested_by),
        )
