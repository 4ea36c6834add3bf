"""Kind ``experience``: months of professional experience, or a unit that attests them.

The measure is :mod:`rulekit.months` (specs/core.md, "Months"); the evaluation itself is
:class:`rulekit.rules.periods.ExperienceRequirement`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rulekit.declaration import Certification, ExperienceCounting, Track
from rulekit.kinds.base import Kind, LintIssue
from rulekit.kinds.units import unit_code_issue
from rulekit.rules import Rule
from rulekit.rules.periods import ExperienceRequirement

if TYPE_CHECKING:
    from rulekit.kit.witness import WitnessPlan
    from rulekit.testing.reference import Plain
    from rulekit.testing.scenarios import ScenarioPlan

ID = "experience"
"""The requirement id of this kind."""


class ExperienceKind(Kind):
    """At least N months of professional experience."""

    kind = ID
    requirement_ids = (ID,)

    def requirements(self, certification: Certification, track: Track) -> Sequence[Rule]:
        """One ``experience`` rule, shared by every track, when the title asks for it."""
        rule = certification.experience
        return (ExperienceRequirement(rule),) if rule is not None else ()

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


KIND = ExperienceKind()
