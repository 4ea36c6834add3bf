"""Replay: byte-identical with the recorded rule set, named defects, today's-rules diffs."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from rulekit.api import evaluate
from rulekit.decision import Message, Outcome
from rulekit.log import open_log, record_decision
from rulekit.registry import Registry
from rulekit.replay import replay_current, replay_exact
from rulekit.version import ENGINE_VERSION
from tests.audit.helpers import WHEN, fictitious_dossier, record_many
from tests.audit.strategies import dossiers
from tests.plugins import fictitious_versions as fictitious


@pytest.fixture(scope="module")
def shared_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One log file for every generated example (examples append to it)."""
    return tmp_path_factory.mktemp("replay") / "decisions.db"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=dossiers())
def test_replay_of_any_recorded_decision_is_byte_identical(
    shared_log: Path, audit_registry: Registry, case: tuple[dict[str, object], date]
) -> None:
    """Any generated dossier, evaluated, recorded and replayed, gives the recorded bytes."""
    dossier, as_of = case
    with open_log(shared_log, create=True) as log:
        decision = evaluate(dossier, as_of=as_of, registry=audit_registry)
        record = record_decision(log, json.dumps(dossier).encode(), decision, recorded_at=WHEN)
        stored = log.get(record.seq)
    result = replay_exact(stored, audit_registry)
    assert result.status == "identical", result.to_json()


def test_version_in_force_is_recorded_and_replayed(
    tmp_path: Path, audit_registry: Registry
) -> None:
    """A 2022 decision uses version 1, a 2024 one version 2; both replay byte for byte."""
    target = str(tmp_path / "log.db")
    early = record_many(target, audit_registry, [fictitious_dossier()], as_of=date(2022, 6, 1))
    late = record_many(target, audit_registry, [fictitious_dossier()], as_of=date(2024, 6, 1))
    assert early[0].decision.certification.ruleset_version == "1"
    assert late[0].decision.certification.ruleset_version == "2"
    for recorded in (*early, *late):
        assert replay_exact(recorded.record, audit_registry).status == "identical"


def test_missing_version_names_the_plugin_that_holds_it(
    tmp_path: Path, audit_registry: Registry
) -> None:
    """With only version 2 installed, replaying a version-1 decision names its plugin."""
    target = str(tmp_path / "log.db")
    (recorded,) = record_many(target, audit_registry, [fictitious_dossier()])
    newer = fictitious.registry(fictitious.VERSION_2, version="0.2.0")
    result = replay_exact(recorded.record, newer)
    assert result.status == "not_installed"
    assert "rulekit-fictitious-versions 0.1.0" in result.detail
    assert "pip install 'rulekit-fictitious-versions==0.1.0'" in result.detail


def test_changed_published_rule_set_is_a_defect(tmp_path: Path, audit_registry: Registry) -> None:
    """A plugin that changes version 1 in place (same version, new digest) is caught."""
    target = str(tmp_path / "log.db")
    (recorded,) = record_many(target, audit_registry, [fictitious_dossier()])
    experience = fictitious.VERSION_1.experience
    assert experience is not None
    edited = attrs.evolve(fictitious.VERSION_1, experience=attrs.evolve(experience, months=13))
    result = replay_exact(recorded.record, fictitious.registry(edited, version="0.1.1"))
    assert result.status == "defect"
    assert "published rule set was changed" in result.detail
    assert recorded.decision.certification.ruleset_digest in result.detail


def test_different_bytes_are_a_defect_naming_the_fields(
    tmp_path: Path, audit_registry: Registry
) -> None:
    """A recorded decision the engine does not reproduce is a defect, with the paths."""
    decision = evaluate(fictitious_dossier(), as_of=date(2022, 6, 1), registry=audit_registry)
    wrong = attrs.evolve(decision, outcome=Outcome.NOT_ELIGIBLE)
    with open_log(tmp_path / "log.db", create=True) as log:
        record = record_decision(log, fictitious_dossier(), wrong, recorded_at=WHEN)
    result = replay_exact(record, audit_registry)
    assert result.status == "defect"
    assert [(c.path, c.old, c.new) for c in result.differences] == [
        ("outcome", "not_eligible", "eligible")
    ]


