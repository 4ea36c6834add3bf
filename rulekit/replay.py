"""Replay recorded decisions: exactly, with the recorded rule set, or against today's rules.

**Exact** (:func:`replay_exact`): the record's dossier is evaluated again with the recorded
certification, rule-set version, track choice and as-of date. The result must be the
recorded bytes; the statuses are

- ``identical``: byte for byte;
- ``defect``: anything else with the same engine and wording, or an installed rule set of
  the recorded version whose digest differs (a published rule set was changed);
- ``not_installed``: the recorded rule-set version is not installed here; the record names
  the plugin distribution and version that holds it;
- ``engine_changed``: it differs only in ``engine_version`` and what a new engine may
  change without changing a decision: the message wording when the recorded
  ``text_version`` differs too, the ``input_digest`` (its definition belongs to the
  engine), and the ``ruleset_digest`` when the recorded one is the installed rule set's
  digest in the form that engine used (:func:`rulekit.digest.legacy_ruleset_digest`, for
  engine 0.1.x). Install the recorded rulekit version to replay it byte for byte.

**Current** (:func:`replay_current`): the dossier is evaluated, as of the recorded date,
with the rule set in force on ``rules_as_of`` (today, by default). Each requirement whose
result changed is listed with its old and new basis and what is missing, and with the
declaration fields that changed between the two rule sets and bear on it (the cause).

The track is replayed as it was chosen: a decision that reports other tracks was made
with every track evaluated; one that reports none had its track fixed (by the dossier, by
``--track``, or because the certification has only one).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from attrs import frozen

from rulekit.api import evaluate
from rulekit.calendar import parse_iso_date
from rulekit.changes import FieldChange, diff
from rulekit.codec import decision_to_dict, shared_converter
from rulekit.decision import Decision
from rulekit.declaration import Certification
from rulekit.digest import legacy_ruleset_digest
from rulekit.dossier_io import load_dossier
from rulekit.engine.compiled import CompiledCertification
from rulekit.errors import ContestedCertification, RulekitError, UnknownCertification
from rulekit.kinds.base import Kind
from rulekit.log.record import Record
from rulekit.log.recording import decision_bytes
from rulekit.registry import Registry
from rulekit.version import ENGINE_VERSION, TEXT_VERSION

DIFF_LIMIT = 20
"""Differences listed per defective decision (the count says how many there were)."""


@frozen
class RequirementChange:
    """One requirement whose result differs between the recorded and the new decision."""

    id: str
    old: dict[str, Any] | None
    """The recorded requirement (JSON), ``None`` when it did not exist."""
    new: dict[str, Any] | None
    """The new requirement (JSON), ``None`` when it no longer exists."""
    aspects: tuple[str, ...]
    """Which parts changed: ``met``, ``basis``, ``missing``, ``evidence``, ``measure``..."""
    causes: tuple[FieldChange, ...]
    """Declaration changes that bear on this requirement."""

    def to_json(self) -> dict[str, Any]:
        """Return the change as a JSON object."""
        return {
            "id": self.id,
            "aspects": list(self.aspects),
            "old": _summary(self.old),
            "new": _summary(self.new),
            "causes": [cause.to_json() for cause in self.causes],
        }


def _summary(requirement: dict[str, Any] | None) -> dict[str, Any] | None:
    if requirement is None:
        return None
    keys = ("met", "basis", "missing", "measure")
    return {key: requirement[key] for key in keys if key in requirement}


@frozen
class ReplayResult:
    """What replaying one record gave."""

    seq: int
    recorded_at: str
    learner: str
    certification: str
    as_of: str
    status: str
    detail: str
    recorded_ruleset: str
    """``version digest`` of the rule set the decision was recorded with."""
    replayed_ruleset: str | None = None
    differences: tuple[FieldChange, ...] = ()
    """Exact mode: where the bytes differ (first :data:`DIFF_LIMIT`)."""
    difference_count: int = 0
    outcome: tuple[str, str] | None = None
    """Current mode: recorded and new outcome, when they differ."""
    track: tuple[str, str] | None = None
    """Current mode: recorded and new track, when they differ."""
    requirements: tuple[RequirementChange, ...] = ()
    rule_changes: tuple[FieldChange, ...] = ()
    """Current mode: every declaration field that differs between the two rule sets."""

    def to_json(self) -> dict[str, Any]:
        """Return the result as a JSON object (format of ``rulekit replay --format json``)."""
        body: dict[str, Any] = {
            "seq": self.seq,
            "recorded_at": self.recorded_at,
            "learner": self.learner,
            "certification": self.certification,
            "as_of": self.as_of,
            "status": self.status,
            "detail": self.detail,
            "recorded_ruleset": self.recorded_ruleset,
            "replayed_ruleset": self.replayed_ruleset,
        }
        if self.differences:
            body["differences"] = [change.to_json() for change in self.differences]
            body["difference_count"] = self.difference_count
        if self.outcome is not None:
            body["outcome"] = {"old": self.outcome[0], "new": self.outcome[1]}
        if self.track is not None:
            body["track"] = {"old": self.track[0], "new": self.track[1]}
        if self.requirements:
            body["requirements"] = [change.to_json() for change in self.requirements]
        if self.rule_changes:
            body["rule_changes"] = [change.to_json() for change in self.rule_changes]
        return body


@frozen
class _Recorded:
    """The parts of a recorded decision replay needs."""

    json: dict[str, Any]
    certification: str
    version: str
    digest: str
    plugin: str
    plugin_version: str
    as_of: date
    track: str | None

    @property
    def ruleset(self) -> str:
        return f"{self.version} {self.digest}"


def _recorded(record: Record) -> _Recorded:
    value = json.loads(record.decision)
    cert = value["certification"]
    fixed_track = None if value.get("other_tracks") else value["track"]
    return _Recorded(
        json=value,
        certification=cert["id"],
        version=cert["ruleset_version"],
        digest=cert["ruleset_digest"],
        plugin=cert["plugin"],
        plugin_version=cert["plugin_version"],
        as_of=parse_iso_date(value["as_of"]),
        track=fixed_track,
    )


def _base(record: Record, recorded: _Recorded | None) -> dict[str, Any]:
    if recorded is None:
        return {
            "seq": record.seq,
            "recorded_at": record.recorded_at,
            "learner": "?",
            "certification": "?",
            "as_of": "?",
            "recorded_ruleset": "?",
        }
    return {
        "seq": record.seq,
        "recorded_at": record.recorded_at,
        "learner": str(recorded.json.get("learner", {}).get("id", "?")),
        "certification": recorded.certification,
        "as_of": recorded.as_of.isoformat(),
        "recorded_ruleset": recorded.ruleset,
    }


def _installed(registry: Registry, recorded: _Recorded) -> CompiledCertification | None:
    """The installed rule set of the recorded version; ``None`` when none (or contested)."""
    try:
        versions = registry.versions(recorded.certification)
    except UnknownCertification:
        return None
    for compiled in versions:
        if compiled.declaration.version == recorded.version:
            return compiled
    return None


def _holder(recorded: _Recorded, registry: Registry) -> str:
    contested = registry.contested(recorded.certification)
    if contested is not None:
        return f"{ContestedCertification(recorded.certification, contested)}; recorded with " + (
            f"{recorded.plugin} {recorded.plugin_version}"
        )
    return (
        f"rule set {recorded.certification} version {recorded.version} ({recorded.digest}) is "
        f"not installed; it is held by {recorded.plugin} {recorded.plugin_version}: "
        f"pip install '{recorded.plugin}=={recorded.plugin_version}'"
    )


def _evaluate(record: Record, recorded: _Recorded, version: str, registry: Registry) -> Decision:
    return evaluate(
        load_dossier(record.dossier),
        certification=recorded.certification,
        track=recorded.track,
        as_of=recorded.as_of,
        ruleset_version=version,
        registry=registry,
    )


def _unreadable(record: Record, exc: Exception) -> ReplayResult:
    return ReplayResult(
        **_base(record, None),
        status="defect",
        detail=f"the recorded decision cannot be read: {exc}",
    )


LEGACY_DIGEST_ENGINES = ("0.1.",)
"""Engine versions (prefixes) whose rule-set digest was the form ``rulekit.ruleset/1``."""


def _legacy_digest_matches(recorded: _Recorded, compiled: CompiledCertification) -> bool:
    """Whether the recorded digest is the installed rule set's, in its recording engine's form.

    Engine 0.1.x wrote every default value in the canonical form (rulekit/digest.py): a
    decision it recorded carries that digest, which proves the same rule set as well as
    today's digest would.
    """
    engine = str(recorded.json.get("engine_version", ""))
    return (
        engine != ENGINE_VERSION
        and engine.startswith(LEGACY_DIGEST_ENGINES)
        and (legacy_ruleset_digest(compiled.declaration) == recorded.digest)
    )


def _same_rule_set(recorded: _Recorded, compiled: CompiledCertification) -> bool:
    """Whether ``compiled`` is the rule set the decision was recorded with (by its digest)."""
    return compiled.ref.ruleset_digest == recorded.digest or _legacy_digest_matches(
        recorded, compiled
    )


def _only_versions_differ(
    recorded: _Recorded, changes: list[FieldChange], *, legacy_digest: bool = False
) -> bool:
    """Whether every difference is explained by a different engine or wording version.

    Under another engine, with the same rule set (checked before, by its digest in the
    recording engine's form when ``legacy_digest``), every difference is the engine's:
    its digests, its wording and its semantics (specs/core.md says which rules changed
    with which engine). Under the same engine, only the wording version may explain
    differences in messages.
    """
    if recorded.json.get("engine_version") != ENGINE_VERSION:
        return True
    if recorded.json.get("text_version") == TEXT_VERSION:
        return False
    for change in changes:
        if change.path == "text_version":
            continue
        if change.path.startswith("requirements[") and ".message" in change.path:
            continue
        return False
    return True


def _decided_differently(changes: list[FieldChange]) -> list[str]:
    """The differences that change what was decided: outcome, track, a requirement met."""
    return [
        change.path
        for change in changes
        if change.path in ("outcome", "track")
        or (change.path.startswith("requirements[") and change.path.endswith(".met"))
    ]


def replay_exact(record: Record, registry: Registry) -> ReplayResult:
    """Replay ``record`` with its recorded rule-set version (see the module doc)."""
    try:
        recorded = _recorded(record)
    except (ValueError, KeyError, TypeError) as exc:
        return _unreadable(record, exc)
    base = _base(record, recorded)
    compiled = _installed(registry, recorded)
    if compiled is None:
        return ReplayResult(**base, status="not_installed", detail=_holder(recorded, registry))
    installed = f"{compiled.ref.ruleset_version} {compiled.ref.ruleset_digest}"
    legacy_digest = compiled.ref.ruleset_digest != recorded.digest and _legacy_digest_matches(
        recorded, compiled
    )
    changed = compiled.ref.ruleset_digest != recorded.digest and not legacy_digest
    if changed:
        return ReplayResult(
            **base,
            replayed_ruleset=installed,
            status="defect",
            detail=f"installed rule set {recorded.certification} version {recorded.version} "
            f"({compiled.ref.plugin} {compiled.ref.plugin_version}) has digest "
            f"{compiled.ref.ruleset_digest}, recorded {recorded.digest}: a published rule "
            f"set was changed; the recorded one is in {recorded.plugin} "
            f"{recorded.plugin_version}",
        )
    try:
        decision = _evaluate(record, recorded, recorded.version, registry)
    except RulekitError as exc:
        return ReplayResult(
            **base,
            replayed_ruleset=installed,
            status="defect",
            detail=f"the recorded dossier no longer evaluates: {exc}",
        )
    if decision_bytes(decision) == record.decision:
        return ReplayResult(
            **base, replayed_ruleset=installed, status="identical", detail="byte-identical"
        )
    changes = diff(recorded.json, decision_to_dict(decision))
    if not changes:
        detail = "same content, different bytes (JSON layout)"
        status = "defect"
    elif _only_versions_differ(recorded, changes, legacy_digest=legacy_digest):
        status = "engine_changed"
        digests = (
            "; its rule-set digest is the installed rule set's in that engine's digest "
            "form, so it is the same rule set"
            if legacy_digest
            else ""
        )
        decided = _decided_differently(changes)
        verdict = (
            f"; what was decided differs ({', '.join(decided)}): the rules of this engine "
            "differ (CHANGELOG.md)"
            if decided
            else ""
        )
        detail = (
            f"differs only by engine {recorded.json.get('engine_version')} -> "
            f"{ENGINE_VERSION} (text version {recorded.json.get('text_version')} -> "
            f"{TEXT_VERSION}){digests}{verdict}; install rulekit=="
            f"{recorded.json.get('engine_version')} to replay it byte for byte"
        )
    else:
        status = "defect"
        detail = f"{len(changes)} difference(s) with the same rule set"
    return ReplayResult(
        **base,
        replayed_ruleset=installed,
        status=status,
        detail=detail,
        differences=tuple(changes[:DIFF_LIMIT]),
        difference_count=len(changes),
    )


def _causes(
    requirement: str, track: str, rule_changes: list[FieldChange], kinds: Mapping[str, Kind]
) -> tuple[FieldChange, ...]:
    """The changed declaration fields the requirement's kind depends on.

    A change elsewhere is still listed in ``rule_changes``; a requirement no kind claims
    any more (removed) depends on its custom entry.
    """
    kind = kinds.get(requirement)
    prefixes = kind.fields(requirement) if kind is not None else (f"custom[{requirement}]",)
    wanted = [prefix.format(track=track) for prefix in prefixes]
    return tuple(c for c in rule_changes if any(c.under(prefix) for prefix in wanted))


def _untitled(value: Any) -> Any:
    """``value`` without the declared titles of cited items: wording, not what was decided."""
    if isinstance(value, list):
        return [_untitled(item) for item in value]
    if isinstance(value, dict):
        return {k: _untitled(v) for k, v in value.items() if k != "title"}
    return value


def _requirement_changes(
    old: dict[str, Any],
    new: dict[str, Any],
    rule_changes: list[FieldChange],
    kinds: Mapping[str, Kind],
) -> tuple[RequirementChange, ...]:
    old_reqs = {r["id"]: r for r in old.get("requirements", [])}
    new_reqs = {r["id"]: r for r in new.get("requirements", [])}
    order = list(new_reqs) + [key for key in old_reqs if key not in new_reqs]
    changes = []
    for key in order:
        before, after = old_reqs.get(key), new_reqs.get(key)
        if before is not None and after is not None:
            fields = [k for k in list(before) + list(after) if k not in ("id", "message")]
            aspects = tuple(
                dict.fromkeys(
                    k for k in fields if _untitled(before.get(k)) != _untitled(after.get(k))
                )
            )
        else:
            aspects = ("added",) if before is None else ("removed",)
        if aspects:
            track = new.get("track", old.get("track", ""))
            causes = _causes(key, track, rule_changes, kinds)
            changes.append(RequirementChange(key, before, after, aspects, causes))
    return tuple(changes)


def _declaration_json(declaration: Certification) -> Any:
    return shared_converter().unstructure(declaration, Certification)


def replay_current(record: Record, registry: Registry, rules_as_of: date) -> ReplayResult:
    """Evaluate ``record``'s dossier with the rules in force on ``rules_as_of``; diff it."""
    try:
        recorded = _recorded(record)
    except (ValueError, KeyError, TypeError) as exc:
        return _unreadable(record, exc)
    base = _base(record, recorded)
    try:
        current = registry.certification(recorded.certification, rules_as_of)
    except RulekitError as exc:
        return ReplayResult(**base, status="error", detail=str(exc))
    replayed = f"{current.ref.ruleset_version} {current.ref.ruleset_digest}"
    try:
        decision = _evaluate(record, recorded, current.declaration.version, registry)
    except RulekitError as exc:
        return ReplayResult(
            **base,
            replayed_ruleset=replayed,
            status="error",
            detail=f"the dossier does not evaluate under the current rules: {exc}",
        )
    new = decision_to_dict(decision)
    old_compiled = _installed(registry, recorded)
    if _same_rule_set(recorded, current):
        rule_changes: list[FieldChange] = []
        rules_note = "same rule set"
    elif old_compiled is not None and _same_rule_set(recorded, old_compiled):
        rule_changes = diff(
            _declaration_json(old_compiled.declaration), _declaration_json(current.declaration)
        )
        rules_note = f"rule set {recorded.ruleset} -> {replayed}"
    else:
        rule_changes = []
        rules_note = (
            f"rule set {recorded.ruleset} -> {replayed}; the recorded rule set is not installed "
            f"(held by {recorded.plugin} {recorded.plugin_version}), so the changed "
            "declaration fields cannot be listed"
        )
    kinds = {**(old_compiled.kinds if old_compiled else {}), **current.kinds}
    requirements = _requirement_changes(recorded.json, new, rule_changes, kinds)
    outcome = (recorded.json["outcome"], new["outcome"])
    track = (recorded.json["track"], new["track"])
    changed = bool(requirements) or outcome[0] != outcome[1] or track[0] != track[1]
    return ReplayResult(
        **base,
        replayed_ruleset=replayed,
        status="changed" if changed else "unchanged",
        detail=rules_note,
        outcome=outcome if outcome[0] != outcome[1] else None,
        track=track if track[0] != track[1] else None,
        requirements=requirements,
        rule_changes=tuple(rule_changes),
    )
