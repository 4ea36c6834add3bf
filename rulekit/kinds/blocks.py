"""Kind ``blocks``: every bloc de compétences of the title held and still valid.

Titles awarded by blocs (``blocs_required``, as AIP 12976) ask for each declared bloc
(specs/core.md, "Blocs").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from attrs import frozen

from rulekit import messages
from rulekit.decision import Basis, Evidence, Missing, NotCounted, RequirementResult
from rulekit.declaration import Bloc, Certification, Track
from rulekit.dossier_io import BLOCK_CODE
from rulekit.engine.context import Context
from rulekit.kinds.base import Kind, LintIssue
from rulekit.kinds.units import plan_component_defects
from rulekit.rules import Rule

if TYPE_CHECKING:
    from rulekit.kit.witness import WitnessPlan
    from rulekit.testing.reference import Plain
    from rulekit.testing.scenarios import ScenarioPlan

ID = "blocks"
"""The requirement id of this kind."""


@frozen
class AllBlocks:
    """Each declared bloc has a passed result dated on or before the as-of date, not expired."""

    blocs: tuple[Bloc, ...]
    id: str = ID

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Return the ``blocks`` requirement."""
        cited: list[Evidence] = []
        missing: list[Missing] = []
        absent: list[str] = []
        expired: list[tuple[str, date]] = []
        not_counted: list[NotCounted] = []
        for bloc in self.blocs:
            status = ctx.block(bloc.code)
            if status.counted is not None:
                cited.append(ctx.cite(status.counted))
                continue
            not_counted.extend(status.not_counted)
            if status.expired_on is not None:
                expired.append((bloc.code, status.expired_on))
                missing.append(
                    Missing(
                        kind="block",
                        code=bloc.code,
                        title=bloc.title or None,
                        reason="expired",
                        date=status.expired_on,
                    )
                )
            else:
                absent.append(bloc.code)
                missing.append(Missing(kind="block", code=bloc.code, title=bloc.title or None))
        if missing:
            return RequirementResult(
                id=self.id,
                met=False,
                basis=None,
                missing=tuple(missing),
                evidence=tuple(cited),
                message=messages.blocks_missing(absent, expired),
                not_counted=tuple(not_counted),
            )
        return RequirementResult(
            id=self.id,
            met=True,
            basis=Basis.EVIDENCE,
            missing=(),
            evidence=tuple(cited),
            message=messages.blocks_met(len(self.blocs)),
        )


class BlocksKind(Kind):
    """Every bloc, for titles awarded by blocs."""

    kind = ID
    requirement_ids = (ID,)

    def requirements(self, certification: Certification, track: Track) -> Sequence[Rule]:
        """One ``blocks`` rule, shared by every track, when blocs are required."""
        return (AllBlocks(certification.blocs),) if certification.blocs_required else ()

    def asks(self, certification: Certification, track: Track) -> bool:
        """Required blocs ask for evidence when there are some."""
        return certification.blocs_required and bool(certification.blocs)

    def fields(self, requirement_id: str) -> tuple[str, ...]:
        """The blocs, whether they are required, and how long they stay valid."""
        return ("blocs", "blocs_required", "validity_years")

    def lint(self, certification: Certification) -> Iterable[LintIssue]:
        """Malformed, foreign or duplicate bloc codes; required blocs with none declared."""
        prefix = f"{certification.rncp}BC"
        seen: set[str] = set()
        for index, bloc in enumerate(certification.blocs):
            where = f"blocs[{index}]"
            if not BLOCK_CODE.match(bloc.code):
                yield LintIssue(
                    where,
                    "malformed-bloc-code",
                    f"bloc code {bloc.code!r} does not match {BLOCK_CODE.pattern}: no valid "
                    "dossier can hold it",
                )
            elif not bloc.code.startswith(prefix):
                yield LintIssue(
                    where,
                    "foreign-bloc",
                    f"bloc {bloc.code} does not belong to {certification.rncp} (its code "
                    f"should start with {prefix})",
                )
            if bloc.code in seen:
                yield LintIssue(where, "duplicate-bloc", f"bloc {bloc.code} is declared twice")
            seen.add(bloc.code)
        if certification.blocs_required and not certification.blocs:
            yield LintIssue(
                "blocs_required",
                "empty-blocs",
                "blocs_required is set but no bloc is declared: the blocks requirement asks "
                "for nothing",
            )

    def witness(self, plan: WitnessPlan) -> None:
        """Every well-formed bloc passed."""
        if plan.certification.blocs_required:
            plan.blocks.extend(
                bloc.code for bloc in plan.certification.blocs if BLOCK_CODE.match(bloc.code)
            )

    def explain(self, plan: WitnessPlan, requirement_id: str, message: str) -> tuple[str, bool]:
        """A validity under which nothing counts, or malformed codes, prove it; else unknown."""
        reason, proven = plan.component_failure(message)
        if proven:
            return reason, proven
        malformed = [b.code for b in plan.certification.blocs if not BLOCK_CODE.match(b.code)]
        if malformed:
            return (
                f"bloc codes {', '.join(map(repr, malformed))} are malformed: no valid dossier "
                "holds them",
                True,
            )
        return message, False

    def reference(
        self,
        certification: Certification,
        track: Track,
        dossier: Mapping[str, Any],
        as_of: date,
        plain: Plain,
    ) -> Mapping[str, bool] | None:
        """Every declared bloc has a result that counts."""
        if not certification.blocs_required:
            return {}
        held = plain.blocs_that_count(certification, dossier, as_of)
        return {ID: all(bloc.code in held for bloc in certification.blocs)}

    def defects(self, certification: Certification, track: Track) -> Sequence[tuple[str, str]]:
        """Each way one bloc can fail to count."""
        if not (certification.blocs_required and certification.blocs):
            return []
        return [(ID, defect) for defect in plan_component_defects(certification)]

    def scenario(self, plan: ScenarioPlan) -> None:
        """Every bloc counts, but the one the defect hits."""
        certification = plan.certification
        if not certification.blocs_required or ID in plan.omitted:
            return
        codes = [bloc.code for bloc in certification.blocs]
        broken = plan.defect_of(ID, codes)
        for code in codes:
            plan.builder.component("blocks", code, broken.get(code))


KIND = BlocksKind()
