"""Kind ``choice``: each choice group of the track is filled by distinct counted units.

The groups share one maximum matching with the mandatory units (:mod:`rulekit.kinds.units`):
a unit counts once, and mandatory slots come first (specs/core.md, "Mandatory units and
choice groups").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import combinations
from typing import TYPE_CHECKING, Any

from attrs import frozen

from rulekit import messages
from rulekit.decision import Basis, Evidence, Missing, RequirementResult
from rulekit.declaration import Certification, ChoiceGroup, Track
from rulekit.engine.context import Context
from rulekit.kinds.base import Kind, LintIssue
from rulekit.kinds.units import TrackSlots, fillable, plan_component_defects, unit_code_issue, used
from rulekit.rules import Rule

if TYPE_CHECKING:
    from rulekit.kit.witness import WitnessPlan
    from rulekit.testing.reference import Plain
    from rulekit.testing.scenarios import ScenarioPlan

ID = "choice"
"""The requirement id of this kind."""


@frozen
class ChoiceGroups:
    """Each choice group of the track is filled by distinct counted units."""

    slots: TrackSlots
    id: str = ID

    def check(self, ctx: Context) -> bool:
        """Whether every choice slot is filled (what :meth:`evaluate` decides, cheaply)."""
        assignment = self.slots.assignment(ctx)
        return all(code is not None for code in assignment[self.slots.mandatory_count :])

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
            cited.extend(ctx.cite(used(ctx, code)) for code in filled)
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


def fill_choices(track: Track, taken: Iterable[str]) -> list[list[str]] | None:
    """Return distinct codes filling each choice group, none of them in ``taken``.

    ``None`` when no such assignment exists (groups sharing too few units).
    """
    unavailable = set(taken)

    def search(index: int) -> list[list[str]] | None:
        if index == len(track.choices):
            return []
        group = track.choices[index]
        for picked in combinations(sorted(group.codes - unavailable), group.choose):
            unavailable.update(picked)
            rest = search(index + 1)
            unavailable.difference_update(picked)
            if rest is not None:
                return [list(picked), *rest]
        return None

    return search(0)


def _group_issues(group: ChoiceGroup, where: str, mandatory: set[str]) -> Iterable[LintIssue]:
    listed: list[str] = []
    for position, unit in enumerate(group.units):
        yield from unit_code_issue(unit.code, f"{where}.units[{position}]")
        if unit.code in listed:
            yield LintIssue(
                f"{where}.units[{position}]",
                "duplicate-unit",
                f"unit {unit.code} is listed twice in this choice group",
            )
        listed.append(unit.code)
        if unit.code in mandatory:
            yield LintIssue(
                f"{where}.units[{position}]",
                "duplicate-unit",
                f"unit {unit.code} is both mandatory and in this choice group: a unit "
                "counts once, so it can never fill the group",
            )
    if group.choose <= 0:
        yield LintIssue(where, "empty-choice", f"choose {group.choose}: the group asks for no unit")


def _short_groups(track: Track) -> list[tuple[int, ChoiceGroup, int]]:
    """``(index, group, at most fillable)`` for each group left short with every unit passed."""
    filled = fillable(track)
    position = len(track.mandatory)
    short = []
    for index, group in enumerate(track.choices):
        if group.choose <= 0:
            continue
        got = [code for code in filled[position : position + group.choose] if code]
        position += group.choose
        if len(got) < group.choose:
            short.append((index, group, len(got)))
    return short


class ChoiceKind(Kind):
    """The choice groups (« UE à choisir parmi ») of each track."""

    kind = ID
    requirement_ids = (ID,)

    def requirements(self, certification: Certification, track: Track) -> Sequence[Rule]:
        """One ``choice`` rule for a track with choice groups."""
        return (ChoiceGroups(TrackSlots.of(track)),) if track.choices else ()

    def fields(self, requirement_id: str) -> tuple[str, ...]:
        """The track's choice groups, and how long components stay valid."""
        return ("tracks[{track}].choices", "validity_years")

    def lint(self, certification: Certification) -> Iterable[LintIssue]:
        """Malformed or duplicate units in a group; a group no set of units can fill."""
        for track in certification.tracks:
            mandatory = {unit.code for unit in track.mandatory}
            for index, group in enumerate(track.choices):
                yield from _group_issues(group, f"tracks[{track.id}].choices[{index}]", mandatory)
            for index, group, got in _short_groups(track):
                among = sorted(group.codes)
                yield LintIssue(
                    f"tracks[{track.id}].choices[{index}]",
                    "unsatisfiable-choice",
                    f"cannot choose {group.choose} among {len(among)} units "
                    f"({', '.join(among)}): even with every unit of the track passed, at most "
                    f"{got} can fill this group (a unit counts once, and mandatory units "
                    "and earlier groups take theirs first)",
                )

    def witness(self, plan: WitnessPlan) -> None:
        """Every choice slot filled by a passed unit; a group none can fill is a proof."""
        filled = fillable(plan.track)[len(plan.track.mandatory) :]
        plan.units.update(code for code in filled if code is not None)
        short = [
            f"group {index} asks for {group.choose} among {len(group.codes)} units "
            f"({', '.join(sorted(group.codes))}) but at most {got} can fill it"
            for index, group, got in _short_groups(plan.track)
        ]
        if short:
            plan.proof(ID, "; ".join(short))

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
        """Each group gets its own distinct units, none used by a filled mandatory slot."""
        if not track.choices:
            return {}
        held = plain.units_that_count(certification, dossier, as_of)
        taken = {unit.code for unit in track.mandatory} & held
        return {ID: plain.groups_can_be_filled(track, held - taken)}

    def defects(self, certification: Certification, track: Track) -> Sequence[tuple[str, str]]:
        """Each way one chosen unit can fail to count, where the groups can be filled."""
        if not track.choices or fill_choices(track, [u.code for u in track.mandatory]) is None:
            return []
        return [(ID, defect) for defect in plan_component_defects(certification)]

    def scenario(self, plan: ScenarioPlan) -> None:
        """Units filling every group, but the one the defect hits.

        Groups that cannot all be filled leave ``choice`` unmet even in a complete dossier.
        """
        track = plan.track
        mandatory = [unit.code for unit in track.mandatory]
        chosen = fill_choices(track, mandatory) if track.choices else []
        if track.choices and chosen is None and ID not in plan.waived:
            plan.expected.add(ID)
        if not track.choices or ID in plan.omitted:
            return
        codes = [code for group in chosen or [] for code in group]
        broken = plan.defect_of(ID, codes)
        for code in codes:
            plan.builder.component("units", code, broken.get(code))


KIND = ChoiceKind()
