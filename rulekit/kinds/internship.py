"""Kind ``internship``: an internship of N months, when experience in the field is short.

The measure is :mod:`rulekit.months` (specs/core.md, "Months"); the evaluation itself is
:class:`InternshipRequirement` below;
the helpers both kinds share are in :mod:`rulekit.kinds.periods`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from rulekit import messages
from rulekit.decision import Basis, Flag, Message, NotCounted, RequirementResult
from rulekit.declaration import Certification, ExperienceCounting, InternshipRule, Track
from rulekit.dossier import Internship
from rulekit.engine.context import Context, evidence
from rulekit.french import day
from rulekit.kinds import experience
from rulekit.kinds.base import Kind, LintIssue
from rulekit.kinds.periods import (
    attested,
    attesting_attempts,
    attesting_unit,
    experience_days,
    floor_hundredths,
    internship_presence,
    months_result,
)
from rulekit.kinds.units import unit_code_issue
from rulekit.months import days_proven, months_made, required_days
from rulekit.ordering import sorted_items
from rulekit.rules import Rule

if TYPE_CHECKING:
    from rulekit.kit.witness import WitnessPlan
    from rulekit.testing.reference import Plain
    from rulekit.testing.scenarios import ScenarioPlan

ID = "internship"
"""The requirement id of this kind."""


@frozen
class InternshipRequirement:
    """An internship of ``rule.months`` months, when the experience in the field is short."""

    rule: InternshipRule
    id: str = ID

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Return the ``internship`` requirement."""
        unit = attesting_unit(ctx, self.rule.attested_by)
        if unit is not None:
            return attested(self.id, unit, ("Condition de stage", "Internship condition"))
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
        result = months_result(
            self.id,
            days=days_proven(spans),
            months=self.rule.months,
            cited=tuple(evidence(item) for item in cited),
            wording=messages.INTERNSHIP,
            missing_kind="internship_months",
            presence=presence.days,
            not_counted=(*running, *attesting_attempts(ctx, self.rule.attested_by)),
        )
        if result.met or threshold is None:
            return result
        # Unmet and required only below a threshold: say why it is required.
        why = messages.internship_required(
            floor_hundredths(experience_days(ctx, in_field_only=True)),
            required_days(threshold),
            threshold,
        )
        return attrs.evolve(
            result,
            message=Message(fr=f"{result.message.fr} {why.fr}", en=f"{result.message.en} {why.en}"),
        )