def test_engine_or_wording_change_alone_is_told_apart(
    tmp_path: Path, audit_registry: Registry
) -> None:
    """A decision from another engine and wording version differing only there is not a defect."""
    decision = evaluate(fictitious_dossier(), as_of=date(2022, 6, 1), registry=audit_registry)
    first = decision.requirements[0]
    older = attrs.evolve(
        decision,
        engine_version="0.0.9",
        text_version="0",
        requirements=(
            attrs.evolve(first, message=Message(fr="Ancienne formulation.", en="Old wording.")),
            *decision.requirements[1:],
        ),
    )
    with open_log(tmp_path / "log.db", create=True) as log:
        record = record_decision(log, fictitious_dossier(), older, recorded_at=WHEN)
    result = replay_exact(record, audit_registry)
    assert result.status == "engine_changed"
    assert "rulekit==0.0.9" in result.detail
    wording_only = attrs.evolve(
        older, engine_version=decision.engine_version, text_version=decision.text_version
    )
    with open_log(tmp_path / "log.db") as log:
        record = record_decision(log, fictitious_dossier(), wording_only, recorded_at=WHEN)
    assert replay_exact(record, audit_registry).status == "defect"


def test_current_rules_diff_names_requirements_and_causes(
    tmp_path: Path, audit_registry: Registry
) -> None:
    """Under version 2 (FIC104, 18 months) the version-1 decision changes, with causes."""
    target = str(tmp_path / "log.db")
    (recorded,) = record_many(target, audit_registry, [fictitious_dossier()])
    assert recorded.decision.eligible
    result = replay_current(recorded.record, audit_registry, date(2024, 1, 1))
    assert result.status == "changed"
    assert result.outcome == ("eligible", "not_eligible")
    changes = {change.id: change for change in result.requirements}
    assert set(changes) == {"units", "experience"}
    units = changes["units"]
    assert units.old is not None
    assert units.new is not None
    assert (units.old["met"], units.new["met"]) == (True, False)
    assert units.new["missing"] == [
        {"kind": "unit", "code": "FIC104", "title": "Fictitious unit FIC104"}
    ]
    assert {(c.path, c.kind) for c in units.causes} == {
        ("tracks[main].mandatory[FIC103]", "removed"),
        ("tracks[main].mandatory[FIC104]", "added"),
    }
    experience = changes["experience"]
    assert [(c.path, c.old, c.new) for c in experience.causes] == [("experience.months", 12, 18)]
    paths = {change.path for change in result.rule_changes}
    assert {"version", "effective_from"} <= paths
    assert result.replayed_ruleset is not None
    assert result.replayed_ruleset.startswith("2 sha256:")


def test_current_rules_same_version_is_unchanged(tmp_path: Path, audit_registry: Registry) -> None:
    """When the rules in force are still the recorded ones, nothing changed."""
    target = str(tmp_path / "log.db")
    (recorded,) = record_many(target, audit_registry, [fictitious_dossier()])
    result = replay_current(recorded.record, audit_registry, date(2022, 12, 31))
    assert result.status == "unchanged"
    assert result.requirements == ()
    assert result.to_json()["status"] == "unchanged"


def test_batch_records_each_decision(tmp_path: Path, audit_registry: Registry) -> None:
    """The batch API evaluates every dossier and appends each in order."""
    from rulekit.log import evaluate_and_record_many  # noqa: PLC0415

    with open_log(tmp_path / "log.db", create=True) as log:
        recorded = evaluate_and_record_many(
            log,
            [fictitious_dossier(learner=f"B{i}") for i in range(3)],
            as_of=date(2022, 6, 1),
            recorded_at=datetime(2024, 6, 1, tzinfo=UTC),
            registry=audit_registry,
        )
    assert [r.record.seq for r in recorded] == [1, 2, 3]
    assert [r.decision.learner.id for r in recorded] == ["B0", "B1", "B2"]


# --- Decisions recorded before the digest change (engine 0.1.0) ------------------------

RECORDED_BY_0_1 = Path(__file__).resolve().parents[1] / "data" / "decisions_0.1.0.json"


def _old_records(tmp_path: Path, edit: Callable[[dict[str, Any]], None] | None = None) -> list[Any]:
    """The 0.1.0 decisions (tests/data/decisions_0.1.0.json) appended to a fresh log.

    ``edit`` may change each decision's JSON first (to forge what 0.1.0 never wrote).
    """
    fixture = json.loads(RECORDED_BY_0_1.read_text(encoding="utf-8"))
    with open_log(tmp_path / "old.db", create=True) as log:
        records = []
        for item in fixture["records"]:
            decision = item["decision"]
            if edit is not None:
                value = json.loads(decision)
                edit(value)
                decision = json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"
            records.append(
                log.append(item["recorded_at"], item["dossier"].encode(), decision.encode("utf-8"))
            )
    return records


