"""Witnesses: for each track, the smallest dossier the engine finds eligible, or why none is.

The builder reads the declaration only, never engine code, and makes the most favourable
dossier it can with as few items as possible (size = number of units, blocs, periods and
other items):

- every slot of the track (mandatory units, then ``choose`` units per choice group, by the
  same maximum matching the engine uses) filled by one passed unit;
- every bloc, when blocs are required, passed;
- experience as one in-field period ending on the as-of date, long enough for both the
  experience rule and the internship threshold, so no internship is needed where the
  rule lets experience in the field replace it; else one in-field internship; or, when
  fewer items do it, the units that attest them;
- every component dated on the as-of date itself, so that no validity period can expire;
- the as-of date: the first day the rule set is in force and the title may be awarded
  (registration window, else ``effective_from``, else :data:`DEFAULT_AS_OF`), with an
  enrolment date inside the window when only the transitional rule can apply.

It then asks :func:`rulekit.evaluate` for the decision. Eligible: the dossier is the
witness. Not eligible: since nothing more favourable exists, each unmet requirement is
one no dossier can meet at any date, and the builder says why. Requirements of plugin rule
types are the exception: the builder cannot make evidence for them, so their failure is
reported as undetermined, not as a proof.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from attrs import frozen

from rulekit.api import evaluate
from rulekit.declaration import Certification, Track
from rulekit.dossier import DOSSIER_FORMAT
from rulekit.dossier_io import BLOCK_CODE, UNIT_CODE
from rulekit.engine.compiled import CompiledCertification
from rulekit.matching import assign
from rulekit.months import required_days
from rulekit.registry import Registry
from rulekit.rules.units import TrackSlots

DEFAULT_AS_OF = date(2024, 1, 1)
"""As-of date of a rule set with neither registration nor ``effective_from``: no
requirement then depends on the date, so any date gives the same decision."""

WITNESS_LEARNER = "witness"


@frozen
class Unmet:
    """A requirement the most favourable dossier does not meet, and why."""

    requirement: str
    reason: str
    proven: bool
    """True: no dossier can meet it; false: the builder could not tell (plugin rule type)."""


@frozen
class TrackWitness:
    """The witness of one track of one rule-set version.

    ``dossier`` (JSON ``rulekit.dossier/1``) is eligible as of ``as_of`` when ``unmet`` is
    empty; otherwise it is the most favourable dossier tried, and ``unmet`` says which
    requirement fails and why.
    """

    certification: str
    version: str
    track: str
    as_of: date
    dossier: dict[str, Any]
    unmet: tuple[Unmet, ...]

    @property
    def found(self) -> bool:
        """Whether the dossier is eligible."""
        return not self.unmet

    @property
    def proven_impossible(self) -> bool:
        """Whether no dossier can be eligible for this track (some unmet is proven)."""
        return any(u.proven for u in self.unmet)

    @property
    def size(self) -> int:
        """The number of items in the dossier (units, blocs, periods)."""
        return sum(
            len(self.dossier.get(key, []))
            for key in ("units", "blocks", "experience", "internships", "waivers")
        )


def _iso(day: date) -> str:
    return day.isoformat()


def _period(as_of: date, months: int) -> tuple[date, date]:
    """The shortest period ending on ``as_of`` that meets ``months`` months.

    That is D(months) days at full time (specs/core.md, Months).
    """
    return as_of - timedelta(days=required_days(months) - 1), as_of


def _as_of(certification: Certification) -> tuple[date, date | None, list[Unmet]]:
    """Return the as-of date, the enrolment date to declare (or None), and static failures."""
    window = certification.registration
    effective = certification.effective_from
    if window is None:
        return effective or DEFAULT_AS_OF, None, []
    start, end, deadline = window.registered_from, window.registered_until, window.award_deadline
    if end < start:
        reason = (
            f"the registration window is empty (registered_until {end} is before "
            f"registered_from {start}): the title is never registered"
        )
        return start, None, [Unmet("registration", reason, True)]
    first = max(start, effective) if effective is not None else start
    if first <= end:
        return first, None, []
    if deadline is not None and first > deadline:
        reason = (
            f"the rule set takes effect on {first}, after the registration ended ({end}) "
            f"and after the award deadline ({deadline})"
        )
        return first, start, [Unmet("registration", reason, True)]
    return first, start, []


def _units(track: Track) -> tuple[list[str], list[Unmet]]:
    """The fewest units that fill every slot, and the slots no unit can fill."""
    slots = TrackSlots.of(track)
    usable = sorted(code for code in slots.codes if UNIT_CODE.match(code))
    filled = assign(slots.slots, usable)
    unmet: list[Unmet] = []
    empty_mandatory = [
        unit.code
        for unit, got in zip(track.mandatory, filled[: slots.mandatory_count], strict=True)
        if got is None
    ]
    if empty_mandatory:
        reasons = []
        for code in empty_mandatory:
            if not UNIT_CODE.match(code):
                reasons.append(f"unit code {code!r} is malformed: no valid dossier holds it")
            else:
                reasons.append(f"unit {code} is listed twice: a unit counts once")
        unmet.append(Unmet("units", "; ".join(reasons), True))
    position = slots.mandatory_count
    short = []
    for index, group in enumerate(track.choices):
        got = [c for c in filled[position : position + group.choose] if c]
        position += group.choose
        if len(got) < group.choose:
            short.append(
                f"group {index} asks for {group.choose} among {len(group.codes)} units "
                f"({', '.join(sorted(group.codes))}) but at most {len(got)} can fill it"
            )
    if short:
        unmet.append(Unmet("choice", "; ".join(short), True))
    return sorted({code for code in filled if code is not None}), unmet


def _candidates(
    certification: Certification, as_of: date, units: list[str]
) -> list[dict[str, Any]]:
    """Dossier bodies (units, periods) to try, the preferred first among equal sizes."""
    experience = certification.experience
    internship = certification.internship
    with_periods: dict[str, Any] = {"units": list(units), "experience": [], "internships": []}
    in_field_months = 0
    if experience is not None and experience.months > 0:
        in_field_months = experience.months
    threshold = internship.required_below_in_field_months if internship else None
    internship_needed = internship is not None and internship.months > 0
    if internship_needed and threshold is not None and experience is not None:
        # Longer experience in the field makes the internship unnecessary: one item fewer.
        in_field_months = max(in_field_months, threshold)
        internship_needed = threshold > in_field_months
    if in_field_months > 0:
        start, end = _period(as_of, in_field_months)
        with_periods["experience"].append(
            {"start": _iso(start), "end": _iso(end), "in_field": True}
        )
    if internship_needed and internship is not None:
        start, end = _period(as_of, internship.months)
        with_periods["internships"].append(
            {"start": _iso(start), "end": _iso(end), "in_field": True}
        )
    candidates = [with_periods]
    attesting = _attestation(certification, units)
    if attesting is not None:
        candidates.append({"units": attesting, "experience": [], "internships": []})
    return candidates


def _attestation(certification: Certification, units: list[str]) -> list[str] | None:
    """Units plus attesting units covering experience and internship, if every rule has one."""
    rules = [rule for rule in (certification.experience, certification.internship) if rule]
    if not rules or any(not rule.attested_by for rule in rules):
        return None
    chosen: set[str] = set()
    for rule in rules:
        shared = [code for code in rule.attested_by if code in chosen]
        if shared:
            continue
        common = [
            code
            for code in rule.attested_by
            if all(code in other.attested_by for other in rules) and UNIT_CODE.match(code)
        ]
        pick = common or [code for code in rule.attested_by if UNIT_CODE.match(code)]
        if not pick:
            return None
        chosen.add(pick[0])
    return sorted(set(units) | chosen)


def _dossier(
    certification: Certification,
    track: Track,
    as_of: date,
    enrolled_on: date | None,
    body: dict[str, Any],
) -> dict[str, Any]:
    dossier: dict[str, Any] = {
        "format": DOSSIER_FORMAT,
        "learner": {"id": WITNESS_LEARNER},
        "certification": certification.id,
        "track": track.id,
    }
    if enrolled_on is not None:
        dossier["enrolled_on"] = _iso(enrolled_on)
    dossier["units"] = [
        {"code": code, "result": "passed", "date": _iso(as_of)} for code in body["units"]
    ]
    if certification.blocs_required:
        dossier["blocks"] = [
            {"code": bloc.code, "result": "passed", "date": _iso(as_of)}
            for bloc in certification.blocs
            if BLOCK_CODE.match(bloc.code)
        ]
    dossier["experience"] = body["experience"]
    dossier["internships"] = body["internships"]
    return {key: value for key, value in dossier.items() if value != []}


def _explain(
    requirement: str, certification: Certification, known: Sequence[Unmet], message: str
) -> Unmet:
    """Say why ``requirement`` is unmet by the most favourable dossier."""
    for unmet in known:
        if unmet.requirement == requirement:
            return unmet
    kinds = {custom.id: custom.kind for custom in certification.custom}
    if requirement in kinds:
        return Unmet(
            requirement,
            f"requirement of plugin rule type {kinds[requirement]!r}: the witness builder "
            "cannot make evidence for it, so this is not a proof; add a conformance case "
            "that meets it",
            False,
        )
    years = certification.validity_years
    if years is not None and years < 0 and requirement in ("units", "choice", "blocks"):
        return Unmet(
            requirement,
            f"a validity of {years} years: every component has expired before it is acquired",
            True,
        )
    if requirement == "blocks":
        malformed = [b.code for b in certification.blocs if not BLOCK_CODE.match(b.code)]
        if malformed:
            return Unmet(
                requirement,
                f"bloc codes {', '.join(map(repr, malformed))} are malformed: no valid dossier "
                "holds them",
                True,
            )
    if requirement in ("experience", "internship"):
        return Unmet(requirement, f"even the most favourable periods fail: {message}", True)
    return Unmet(requirement, message, False)


def build_witness(
    compiled: CompiledCertification, track_id: str, registry: Registry
) -> TrackWitness:
    """Return the witness of one track (see the module docstring for how it is built).

    :param registry: a registry holding ``compiled``; the decision comes from
        :func:`rulekit.evaluate` with that registry and ``compiled``'s version.
    """
    certification = compiled.declaration
    track = next(t for t in certification.tracks if t.id == track_id)
    as_of, enrolled_on, static = _as_of(certification)
    units, unit_failures = _units(track)
    known = [*static, *unit_failures]
    tried: list[tuple[dict[str, Any], tuple[Unmet, ...]]] = []
    for body in _candidates(certification, as_of, units):
        dossier = _dossier(certification, track, as_of, enrolled_on, body)
        decision = evaluate(
            dossier,
            certification=certification.id,
            track=track.id,
            as_of=as_of,
            ruleset_version=certification.version,
            registry=registry,
        )
        unmet = tuple(
            _explain(r.id, certification, known, r.message.en)
            for r in decision.requirements
            if not r.met
        )
        tried.append((dossier, unmet))

    def size(entry: tuple[dict[str, Any], tuple[Unmet, ...]]) -> int:
        dossier = entry[0]
        return sum(
            len(dossier.get(k, [])) for k in ("units", "blocks", "experience", "internships")
        )

    eligible = [entry for entry in tried if not entry[1]]
    dossier, unmet = min(eligible, key=size) if eligible else tried[0]
    return TrackWitness(certification.id, certification.version, track.id, as_of, dossier, unmet)


def build_witnesses(registry: Registry, certification: str | None = None) -> list[TrackWitness]:
    """Return the witness of every track of every installed rule-set version, in order."""
    ids = [certification] if certification is not None else registry.ids()
    return [
        build_witness(compiled, track.id, registry)
        for cert_id in ids
        for compiled in registry.versions(cert_id)
        for track in compiled.declaration.tracks
    ]