class InternshipKind(Kind):
    """An internship, possibly needed only below some months of experience in the field."""

    kind = ID
    requirement_ids = (ID,)

    def requirements(self, certification: Certification, track: Track) -> Sequence[Rule]:
        """One ``internship`` rule, shared by every track, when the title asks for it."""
        rule = certification.internship
        return (InternshipRequirement(rule),) if rule is not None else ()

    def flags(
        self,
        ctx: Context,
        certification: Certification,
        results: Mapping[str, RequirementResult],
    ) -> Iterable[Flag]:
        """``internship_overlaps_experience``: days counted as internship are also experience."""
        result = results.get(ID)
        if result is None or result.basis is not Basis.EVIDENCE:
            return
        stays = [e.item for e in result.evidence if isinstance(e.item, Internship)]
        jobs = sorted_items(job for job in ctx.dossier.experience if job.start <= ctx.as_of)
        pairs = [
            (stay, job)
            for stay in stays
            for job in jobs
            if _overlap(stay.start, stay.end, job.start, job.end, ctx.as_of)
        ]
        if not pairs:
            return
        stay, job = pairs[0]
        first = max(stay.start, job.start)
        yield Flag(
            code="internship_overlaps_experience",
            message=Message(
                fr="Des jours comptés comme stage sont aussi déclarés comme expérience "
                f"professionnelle (à partir du {day(first, 'fr')})\u202f: le jury vérifiera "
                "qu'ils ne sont pas comptés deux fois.",
                en="Days counted as internship are also declared as professional experience "
                f"(from {day(first, 'en')}): the jury checks they are not counted twice.",
            ),
            evidence=tuple(dict.fromkeys(ctx.cite(item) for pair in pairs for item in pair)),
        )

    def fields(self, requirement_id: str) -> tuple[str, ...]:
        """The internship rule."""
        return ("internship",)

    def lint(self, certification: Certification) -> Iterable[LintIssue]:
        """A rule asking for no month or never applying; malformed attesting unit codes."""
        rule = certification.internship
        if rule is None:
            return
        if rule.months <= 0:
            yield LintIssue(
                "internship.months",
                "vacuous-rule",
                f"an internship of {rule.months} months: the rule asks for nothing",
            )
        threshold = rule.required_below_in_field_months
        if threshold is not None and threshold <= 0:
            yield LintIssue(
                "internship.required_below_in_field_months",
                "vacuous-rule",
                f"required below {threshold} months in the field: the internship is never required",
            )
        for code in rule.attested_by:
            yield from unit_code_issue(code, "internship.attested_by")

    def witness(self, plan: WitnessPlan) -> None:
        """One in-field internship, unless longer experience in the field makes it needless.

        Where experience is asked for anyway, stretching it to the threshold saves an item.
        """
        rule = plan.certification.internship
        if rule is None:
            return
        plan.attestable(rule.attested_by)
        if rule.months <= 0:
            return
        threshold = rule.required_below_in_field_months
        if threshold is not None and plan.certification.experience is not None:
            plan.in_field_months = max(plan.in_field_months, threshold)
            return
        plan.internship_months = rule.months

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
        """An attesting unit, enough experience in the field, or enough internship months."""
        rule = certification.internship
        if rule is None:
            return {}
        held = plain.units_that_count(certification, dossier, as_of)
        threshold = rule.required_below_in_field_months
        return {
            ID: bool(held & set(rule.attested_by))
            or (
                threshold is not None
                and plain.experience_reaches(dossier, as_of, threshold, in_field_only=True)
            )
            or plain.internship_reaches(
                dossier, as_of, rule.months, in_field_only=rule.in_field_only
            )
        }

    def defects(self, certification: Certification, track: Track) -> Sequence[tuple[str, str]]:
        """Internships just short of the months required, where the rule can apply."""
        rule = certification.internship
        if rule is None:
            return []
        threshold = rule.required_below_in_field_months
        if (threshold is not None and threshold <= 0) or rule.months <= 0:
            return []
        return [(ID, "short")]

    def never_unmet(self, certification: Certification) -> bool:
        """Whether the internship is never required (so a late waiver cannot unmeet it)."""
        rule = certification.internship
        threshold = rule.required_below_in_field_months if rule else None
        return threshold is not None and threshold <= 0

    def prepare(self, plan: ScenarioPlan) -> None:
        """With the internship as the target, nothing may make it needless or attest it."""
        rule = plan.certification.internship
        if rule is None or plan.target != ID:
            return
        plan.avoid_units.update(rule.attested_by)
        plan.avoid_in_field = True
        rule_of_experience = plan.certification.experience
        if (
            rule_of_experience is not None
            and rule_of_experience.counting is not ExperienceCounting.ALL
        ):
            # Experience counts in the field only: waived, it cannot make the internship moot.
            plan.waived.add(experience.ID)

    def scenario(self, plan: ScenarioPlan) -> None:
        """Internships of the months required (just short for the defect), or a unit."""
        rule = plan.certification.internship
        if rule is None or ID in plan.omitted or plan.attested & set(rule.attested_by):
            return
        threshold = rule.required_below_in_field_months
        if threshold is not None and plan.in_field_months >= threshold and plan.target != ID:
            return
        usable = sorted(set(rule.attested_by) - plan.avoid_units)
        if usable and plan.target != ID and plan.draw_from([0, 1, 2, 3]) == 0:
            plan.builder.component("units", plan.draw_from(usable))
        else:
            short = plan.target == ID and plan.kind == "short"
            plan.builder.periods("internships", rule.months, short=short, in_field=True)


def _overlap(
    start: date, end: date | None, other_start: date, other_end: date | None, as_of: date
) -> bool:
    """Whether two periods, cut at the as-of date (ongoing ones run to it), share a day."""
    last = min(end or as_of, as_of)
    other_last = min(other_end or as_of, as_of)
    return start <= other_last and other_start <= last


KIND = InternshipKind()
