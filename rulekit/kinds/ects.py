"""Kind ``ects``: at least N ECTS credits from the units that count on the as-of date.

Declared as a custom requirement of this kind, with one parameter, the minimum::

    CustomRequirement("ects", "ects", (("minimum", 60),))

Each unit code that counts (passed, dated on or before the as-of date, still valid)
brings its credits once: those the declaration gives the unit (any track), or, where the
declaration gives none, the largest ``ects`` among the dossier's results of that code
that count (specs/core.md, "ECTS credits"). No real certification declares this kind: no
seed states a minimum total.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from attrs import frozen

from rulekit.decision import Basis, Message, Missing, RequirementResult
from rulekit.declaration import Certification, CustomRequirement, Track
from rulekit.dossier import Result, UnitResult
from rulekit.engine.context import Context
from rulekit.french import number
from rulekit.kinds.base import Kind, LintIssue
from rulekit.messages import codes
from rulekit.rules import Rule

if TYPE_CHECKING:
    from rulekit.testing.reference import Plain
    from rulekit.testing.scenarios import ScenarioPlan

KIND_NAME = "ects"
"""The kind's name, and the id a declaration usually gives its requirement."""
TOP_UP_CODE = "ZZX001"
"""A fictitious unit code generated dossiers use to reach the minimum (no title has it)."""


def declared_credits(certification: Certification) -> dict[str, int]:
    """Each unit code's ECTS as the declaration gives them (any track, any group)."""
    credits: dict[str, int] = {}
    for track in certification.tracks:
        for unit in (*track.mandatory, *(u for g in track.choices for u in g.units)):
            if unit.ects is not None:
                credits.setdefault(unit.code, unit.ects)
    return credits


def _credits(value: float, lang: str) -> str:
    """A number of credits as a reader of ``lang`` writes it (``4,5`` in French)."""
    return number(value, lang)


@frozen
class MinimumCredits:
    """At least ``minimum`` ECTS from the units that count."""

    id: str
    minimum: int
    declared: tuple[tuple[str, int], ...]

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Return whether the counted units bring ``minimum`` credits, citing them.

        Unmet, it also lists the results that did not count, and why (an expired one says
        so, which is what a later decision losing credits must show).
        """
        declared = dict(self.declared)
        best: dict[str, float] = {}
        for unit in ctx.dossier.units:
            if not _counts(ctx, unit):
                continue
            credits = declared.get(unit.code, unit.ects or 0)
            best[unit.code] = max(best.get(unit.code, 0), credits)
        total = sum(best.values())
        cited = tuple(
            ctx.cite(counted)
            for code in sorted(best)
            if best[code] > 0 and isinstance(counted := ctx.unit(code).counted, UnitResult)
        )
        fr, en, required = _credits(total, "fr"), _credits(total, "en"), str(self.minimum)
        if total >= self.minimum:
            return RequirementResult(
                id=self.id,
                met=True,
                basis=Basis.EVIDENCE,
                missing=(),
                evidence=cited,
                message=Message(
                    fr=f"Crédits ECTS\u202f: {fr} acquis pour {required} requis.",
                    en=f"ECTS credits: {en} earned of {required} required.",
                ),
            )
        lacking = self.minimum - total
        held = sorted({unit.code for unit in ctx.dossier.units})
        not_counted = tuple(item for code in held for item in ctx.unit(code).not_counted)
        return RequirementResult(
            id=self.id,
            met=False,
            basis=None,
            missing=(Missing(kind="ects", count=math.ceil(lacking)),),
            evidence=cited,
            message=Message(
                fr=f"Crédits ECTS insuffisants\u202f: {fr} acquis, {required} requis"
                + (f" (unités retenues\u202f: {codes(sorted(best))})." if best else "."),
                en=f"Not enough ECTS credits: {en} earned, {required} required"
                + (f" (units counted: {codes(sorted(best))})." if best else "."),
            ),
            not_counted=not_counted,
        )


def _counts(ctx: Context, unit: UnitResult) -> bool:
    """Whether this result counts on the as-of date (passed, dated, not expired)."""
    if unit.result is not Result.PASSED or unit.date is None or unit.date > ctx.as_of:
        return False
    expiry = ctx.expires_on(unit.date)
    return expiry is None or ctx.as_of < expiry


def _minimum(requirement: CustomRequirement) -> int:
    value = dict(requirement.params).get("minimum")
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError("an ects requirement needs a positive integer 'minimum'")
    return value


class EctsKind(Kind):
    """A minimum total of ECTS credits, declared as a custom requirement."""

    kind = KIND_NAME
    builds_scenarios = True

    def build(self, requirement: CustomRequirement, certification: Certification) -> Rule:
        """Return the rule; refuse a missing or non-positive minimum."""
        declared = tuple(sorted(declared_credits(certification).items()))
        return MinimumCredits(requirement.id, _minimum(requirement), declared)

    def fields(self, requirement_id: str) -> tuple[str, ...]:
        """The requirement's parameters, the units' credits, and their validity."""
        return (f"custom[{requirement_id}]", "tracks", "validity_years")

    def lint(self, certification: Certification) -> Iterable[LintIssue]:
        """A minimum the declared units can never reach alone (dossier credits must help)."""
        declared = sum(declared_credits(certification).values())
        for index, custom in enumerate(certification.custom):
            if custom.kind != KIND_NAME:
                continue
            try:
                minimum = _minimum(custom)
            except ValueError as exc:
                yield LintIssue(f"custom[{index}]", "malformed-params", str(exc))
                continue
            if minimum > declared:
                yield LintIssue(
                    f"custom[{index}]",
                    "unreachable-ects",
                    f"a minimum of {minimum} ECTS while the declared units bring {declared}: "
                    "only credits the dossier gives units the declaration leaves without ECTS "
                    "can reach it",
                )

    def reference(
        self,
        certification: Certification,
        track: Track,
        dossier: Mapping[str, Any],
        as_of: date,
        plain: Plain,
    ) -> Mapping[str, bool] | None:
        """Sum, over codes with a result that counts, the declared or largest dossier ECTS."""
        declared: dict[str, int] = {}
        for each in certification.tracks:
            for unit in (*each.mandatory, *(u for g in each.choices for u in g.units)):
                if unit.ects is not None and unit.code not in declared:
                    declared[unit.code] = unit.ects
        best: dict[str, float] = {}
        for item in dossier.get("units", []):
            if plain.unit_counts(certification, item, as_of):
                credits = declared.get(item["code"], item.get("ects") or 0)
                best[item["code"]] = max(best.get(item["code"], 0), credits)
        total = sum(best.values())
        return {
            custom.id: total >= _minimum(custom)
            for custom in certification.custom
            if custom.kind == KIND_NAME
        }

    def scenario(self, plan: ScenarioPlan) -> None:
        """A fictitious unit bringing the whole minimum, unless the requirement is omitted."""
        for custom in plan.certification.custom:
            if custom.kind == KIND_NAME and custom.id not in plan.omitted:
                unit = plan.builder.unit(TOP_UP_CODE, "passed", plan.builder.counting_day())
                unit["ects"] = _minimum(custom)
                unit.pop("via", None)
                plan.builder.lists["units"].append(unit)


KIND = EctsKind()
