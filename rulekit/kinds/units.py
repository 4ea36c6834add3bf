"""Kind ``units``: every mandatory unit of the track is held and counts on the as-of date.

Mandatory units and choice groups (kind ``choice``, :mod:`rulekit.kinds.choice`) come from
one maximum matching of the learner's counted units to the track's slots (one per
mandatory unit, ``choose`` per choice group), so a unit counts once and never fills a
choice slot when that would leave a slot empty that another assignment fills
(specs/core.md, "Mandatory units and choice groups").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from attrs import frozen

from rulekit import messages
from rulekit.decision import Basis, Flag, Message, Missing, NotCounted, RequirementResult
from rulekit.declaration import Certification, Track
from rulekit.dossier import Result, UnitResult, Via
from rulekit.dossier_io import UNIT_CODE
from rulekit.engine.context import Context
from rulekit.french import colon, number
from rulekit.kinds.base import Kind, LintIssue
from rulekit.matching import assign
from rulekit.ordering import sorted_items
from rulekit.rules import Rule

if TYPE_CHECKING:
    from rulekit.kit.witness import WitnessPlan
    from rulekit.testing.reference import Plain
    from rulekit.testing.scenarios import ScenarioPlan

ID = "units"
"""The requirement id of this kind."""
PASS_MARK = 10
"""A passed unit graded under 10 out of 20 is flagged for the jury (specs/core.md, "Flags")."""


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


def used(ctx: Context, code: str) -> UnitResult:
    """The unit result that counts for ``code`` (the matching only assigns such codes)."""
    counted = ctx.unit(code).counted
    assert isinstance(counted, UnitResult)
    return counted


@frozen
class MandatoryUnits:
    """Every mandatory unit of the track is passed (or exempted) and counts as of the date."""

    slots: TrackSlots
    id: str = ID

    def check(self, ctx: Context) -> bool:
        """Whether every mandatory slot is filled (what :meth:`evaluate` decides, cheaply)."""
        assignment = self.slots.assignment(ctx)
        return all(code is not None for code in assignment[: self.slots.mandatory_count])

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Return the ``units`` requirement of the track."""
        assignment = self.slots.assignment(ctx)[: self.slots.mandatory_count]
        mandatory = [unit.code for unit in self.slots.track.mandatory]
        held = [code for code, got in zip(mandatory, assignment, strict=True) if got is not None]
        absent = [code for code, got in zip(mandatory, assignment, strict=True) if got is None]
        held_units = [used(ctx, code) for code in held]
        cited = tuple(ctx.cite(unit) for unit in held_units)
        exemptions = sum(1 for unit in held_units if unit.via is Via.EXEMPTION)
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
    title = ctx.components.titles.get(code)
    if status.expired_on is not None:
        return Missing(
            kind="unit", code=code, title=title, reason="expired", date=status.expired_on
        )
    return Missing(kind="unit", code=code, title=title)


def unit_code_issue(code: str, where: str) -> list[LintIssue]:
    """A malformed unit code: no valid dossier can hold it (the validator's pattern)."""
    if UNIT_CODE.match(code):
        return []
    return [
        LintIssue(
            where,
            "malformed-unit-code",
            f"unit code {code!r} does not match {UNIT_CODE.pattern}: no valid dossier "
            "can hold it, so this requirement can never be met",
        )
    ]


def fillable(track: Track) -> list[str | None]:
    """The code filling each slot of ``track`` when every well-formed unit is passed."""
    slots = TrackSlots.of(track)
    usable = sorted(code for code in slots.codes if UNIT_CODE.match(code))
    return assign(slots.slots, usable)


def _unit_consistency(certification: Certification) -> Iterable[LintIssue]:
    """One code, one unit: the same code with two titles or two ECTS is a typo."""
    titles: defaultdict[str, set[str]] = defaultdict(set)
    credits: defaultdict[str, set[int]] = defaultdict(set)
    for track in certification.tracks:
        for unit in (*track.mandatory, *(u for g in track.choices for u in g.units)):
            if unit.title:
                titles[unit.code].add(unit.title)
            if unit.ects is not None:
                credits[unit.code].add(unit.ects)
    for code in sorted(titles):
        if len(titles[code]) > 1:
            shown = " / ".join(repr(t) for t in sorted(titles[code]))
            yield LintIssue(
                "tracks",
                "inconsistent-unit",
                f"unit {code} has {len(titles[code])} titles ({shown}): one code is one "
                "unit; check the code against the source",
            )
    for code in sorted(credits):
        if len(credits[code]) > 1:
            shown = ", ".join(str(c) for c in sorted(credits[code]))
            yield LintIssue(
                "tracks",
                "inconsistent-unit",
                f"unit {code} has different ECTS credits ({shown}) in different tracks",
            )


