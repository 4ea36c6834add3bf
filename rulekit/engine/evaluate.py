"""Evaluation: one dossier, one compiled certification, one as-of date -> a decision.

Nothing here reads the clock, the environment or the network: the as-of date is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rulekit import messages
from rulekit.codec import input_digest
from rulekit.decision import (
    Basis,
    Decision,
    Flag,
    Message,
    Outcome,
    RequirementResult,
    TrackSummary,
)
from rulekit.dossier import Dossier
from rulekit.engine.compiled import CompiledCertification, CompiledTrack
from rulekit.engine.context import Context, evidence
from rulekit.errors import DossierError, InputError, UnknownTrack
from rulekit.french import quoted
from rulekit.rules import Rule
from rulekit.version import ENGINE_VERSION, TEXT_VERSION


def _waived(ctx: Context, result: RequirementResult) -> RequirementResult:
    """Return ``result``, or the same requirement met by a waiver when it is unmet and waived."""
    if result.met:
        return result
    waiver = ctx.waiver(result.id)
    if waiver is None:
        return result
    return RequirementResult(
        id=result.id,
        met=True,
        basis=Basis.WAIVER,
        missing=(),
        evidence=(evidence(waiver),),
        message=messages.waived(waiver),
    )


def waiver_errors(
    compiled: CompiledCertification, requirements: Sequence[object]
) -> list[InputError]:
    """Return an error for each waiver naming no requirement, or one that cannot be waived.

    A certification declares which requirements a waiver may meet (none by default,
    specs/core.md, "Waivers").

    :param requirements: the ``requirement`` of each waiver, in dossier order; values that are
        not strings are skipped (validation reports them).
    """
    waivable = [r for r in compiled.declaration.waivable if r in compiled.requirement_ids]
    allowed = f"waivable: {', '.join(waivable)}" if waivable else "none of them may be waived"
    errors = []
    for index, requirement in enumerate(requirements):
        if not isinstance(requirement, str):
            continue
        where = f"waivers[{index}].requirement"
        if requirement not in compiled.requirement_ids:
            errors.append(
                InputError(
                    where,
                    f"{requirement!r} is not a requirement of {compiled.id} "
                    f"({', '.join(sorted(compiled.requirement_ids))})",
                )
            )
        elif requirement not in waivable:
            errors.append(
                InputError(where, f"{requirement!r} of {compiled.id} cannot be waived ({allowed})")
            )
    return errors


def _result(ctx: Context, rule: Rule) -> RequirementResult:
    """The rule's result, waivers applied, computed once per dossier whatever the track."""
    key = id(rule)
    result = ctx.results.get(key)
    if result is None:
        result = ctx.results[key] = _waived(ctx, rule.evaluate(ctx))
    return result  # type: ignore[return-value]


def _met(ctx: Context, rule: Rule) -> bool:
    """Whether the rule is met (or waived), by its cheap ``check`` when it has one."""
    check = getattr(rule, "check", None)
    if check is None or id(rule) in ctx.results:
        return _result(ctx, rule).met
    return bool(check(ctx)) or ctx.waiver(rule.id) is not None


def _rules(ctx: Context, track: CompiledTrack) -> list[Rule]:
    """The track's rules that apply to this dossier (a rule may apply only to some)."""
    return [
        rule
        for rule in track.rules
        if (applies := getattr(rule, "applies", None)) is None or applies(ctx)
    ]


def _outcome(results: tuple[RequirementResult, ...]) -> Outcome:
    return Outcome.ELIGIBLE if all(r.met for r in results) else Outcome.NOT_ELIGIBLE


def evaluate_dossier(
    compiled: CompiledCertification,
    dossier: Dossier,
    as_of: date,
    track: str | None = None,
) -> Decision:
    """Return the decision for ``dossier`` as of ``as_of``.

    With ``track`` (or the dossier's ``track``) named, that track is evaluated; otherwise
    every track is, and the best is reported: eligible first, then fewest unmet
    requirements, then declaration order. The others are summarised in ``other_tracks``.

    :raises UnknownTrack: when the named track does not exist.
    :raises DossierError: when a waiver names a requirement the certification lacks.
    """
    errors = waiver_errors(compiled, [waiver.requirement for waiver in dossier.waivers])
    if errors:
        raise DossierError(errors)
    wanted = track if track is not None else dossier.track
    if wanted is not None:
        chosen = compiled.track(wanted)
        if chosen is None:
            raise UnknownTrack(compiled.id, wanted, [t.id for t in compiled.tracks])
        candidates: tuple[CompiledTrack, ...] = (chosen,)
    else:
        candidates = compiled.tracks
    ctx = Context(
        dossier, as_of, compiled.declaration.validity_years, components=compiled.components
    )
    others: tuple[TrackSummary, ...] = ()
    best_track = candidates[0]
    if len(candidates) > 1:
        # Rank by what is unmet, then build the full results of the best track only.
        unmet = [tuple(r.id for r in _rules(ctx, t) if not _met(ctx, r)) for t in candidates]
        best = min(range(len(candidates)), key=lambda i: (bool(unmet[i]), len(unmet[i]), i))
        best_track = candidates[best]
        others = tuple(
            TrackSummary(
                track=candidates[i].id,
                outcome=Outcome.NOT_ELIGIBLE if unmet[i] else Outcome.ELIGIBLE,
                unmet=unmet[i],
            )
            for i in range(len(candidates))
            if i != best
        )
    results = tuple(_result(ctx, rule) for rule in _rules(ctx, best_track))
    flags = _flags(ctx, compiled, results)
    if wanted is None and len(candidates) > 1:
        flags = (*flags, _track_chosen(compiled, best_track.id))
    return Decision(
        learner=dossier.learner,
        as_of=as_of,
        track=best_track.id,
        outcome=_outcome(results),
        certification=compiled.ref,
        engine_version=ENGINE_VERSION,
        text_version=TEXT_VERSION,
        input_digest=input_digest(dossier),
        requirements=results,
        other_tracks=others,
        flags=flags,
    )


def _flags(
    ctx: Context,
    compiled: CompiledCertification,
    results: tuple[RequirementResult, ...],
) -> tuple[Flag, ...]:
    """Every kind's observations for the jury, in the order of the kinds."""
    by_id = {result.id: result for result in results}
    declaration = compiled.declaration
    return tuple(
        flag for kind in compiled.all_kinds for flag in kind.flags(ctx, declaration, by_id)
    )


def _track_chosen(compiled: CompiledCertification, track_id: str) -> Flag:
    """No track was named: the engine chose the one the decision reports."""
    declared = next(t for t in compiled.declaration.tracks if t.id == track_id)
    return Flag(
        code="track_chosen",
        message=Message(
            fr="Aucun parcours n'était indiqué dans le dossier\u202f: le contrôle retient "
            f"le parcours {quoted(declared.title, 'fr')}, celui dont le dossier remplit le "
            "plus de conditions.",
            en="The dossier named no track: the check reports the track "
            f"{quoted(declared.title, 'en')}, the one whose conditions the dossier meets best.",
        ),
    )