def test_decisions_recorded_by_0_1_replay_as_engine_changed(
    tmp_path: Path, audit_registry: Registry
) -> None:
    """Old digests (rule set and input) and engine 0.1.0: engine_changed, never a defect."""
    records = _old_records(tmp_path)
    assert len(records) == 4
    for record in records:
        old = json.loads(record.decision)
        assert old["engine_version"] == "0.1.0"
        installed = audit_registry.certification(
            old["certification"]["id"],
            date.fromisoformat(old["as_of"]),
            old["certification"]["ruleset_version"],
        )
        assert installed.ref.ruleset_digest != old["certification"]["ruleset_digest"]
        result = replay_exact(record, audit_registry)
        assert result.status == "engine_changed", result.to_json()
        assert "rulekit==0.1.0" in result.detail and "same rule set" in result.detail
        paths = {change.path for change in result.differences}
        assert {"engine_version", "certification.ruleset_digest"} <= paths


def test_decisions_recorded_by_0_1_against_todays_rules(
    tmp_path: Path, audit_registry: Registry
) -> None:
    """Today's-rules replay knows the old digest's rule set: same rule set, or its fields."""
    first = _old_records(tmp_path)[0]  # fictitious version 1, as of 2022-06-01
    same = replay_current(first, audit_registry, date(2022, 12, 31))
    # Same rule set and outcome; only the measure differs, the engine now counting months
    # in days (specs/core.md, Months): 456 days, 14.99 months, where 0.1.0 said 15 months.
    assert (same.status, same.detail, same.outcome) == ("changed", "same rule set", None)
    assert [(change.id, change.aspects, change.causes) for change in same.requirements] == [
        ("experience", ("measure",), ())
    ]
    later = replay_current(first, audit_registry, date(2024, 1, 1))
    assert later.status == "changed"
    assert any(change.path == "experience.months" for change in later.rule_changes)


def test_old_digest_of_a_changed_rule_set_is_still_a_defect(tmp_path: Path) -> None:
    """A 0.1.0 decision whose rule set was changed in place since is a defect, as before."""
    experience = fictitious.VERSION_1.experience
    assert experience is not None
    edited = attrs.evolve(fictitious.VERSION_1, experience=attrs.evolve(experience, months=13))
    result = replay_exact(_old_records(tmp_path)[0], fictitious.registry(edited))
    assert result.status == "defect"
    assert "published rule set was changed" in result.detail


def test_old_digest_claimed_by_the_current_engine_is_a_defect(
    tmp_path: Path, audit_registry: Registry
) -> None:
    """Only engine 0.1.x wrote the old form: the same record claiming engine 0.2.0 is a defect."""

    def claim_current(value: dict[str, Any]) -> None:
        value["engine_version"] = ENGINE_VERSION

    result = replay_exact(_old_records(tmp_path, claim_current)[0], audit_registry)
    assert result.status == "defect"
    assert "published rule set was changed" in result.detail


def test_old_record_with_another_outcome_says_what_was_decided_differently(
    tmp_path: Path, audit_registry: Registry
) -> None:
    """Another engine may decide differently (its rules changed): engine_changed, saying so.

    The detail names the outcome, so an auditor installs the recording engine to confirm
    the recorded bytes; a signed log (docs/audit.md) is what rules out a forged outcome.
    """

    def flip(value: dict[str, Any]) -> None:
        value["outcome"] = "not_eligible" if value["outcome"] == "eligible" else "eligible"

    result = replay_exact(_old_records(tmp_path, flip)[0], audit_registry)
    assert result.status == "engine_changed"
    assert "outcome" in {change.path for change in result.differences}
    assert "what was decided differs (outcome)" in result.detail
    assert "rulekit==0.1.0" in result.detail


def test_old_record_with_another_input_digest_definition_is_engine_changed(
    tmp_path: Path, audit_registry: Registry
) -> None:
    """The input digest's definition belongs to the engine: under another engine it may differ."""

    def other_definition(value: dict[str, Any]) -> None:
        value["input_digest"] = "sha256:" + "0" * 64

    record = _old_records(tmp_path, other_definition)[0]
    result = replay_exact(record, audit_registry)
    assert result.status == "engine_changed"
    assert "input_digest" in {change.path for change in result.differences}
