"""A fictitious plugin rule type, ``fict_grade``: some passed unit graded at least ``minimum``.

Used by the hook tests and shown in docs/plugins.md (section ``rulekit_rule_types``).
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from rulekit import hookimpl
from rulekit.decision import Basis, Message, Missing, RequirementResult
from rulekit.declaration import Certification, CustomRequirement
from rulekit.dossier import Result
from rulekit.engine.context import Context, evidence
from rulekit.rules import Rule, RuleType


@frozen
class MinimumGrade:
    """Met when a passed unit dated on or before the as-of date has ``grade >= minimum``."""

    id: str
    minimum: float

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Return the requirement, citing the best-graded unit when met."""
        graded = [
            unit
            for unit in ctx.dossier.units
            if unit.result is Result.PASSED
            and unit.grade is not None
            and unit.date is not None
            and unit.date <= ctx.as_of
        ]
        best = max(graded, key=lambda unit: (unit.grade or 0, unit.code), default=None)
        if best is not None and best.grade is not None and best.grade >= self.minimum:
            return RequirementResult(
                id=self.id,
                met=True,
                basis=Basis.EVIDENCE,
                missing=(),
                evidence=(evidence(best),),
                message=Message(
                    fr=f"Note d'au moins {self.minimum:g} obtenue ({best.code}).",
                    en=f"Grade of at least {self.minimum:g} obtained ({best.code}).",
                ),
            )
        return RequirementResult(
            id=self.id,
            met=False,
            basis=None,
            missing=(Missing(kind="grade", reason=f"below {self.minimum:g}"),),
            evidence=(),
            message=Message(
                fr=f"Aucune unité validée avec une note d'au moins {self.minimum:g}.",
                en=f"No passed unit graded at least {self.minimum:g}.",
            ),
        )


@frozen
class MinimumGradeType:
    """The rule type ``fict_grade``; its one parameter is ``minimum`` (a number)."""

    kind: str = "fict_grade"

    def build(self, requirement: CustomRequirement, certification: Certification) -> Rule:
        """Return the rule; a missing or non-numeric ``minimum`` is a ValueError."""
        params = dict(requirement.params)
        minimum = params.get("minimum")
        if isinstance(minimum, bool) or not isinstance(minimum, int | float):
            raise ValueError("parameter 'minimum' must be a number")
        return MinimumGrade(requirement.id, float(minimum))


@hookimpl
def rulekit_rule_types() -> Sequence[RuleType]:
    """Add the ``fict_grade`` rule type."""
    return [MinimumGradeType()]
