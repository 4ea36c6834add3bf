"""Kind ``experience``: months of professional experience, or a unit that attests them.

The measure is :mod:`rulekit.months` (specs/core.md, "Months"); the evaluation itself is
:class:`ExperienceRequirement` below;
the helpers both kinds share are in :mod:`rulekit.kinds.periods`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from attrs import frozen

from rulekit import messages
from rulekit.decision import Basis, Enrolment, Flag, Message, RequirementResult
from rulekit.declaration import Certification, ExperienceCounting, ExperienceRule, Track
from rulekit.dossier import Result
from rulekit.engine.context import Context, evidence
from rulekit.french import colon, day, number, the_unit
from rulekit.kinds.base import Kind, LintIssue
from rulekit.kinds.periods import (
    attested,
    attesting_attempts,
    attesting_unit,
    experience_days,
    floor_hundredths,
    months_result,
)
from rulekit.kinds.units import unit_code_issue
from rulekit.months import required_days
from rulekit.ordering import sorted_items
from rulekit.rules import Rule

if TYPE_CHECKING:
    from rulekit.kit.witness import WitnessPlan
    from rulekit.testing.reference import Plain
    from rulekit.testing.scenarios import ScenarioPlan

ID = "experience"
"""The requirement id of this kind."""


@frozen
class ExperienceRequirement:
    """At least ``rule.months`` months of experience, or a passed attesting unit."""

    rule: ExperienceRule
    id: str = ID

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Return the ``experience`` requirement."""
        unit = attesting_unit(ctx, self.rule.attested_by)
        if unit is not None:
            return attested(
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
            not_counted=attesting_attempts(ctx, self.rule.attested_by),
        )


class ExperienceKind(Kind):
    """At least N months of professional experience."""

    kind = ID
    requirement_ids = (ID,)

    def requirements(self, certification: Certification, track: Track) -> Sequence[Rule]:
        """One ``experience`` rule, shared by every track, when the title asks for it."""
        rule = certification.experience
        return (ExperienceRequirement(rule),) if rule is not None else ()

    def flags(
        self,
        ctx: Context,
        certification: Certification,
        results: Mapping[str, RequirementResult],
    ) -> Iterable[Flag]:
        """``attesting_unit_failed`` and ``entry_prerequisite`` (specs/core.md, "Flags")."""
        rule = certification.experience
        result = results.get(ID)
        if rule is None or result is None:
            return
        if result.basis is Basis.EVIDENCE:
            yield from _attesting_unit_failed(ctx, rule)
        yield from _entry_prerequisite(ctx, rule)

    def fields(self, requirement_id: str) -> tuple[str, ...]:
        """The experience rule."""
        return ("experience",)

    def lint(self, certification: Certification) -> Iterable[LintIssue]:
        """A rule asking for no month; malformed attesting unit codes."""
        rule = certification.experience
        if rule is None:
            return
        if rule.months <= 0:
            yield LintIssue(
                "experience.months",
                "vacuous-rule",
                f"{rule.months} months of experience: the rule asks for nothing",
            )
        for code in rule.attested_by:
            yield from unit_code_issue(code, "experience.attested_by")

    def witness(self, plan: WitnessPlan) -> None:
        """One in-field period ending on the as-of date, or the attesting unit."""
        rule = plan.certification.experience
        if rule is None:
            return
        plan.in_field_months = max(plan.in_field_months, rule.months)
        plan.attestable(rule.attested_by)

    def explain(self, plan: WitnessPlan, requirement_id: str, message: str) -> tuple[str, bool]:
        """The most favourable periods were tried: their failure is a proof."""
        return f"even the most favourable periods fail: {message}", True

    def reference(
        self,
        certification: Certification,
        track: Track,
        dossier: Mapping[str, Any],
        as_of: date,
        plain: Plain,
    ) -> Mapping[str, bool] | None:
        """An attesting unit counts, or the months of experience reach the rule's."""
        rule = certification.experience
        if rule is None:
            return {}
        held = plain.units_that_count(certification, dossier, as_of)
        in_field = rule.counting is ExperienceCounting.IN_FIELD
        return {
            ID: bool(held & set(rule.attested_by))
            or plain.experience_reaches(dossier, as_of, rule.months, in_field_only=in_field)
        }

    def defects(self, certification: Certification, track: Track) -> Sequence[tuple[str, str]]:
        """Periods just short of the months required."""
        rule = certification.experience
        return [(ID, "short")] if rule is not None and rule.months > 0 else []

    def prepare(self, plan: ScenarioPlan) -> None:
        """With experience as the target, no unit may attest it."""
        rule = plan.certification.experience
        if rule is not None and plan.target == ID:
            plan.avoid_units.update(rule.attested_by)

    def scenario(self, plan: ScenarioPlan) -> None:
        """Periods of the months required (just short for the defect), or an attesting unit.

        In-field experience long enough also makes an internship needless: a plan that
        must keep the internship required (``avoid_in_field``) draws it out of the field.
        """
        rule = plan.certification.experience
        if rule is None or ID in plan.omitted:
            return
        modes = ["in_field"]
        if rule.counting is ExperienceCounting.ALL:
            modes.append("out_of_field")
            if plan.avoid_in_field:
                modes = ["out_of_field"]
        usable = sorted(set(rule.attested_by) - plan.avoid_units)
        if usable and plan.target != ID:
            modes.append("attested")
        mode = plan.draw_from(modes)
        if mode == "attested":
            code = plan.draw_from(usable)
            plan.builder.component("units", code)
            plan.attested.add(code)
            return
        short = plan.target == ID
        in_field = mode == "in_field"
        plan.builder.periods("experience", rule.months, short=short, in_field=in_field)
        plan.in_field_months = rule.months if in_field and not short else 0


