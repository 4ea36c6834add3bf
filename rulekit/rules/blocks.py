"""Blocs de compétences (requirement ``blocks``): every bloc held and still valid."""

from __future__ import annotations

from datetime import date

from attrs import frozen

from rulekit import messages
from rulekit.decision import Basis, Evidence, Missing, NotCounted, RequirementResult
from rulekit.declaration import Bloc
from rulekit.engine.context import Context, evidence


@frozen
class AllBlocks:
    """Each declared bloc has a passed result dated on or before the as-of date, not expired."""

    blocs: tuple[Bloc, ...]
    id: str = "blocks"

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
                cited.append(evidence(status.counted))
                continue
            not_counted.extend(status.not_counted)
            if status.expired_on is not None:
                expired.append((bloc.code, status.expired_on))
                missing.append(
                    Missing(kind="block", code=bloc.code, reason="expired", date=status.expired_on)
                )
            else:
                absent.append(bloc.code)
                missing.append(Missing(kind="block", code=bloc.code))
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
