"""Declarations compiled once into rules, so evaluating a dossier does no lookup or setup."""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from rulekit.decision import CertificationRef
from rulekit.declaration import Certification
from rulekit.digest import ruleset_digest
from rulekit.rules import Rule, RuleType
from rulekit.rules.blocks import AllBlocks
from rulekit.rules.periods import ExperienceRequirement, InternshipRequirement
from rulekit.rules.registration import RegisteredOnDate
from rulekit.rules.units import ChoiceGroups, MandatoryUnits, TrackSlots


class DeclarationError(ValueError):
    """A declaration cannot be compiled (unknown rule kind, duplicate track...)."""


@frozen
class CompiledTrack:
    """One track's requirements, in decision order."""

    id: str
    rules: tuple[Rule, ...]


@frozen
class CompiledCertification:
    """A certification ready to evaluate dossiers, with what a decision must cite."""

    declaration: Certification
    ref: CertificationRef
    tracks: tuple[CompiledTrack, ...]
    requirement_ids: frozenset[str]

    @property
    def id(self) -> str:
        """The certification id."""
        return self.declaration.id

    def track(self, track_id: str) -> CompiledTrack | None:
        """Return the track with this id, or ``None``."""
        for track in self.tracks:
            if track.id == track_id:
                return track
        return None


def compile_certification(
    certification: Certification,
    *,
    plugin: str,
    plugin_version: str,
    rule_types: Mapping[str, RuleType],
) -> CompiledCertification:
    """Compile a declaration into rules.

    Requirements come in a fixed order: ``units``, ``choice`` (tracks with choice groups),
    ``experience``, ``internship``, ``blocks``, ``registration``, then custom ones in
    declaration order. Rules that do not depend on the track are shared by every track and
    evaluated once per dossier.

    :raises DeclarationError: when the declaration is inconsistent.
    """
    _check_tracks(certification)
    shared = _shared_rules(certification, rule_types)
    tracks = []
    for track in certification.tracks:
        slots = TrackSlots.of(track)
        own: list[Rule] = []
        if track.mandatory:
            own.append(MandatoryUnits(slots))
        if track.choices:
            own.append(ChoiceGroups(slots))
        tracks.append(CompiledTrack(track.id, (*own, *shared)))
    for compiled_track in tracks:
        track_ids = [rule.id for rule in compiled_track.rules]
        if len(set(track_ids)) != len(track_ids):
            raise DeclarationError(
                f"{certification.id}/{compiled_track.id}: duplicate requirement ids"
            )
    ids = [rule.id for compiled_track in tracks for rule in compiled_track.rules]
    ref = CertificationRef(
        id=certification.id,
        rncp=certification.rncp,
        title=certification.title,
        plugin=plugin,
        plugin_version=plugin_version,
        ruleset_version=certification.version,
        ruleset_digest=ruleset_digest(certification),
    )
    return CompiledCertification(certification, ref, tuple(tracks), frozenset(ids))


def _check_tracks(certification: Certification) -> None:
    if not certification.tracks:
        raise DeclarationError(f"{certification.id}: declares no track")
    seen: set[str] = set()
    for track in certification.tracks:
        if track.id in seen:
            raise DeclarationError(f"{certification.id}: track {track.id!r} declared twice")
        seen.add(track.id)
        for group in track.choices:
            if not 0 < group.choose <= len(group.codes):
                raise DeclarationError(
                    f"{certification.id}/{track.id}: cannot choose {group.choose} "
                    f"among {len(group.codes)} units"
                )


def _shared_rules(certification: Certification, rule_types: Mapping[str, RuleType]) -> list[Rule]:
    """Rules that do not depend on the track, in decision order."""
    shared: list[Rule] = []
    if certification.experience is not None:
        shared.append(ExperienceRequirement(certification.experience))
    if certification.internship is not None:
        shared.append(InternshipRequirement(certification.internship))
    if certification.blocs_required:
        shared.append(AllBlocks(certification.blocs))
    if certification.registration is not None:
        shared.append(RegisteredOnDate(certification.registration))
    for custom in certification.custom:
        rule_type = rule_types.get(custom.kind)
        if rule_type is None:
            raise DeclarationError(
                f"{certification.id}: requirement {custom.id!r} has unknown kind {custom.kind!r}"
            )
        try:
            shared.append(rule_type.build(custom, certification))
        except ValueError as exc:
            raise DeclarationError(f"{certification.id}: requirement {custom.id!r}: {exc}") from exc
    return shared