class UnitsKind(Kind):
    """The mandatory units of each track."""

    kind = ID
    requirement_ids = (ID,)

    def requirements(self, certification: Certification, track: Track) -> Sequence[Rule]:
        """One ``units`` rule for a track with mandatory units."""
        return (MandatoryUnits(TrackSlots.of(track)),) if track.mandatory else ()

    def flags(
        self,
        ctx: Context,
        certification: Certification,
        results: Mapping[str, RequirementResult],
    ) -> Iterable[Flag]:
        """``grade_below_pass``: a unit recorded as passed with a grade under 10/20."""
        low = sorted_items(
            unit
            for unit in ctx.dossier.units
            if unit.result is Result.PASSED and unit.grade is not None and unit.grade < PASS_MARK
        )
        if not low:
            return
        listed_fr = ", ".join(f"{u.code} ({number(u.grade or 0, 'fr')}/20)" for u in low)
        listed_en = ", ".join(f"{u.code} ({number(u.grade or 0, 'en')}/20)" for u in low)
        yield Flag(
            code="grade_below_pass",
            message=Message(
                fr=f"{'Unité enregistrée' if len(low) == 1 else 'Unités enregistrées'} comme "
                f"{'validée' if len(low) == 1 else 'validées'} avec une note inférieure à "
                f"10/20{colon('fr')} {listed_fr}.",
                en=f"{'Unit' if len(low) == 1 else 'Units'} recorded as passed with a grade "
                f"under 10/20: {listed_en}.",
            ),
            evidence=tuple(ctx.cite(unit) for unit in low),
        )

    def fields(self, requirement_id: str) -> tuple[str, ...]:
        """The track's mandatory units, and how long components stay valid."""
        return ("tracks[{track}].mandatory", "validity_years")

    def lint(self, certification: Certification) -> Iterable[LintIssue]:
        """Malformed or duplicate mandatory units; one code with two titles or ECTS."""
        for track in certification.tracks:
            seen: list[str] = []
            for index, unit in enumerate(track.mandatory):
                where = f"tracks[{track.id}].mandatory[{index}]"
                yield from unit_code_issue(unit.code, where)
                if unit.code in seen:
                    yield LintIssue(
                        where,
                        "duplicate-unit",
                        f"unit {unit.code} is listed twice among the mandatory units: a unit "
                        "counts once, so the second slot can never be filled",
                    )
                seen.append(unit.code)
        yield from _unit_consistency(certification)

    def witness(self, plan: WitnessPlan) -> None:
        """Every mandatory slot filled by a passed unit; a slot none can fill is a proof."""
        track = plan.track
        filled = fillable(track)[: len(track.mandatory)]
        plan.units.update(code for code in filled if code is not None)
        reasons = []
        for unit, got in zip(track.mandatory, filled, strict=True):
            if got is not None:
                continue
            if not UNIT_CODE.match(unit.code):
                reasons.append(f"unit code {unit.code!r} is malformed: no valid dossier holds it")
            else:
                reasons.append(f"unit {unit.code} is listed twice: a unit counts once")
        if reasons:
            plan.proof(ID, "; ".join(reasons))

    def explain(self, plan: WitnessPlan, requirement_id: str, message: str) -> tuple[str, bool]:
        """Unmet by the most favourable dossier: only a validity under which nothing counts."""
        return plan.component_failure(message)

    def reference(
        self,
        certification: Certification,
        track: Track,
        dossier: Mapping[str, Any],
        as_of: date,
        plain: Plain,
    ) -> Mapping[str, bool] | None:
        """Every mandatory unit has a result that counts.

        See specs/core.md, "Mandatory units and choice groups".
        """
        if not track.mandatory:
            return {}
        held = plain.units_that_count(certification, dossier, as_of)
        return {ID: all(unit.code in held for unit in track.mandatory)}

    def defects(self, certification: Certification, track: Track) -> Sequence[tuple[str, str]]:
        """Each way one mandatory unit can fail to count."""
        return (
            [(ID, defect) for defect in plan_component_defects(certification)]
            if track.mandatory
            else []
        )

    def scenario(self, plan: ScenarioPlan) -> None:
        """Every mandatory unit counts, but the one the defect hits."""
        if ID in plan.omitted:
            return
        mandatory = [unit.code for unit in plan.track.mandatory]
        broken = plan.defect_of(ID, mandatory)
        for code in mandatory:
            plan.builder.component("units", code, broken.get(code))


def plan_component_defects(certification: Certification) -> list[str]:
    """Ways a held unit or bloc fails to count: absent, failed, in progress, later, expired."""
    defects = ["absent", "failed", "in_progress", "after_as_of"]
    if certification.validity_years is not None:
        defects.append("expired")
    return defects


KIND = UnitsKind()
