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
from rulekit.dossier_io import UNIT_CODE
from rulekit.engine.compiled import CompiledCertification
from rulekit.kinds.base import Kind
from rulekit.months import required_days
from rulekit.registry import Registry

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


class WitnessPlan:
    """The most favourable dossier of one track, as the kinds build it.

    Each kind's :meth:`~rulekit.kinds.base.Kind.witness_date` may move the as-of date
    (and set an enrolment date); each kind's :meth:`~rulekit.kinds.base.Kind.witness`
    then adds units, blocs, months of in-field experience or of internship, the units
    that could attest periods instead, and proofs that no dossier can meet a requirement.
    """

    def __init__(self, certification: Certification, track: Track) -> None:
        self.certification = certification
        self.track = track
        self.as_of: date = certification.effective_from or DEFAULT_AS_OF
        self.enrolled_on: date | None = None
        self.units: set[str] = set()
        self.blocks: list[str] = []
        self.in_field_months = 0
        """Months of one in-field experience period ending on the as-of date (0: none)."""
        self.internship_months = 0
        """Months of one in-field internship ending on the as-of date (0: none)."""
        self.attesting: list[tuple[str, ...]] = []
        """For each period requirement, the units that could attest it instead."""
        self.proofs: list[Unmet] = []

    def proof(self, requirement: str, reason: str) -> None:
        """Record that no dossier can meet ``requirement``, and why."""
        self.proofs.append(Unmet(requirement, reason, True))

    def attestable(self, codes: Sequence[str]) -> None:
        """Record the units that could attest one period requirement (none: it needs periods)."""
        self.attesting.append(tuple(codes))

    def component_failure(self, message: str) -> tuple[str, bool]:
        """Why held units or blocs fail: proven when a validity leaves nothing counting."""
        years = self.certification.validity_years
        if years is not None and years < 0:  # 0 years: counts on the day it is acquired
            return (
                f"a validity of {years} years: every component has expired before it is acquired",
                True,
            )
        return message, False

    def bodies(self) -> list[dict[str, Any]]:
        """Dossier bodies (units, periods) to try, the preferred first among equal sizes."""
        with_periods: dict[str, Any] = {
            "units": sorted(self.units),
            "experience": [],
            "internships": [],
        }
        for key, months in (
            ("experience", self.in_field_months),
            ("internships", self.internship_months),
        ):
            if months > 0:
                start, end = _period(self.as_of, months)
                with_periods[key].append({"start": _iso(start), "end": _iso(end), "in_field": True})
        bodies = [with_periods]
        attesting = self._attestation()
        if attesting is not None:
            bodies.append({"units": attesting, "experience": [], "internships": []})
        return bodies

    def _attestation(self) -> list[str] | None:
        """Units plus attesting units covering every period requirement, if each has one."""
        rules = self.attesting
        if not rules or any(not codes for codes in rules):
            return None
        chosen: set[str] = set()
        for codes in rules:
            if any(code in chosen for code in codes):
                continue
            common = [
                code
                for code in codes
                if all(code in other for other in rules) and UNIT_CODE.match(code)
            ]
            pick = common or [code for code in codes if UNIT_CODE.match(code)]
            if not pick:
                return None
            chosen.add(pick[0])
        return sorted(self.units | chosen)

    def dossier(self, body: dict[str, Any]) -> dict[str, Any]:
        """The JSON dossier of one body, every component dated on the as-of date."""
        dossier: dict[str, Any] = {
            "format": DOSSIER_FORMAT,
            "learner": {"id": WITNESS_LEARNER},
            "certification": self.certification.id,
            "track": self.track.id,
        }
        if self.enrolled_on is not None:
            dossier["enrolled_on"] = _iso(self.enrolled_on)
        day = _iso(self.as_of)
        dossier["units"] = [{"code": c, "result": "passed", "date": day} for c in body["units"]]
        dossier["blocks"] = [{"code": c, "result": "passed", "date": day} for c in self.blocks]
        dossier["experience"] = body["experience"]
        dossier["internships"] = body["internships"]
        return {key: value for key, value in dossier.items() if value != []}

    def explain(self, kind: Kind | None, requirement: str, message: str) -> Unmet:
        """Say why ``requirement`` is unmet by the most favourable dossier."""
        for unmet in self.proofs:
            if unmet.requirement == requirement:
                return unmet
        if kind is None:
            return Unmet(requirement, message, False)
        reason, proven = kind.explain(self, requirement, message)
        return Unmet(requirement, reason, proven)


def build_witness(
    compiled: CompiledCertification, track_id: str, registry: Registry
) -> TrackWitness:
    """Return the witness of one track (see the module docstring for how it is built).

    :param registry: a registry holding ``compiled``; the decision comes from
        :func:`rulekit.evaluate` with that registry and ``compiled``'s version.
    """
    certification = compiled.declaration
    track = next(t for t in certification.tracks if t.id == track_id)
    plan = WitnessPlan(certification, track)
    kinds = registry.kinds
    for kind in kinds:
        kind.witness_date(plan)
    for kind in kinds:
        kind.witness(plan)
    tried: list[tuple[dict[str, Any], tuple[Unmet, ...]]] = []
    for body in plan.bodies():
        dossier = plan.dossier(body)
        decision = evaluate(
            dossier,
            certification=certification.id,
            track=track.id,
            as_of=plan.as_of,
            ruleset_version=certification.version,
            registry=registry,
        )
        unmet = tuple(
            plan.explain(compiled.kinds.get(r.id), r.id, r.message.en)
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
    return TrackWitness(
        certification.id, certification.version, track.id, plan.as_of, dossier, unmet
    )


def build_witnesses(registry: Registry, certification: str | None = None) -> list[TrackWitness]:
    """Return the witness of every track of every installed rule-set version, in order."""
    ids = [certification] if certification is not None else registry.ids()
    return [
        build_witness(compiled, track.id, registry)
        for cert_id in ids
        for compiled in registry.versions(cert_id)
        for track in compiled.declaration.tracks
    ]
