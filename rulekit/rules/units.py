"""Mandatory units and choice groups of a track (requirements ``units`` and ``choice``).

Both come from one maximum matching of the learner's counted units to the track's slots
(one per mandatory unit, ``choose`` per choice group), so a unit counts once and never
fills a choice slot when that would leave a slot empty that another assignment fills.
"""

from __future__ import annotations

from attrs import frozen

from rulekit import messages
from rulekit.decision import Basis, Evidence, Missing, NotCounted, RequirementResult
from rulekit.declaration import Track
from rulekit.dossier import UnitResult, Via
from rulekit.engine.context import Context, evidence
from rulekit.matching import assign


@frozen
class TrackSlots:
    """The slots of a track, compiled once: mandatory codes first, then choice slots."""

    track: Track
    slots: tuple[frozenset[str], ...]
    mandatory_count: int
    codes: frozenset[str]

    @classmethod
    def of(cls, track: Track) -> TrackSlots:
        """Compile the slots of ``track``."""
        slots = [frozenset({unit.code}) for unit in track.mandatory]
        for group in track.choices:
            slots.extend([group.codes] * group.choose)
        codes = frozenset().union(*slots) if slots else frozenset()
        return cls(track, tuple(slots), len(track.mandatory), codes)

    def assignment(self, ctx: Context) -> list[str | None]:
        """Return the code filling each slot for this dossier (``None``: empty slot)."""

        def compute() -> list[str | None]:
            usable = [code for code in ctx.unit_codes() if code in self.codes]
            return assign(self.slots, usable)

        return ctx.cached(("assignment", self.track.id), compute)

    def not_counted(self, ctx: Context, codes: frozenset[str]) -> tuple[NotCounted, ...]:
        """Items of ``codes`` that did not count (failed, in progress, later, expired).

        Listed whether or not the requirement is met: jury staff see every attempt.
        """
        return tuple(item for code in sorted(codes) for item in ctx.unit(code).not_counted)


def _used(ctx: Context, code: str) -> UnitResult:
    counted = ctx.unit(code).counted
    assert isinstance(counted, UnitResult)
    return counted


@frozen
class MandatoryUnits:
    """Every mandatory unit of the track is passed (or exempted) and counts as of the date."""

    slots: TrackSlots
    id: str = "units"

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Return the ``units`` requirement of the track."""
        assignment = self.slots.assignment(ctx)[: self.slots.mandatory_count]
        mandatory = [unit.code for unit in self.slots.track.mandatory]
        held = [code for code, got in zip(mandatory, assignment, strict=True) if got is not None]
        absent = [code for code, got in zip(mandatory, assignment, strict=True) if got is None]
        used = [_used(ctx, code) for code in held]
        cited = tuple(evidence(unit) for unit in used)
        exemptions = sum(1 for unit in used if unit.via is Via.EXEMPTION)
        not_counted = self.slots.not_counted(ctx, frozenset(mandatory))
        if absent:
            return RequirementResult(
                id=self.id,
                met=False,
                basis=None,
                missing=tuple(_missing_unit(ctx, code) for code in absent),
                evidence=cited,
                message=messages.units_missing(absent),
                not_counted=not_counted,
            )
        return RequirementResult(
            id=self.id,
            met=True,
            basis=Basis.EVIDENCE,
            missing=(),
            evidence=cited,
            message=messages.units_met(len(mandatory), exemptions),
            not_counted=not_counted,
        )


def _missing_unit(ctx: Context, code: str) -> Missing:
    status = ctx.unit(code)
    if status.expired_on is not None:
        return Missing(kind="unit", code=code, reason="expired", date=status.expired_on)
    return Missing(kind="unit", code=code)


@frozen
class ChoiceGroups:
    """Each choice group of the track is filled by distinct counted units."""

    slots: TrackSlots
    id: str = "choice"

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Return the ``choice`` requirement of the track."""
        assignment = self.slots.assignment(ctx)
        position = self.slots.mandatory_count
        chosen: list[str] = []
        short: list[tuple[int, list[str]]] = []
        missing: list[Missing] = []
        cited: list[Evidence] = []
        group_codes: set[str] = set()
        for group in self.slots.track.choices:
            filled = [code for code in assignment[position : position + group.choose] if code]
            position += group.choose
            chosen.extend(filled)
            cited.extend(evidence(_used(ctx, code)) for code in filled)
            among = sorted(group.codes)
            if len(filled) < group.choose:
                lacking = group.choose - len(filled)
                short.append((lacking, among))
                missing.append(Missing(kind="choice", count=lacking, among=tuple(among)))
            group_codes.update(group.codes)
        not_counted = self.slots.not_counted(ctx, frozenset(group_codes))
        if short:
            return RequirementResult(
                id=self.id,
                met=False,
                basis=None,
                missing=tuple(missing),
                evidence=tuple(cited),
                message=messages.choice_missing(short),
                not_counted=not_counted,
            )
        return RequirementResult(
            id=self.id,
            met=True,
            basis=Basis.EVIDENCE,
            missing=(),
            evidence=tuple(cited),
            message=messages.choice_met(chosen),
            not_counted=not_counted,
        )