def _attesting_unit_failed(ctx: Context, rule: ExperienceRule) -> Iterable[Flag]:
    """An attesting unit's latest result is a failure while periods prove the experience."""
    for code in rule.attested_by:
        dated = sorted_items(u for u in ctx.dossier.units if u.code == code and u.date)
        if not dated:
            continue
        latest = max(dated, key=lambda unit: (unit.date or date.min, unit.result.value))
        if latest.result is not Result.FAILED or latest.date is None:
            continue
        noun = the_unit(code, "fr")
        yield Flag(
            code="attesting_unit_failed",
            message=Message(
                fr=f"{noun[:1].upper()}{noun[1:]} est ajournée (dernier résultat du "
                f"{day(latest.date, 'fr')}) alors que les périodes déclarées justifient "
                f"l'expérience professionnelle{colon('fr')} le jury appréciera.",
                en=f"Unit {code} was failed (latest result on {day(latest.date, 'en')}) "
                "while the declared periods prove the professional experience: for the "
                "jury to weigh.",
            ),
            evidence=(ctx.cite(latest),),
        )


def _entry_prerequisite(ctx: Context, rule: ExperienceRule) -> Iterable[Flag]:
    """Less experience than a source asks to *enter* training, as of the enrolment date."""
    enrolled = ctx.dossier.enrolled_on
    if rule.entry_months is None or enrolled is None or enrolled > ctx.as_of:
        return
    # The measure of the requirement itself, as of the enrolment date; units do not count.
    at_entry = Context(ctx.dossier, enrolled, ctx.validity_years, components=ctx.components)
    days = experience_days(at_entry, in_field_only=rule.counting is ExperienceCounting.IN_FIELD)
    if days >= required_days(rule.entry_months):
        return
    proven_fr = number(floor_hundredths(days), "fr")
    proven_en = number(floor_hundredths(days), "en")
    yield Flag(
        code="entry_prerequisite",
        message=Message(
            fr=f"À l'inscription, le {day(enrolled, 'fr')}, l'expérience professionnelle "
            f"justifiée ({proven_fr} jours) était inférieure aux {rule.entry_months} mois "
            "que la fiche RNCP demande pour entrer en formation. La recevabilité est "
            "examinée selon les conditions de délivrance du titre.",
            en=f"On enrolment, on {day(enrolled, 'en')}, the professional experience proven "
            f"({proven_en} days) was under the {rule.entry_months} months the RNCP fiche asks "
            "to enter training. Eligibility is checked against the conditions of the award.",
        ),
        evidence=(ctx.cite(Enrolment(enrolled)),),
    )


KIND = ExperienceKind()
