"""Declarations compiled once into rules, so evaluating a dossier does no lookup or setup."""

from __future__ import annotations

from collections.abc import Mapping

from attrs import field, frozen

from rulekit.decision import CertificationRef
from rulekit.declaration import Certification
from rulekit.digest import ruleset_digest
from rulekit.dossier import Via
from rulekit.engine.context import Components
from rulekit.kinds.base import Kind, as_kind, track_rules
from rulekit.rules import Rule, RuleType


class DeclarationError(ValueError):
    """A declaration cannot be compiled (unknown rule kind, duplicate track...)."""


@frozen
class CompiledTrack:
    """One track's requirements, in decision order."""

    id: str
    rules: tuple[Rule, ...]


@frozen
class CompiledCertification:
    """A certification ready to evaluate dossiers, with what a decision must cite.

    ``kinds`` maps each requirement id to the kind that produced it (replay, witnesses).
    """

    declaration: Certification
    ref: CertificationRef
    tracks: tuple[CompiledTrack, ...]
    requirement_ids: frozenset[str]
    kinds: Mapping[str, Kind] = field(factory=dict, eq=False)
    all_kinds: tuple[Kind, ...] = field(default=(), eq=False)
    """Every registered kind, in order: each may flag a dossier (specs/core.md, "Flags")."""
    components: Components = field(factory=Components, eq=False)

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
    rule_types: Mapping[str, RuleType | Kind],
) -> CompiledCertification:
    """Compile a declaration into rules, asking each registered kind for its own.

    Requirements come in the order of the kinds (the core's: ``units``, ``choice``,
    ``experience``, ``internship``, ``blocks``, ``registration``), then custom ones in
    declaration order. A rule equal for every track is shared by them and evaluated once
    per dossier.

    :raises DeclarationError: when the declaration is inconsistent.
    """
    _check_tracks(certification)
    kinds = [as_kind(rule_type) for rule_type in rule_types.values()]
    shared: dict[Rule, Rule] = {}
    by_id: dict[str, Kind] = {}
    tracks = []
    for track in certification.tracks:
        try:
            pairs = track_rules(certification, track, kinds)
        except ValueError as exc:
            raise DeclarationError(f"{certification.id}: {exc}") from exc
        rules = []
        for kind, rule in pairs:
            try:
                rules.append(shared.setdefault(rule, rule))
            except TypeError:  # an unhashable plugin rule is evaluated once per track
                rules.append(rule)
            by_id.setdefault(rule.id, kind)
        track_ids = [rule.id for rule in rules]
        if len(set(track_ids)) != len(track_ids):
            raise DeclarationError(f"{certification.id}/{track.id}: duplicate requirement ids")
        tracks.append(CompiledTrack(track.id, tuple(rules)))
    ref = CertificationRef(
        id=certification.id,
        rncp=certification.rncp,
        title=certification.title,
        plugin=plugin,
        plugin_version=plugin_version,
        ruleset_version=certification.version,
        ruleset_digest=ruleset_digest(certification),
    )
    return CompiledCertification(
        certification,
        ref,
        tuple(tracks),
        frozenset(by_id),
        by_id,
        tuple(kinds),
        _components(certification),
    )


def _components(certification: Certification) -> Components:
    """Titles, accepted ways of acquiring units, and the first day components count."""
    titles: dict[str, str] = {}
    acquired_by: dict[str, frozenset[Via]] = {}
    for track in certification.tracks:
        for unit in (*track.mandatory, *(u for g in track.choices for u in g.units)):
            if unit.title:
                titles.setdefault(unit.code, unit.title)
            if unit.acquired_by:
                try:
                    ways = frozenset(Via(way) for way in unit.acquired_by)
                except ValueError as exc:
                    raise DeclarationError(
                        f"{certification.id}: unit {unit.code}: acquired_by {exc}"
                    ) from None
                acquired_by.setdefault(unit.code, ways)
    for bloc in certification.blocs:
        if bloc.title:
            titles.setdefault(bloc.code, bloc.title)
    return Components(titles, acquired_by, certification.components_from)


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
