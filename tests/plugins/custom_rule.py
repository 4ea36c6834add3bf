"""A fictitious plugin adding a rule type through ``rulekit_rule_types``."""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from rulekit import hookimpl
from rulekit.decision import Basis, Message, Missing, RequirementResult
from rulekit.declaration import Certification, CustomRequirement
from rulekit.dossier import UnitResult
from rulekit.engine.context import Context, evidence
from rulekit.rules import Rule, RuleType
from tests.plugins.fictitious import WITH_CUSTOM


@frozen
class MinimumGrade:
    """A unit passed with at least a given grade (fictitious rule for tests)."""

    id: str
    code: str
    minimum: float

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Met when the unit counts and its grade reaches the minimum."""
        unit = ctx.unit(self.code).counted
        if isinstance(unit, UnitResult) and unit.grade is not None and unit.grade >= self.minimum:
            return RequirementResult(
                id=self.id,
                met=True,
                basis=Basis.EVIDENCE,
                missing=(),
                evidence=(evidence(unit),),
                message=Message(fr="Note suffisante.", en="Grade high enough."),
            )
        return RequirementResult(
            id=self.id,
            met=False,
            basis=None,
            missing=(Missing(kind="grade", code=self.code),),
            evidence=(),
            message=Message(fr="Note insuffisante.", en="Grade too low."),
        )


@frozen
class MinimumGradeType:
    """Builds :class:`MinimumGrade` rules from ``code`` and ``min`` parameters."""

    kind: str = "minimum_grade"

    def build(self, requirement: CustomRequirement, certification: Certification) -> Rule:
        """Return the rule; refuse missing parameters."""
        params = dict(requirement.params)
        if not isinstance(params.get("code"), str) or not isinstance(params.get("min"), int):
            raise ValueError("minimum_grade needs a 'code' and an integer 'min'")
        return MinimumGrade(requirement.id, str(params["code"]), float(params["min"]))  # type: ignore[arg-type]


@hookimpl
def rulekit_rule_types() -> Sequence[RuleType]:
    """Add the ``minimum_grade`` rule type."""
    return [MinimumGradeType()]


@hookimpl
def rulekit_certifications() -> Sequence[Certification]:
    """Declare the certification that uses it."""
    return [WITH_CUSTOM]
