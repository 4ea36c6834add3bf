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
    Outcome,
    RequirementResult,
    TrackSummary,
)
from rulekit.dossier import Dossier
from rulekit.engine.compiled import CompiledCertification, CompiledTrack
from rulekit.engine.context import Context, evidence
from rulekit.errors import DossierError, InputError, UnknownTrack
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
    """Return an error for each waiver naming no requirement of the certification.

    :param requirements: the ``requirement`` of each waiver, in dossier order; values that are
        not strings are skipped (validation reports them).
    """
    return [
        InputError(
            f"waivers[{index}].requirement",
            f"{requirement!r} is not a requirement of {compiled.id} "
            f"({', '.join(sorted(compiled.requirement_ids))})",
        )
        for index, requirement in enumerate(requirements)
        if isinstance(requirement, str) and requirement not in compiled.requirement_ids
    ]


def _evaluate_track(ctx: Context, track: CompiledTrack) -> tuple[RequirementResult, ...]:
    def result_of(rule: Rule) -> RequirementResult:
        def run() -> RequirementResult:
            return _waived(ctx, rule.evaluate(ctx))

        return ctx.cached(("rule", id(rule)), run)

    return tuple(result_of(rule) for rule in track.rules)


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
    ctx = Context(dossier, as_of, compiled.declaration.validity_years)
    evaluated = [(t, _evaluate_track(ctx, t)) for t in candidates]
    ranked = sorted(
        range(len(evaluated)),
        key=lambda i: (
            _outcome(evaluated[i][1]) is not Outcome.ELIGIBLE,
            sum(not r.met for r in evaluated[i][1]),
            i,
        ),
    )
    best_track, results = evaluated[ranked[0]]
    others = tuple(
        TrackSummary(
            track=evaluated[i][0].id,
            outcome=_outcome(evaluated[i][1]),
            unmet=tuple(r.id for r in evaluated[i][1] if not r.met),
        )
        for i in range(len(evaluated))
        if i != ranked[0]
    )
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
    )
