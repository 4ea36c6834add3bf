"""``verify`` on SQLite and PostgreSQL: every kind of tampering is named at its record."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rulekit.log import open_log, verify
from rulekit.log.record import make_record
from rulekit.registry import Registry
from tests.audit import tamper
from tests.audit.conftest import SKIP_POSTGRES, new_target, postgres_url
from tests.audit.helpers import fictitious_dossier, record_many

POSTGRES_ONLY = pytest.mark.skipif(postgres_url() is None, reason=SKIP_POSTGRES)
UPDATE = "UPDATE rulekit_log SET {column} = ? WHERE seq = ?"


def _log_of(target: str, registry: Registry, count: int = 5) -> list[tuple[object, ...]]:
    record_many(target, registry, [fictitious_dossier(learner=f"F{i:03}") for i in range(count)])
    return tamper.rows(target)


def _problem(target: str, expect_head: tuple[int, str] | None = None) -> tuple[int, str]:
    with open_log(target) as log:
        report = verify(log, expect_head)
    assert report.problem is not None, "verify passed a tampered log"
    return report.problem.seq, report.problem.kind


def test_intact_log_verifies(log_target: str, audit_registry: Registry) -> None:
    """An untouched log passes, with its head and record count."""
    rows = _log_of(log_target, audit_registry)
    with open_log(log_target) as log:
        report = verify(log, (5, str(rows[-1][5])))
    assert report.ok
    assert report.records == 5
    assert report.head == (5, rows[-1][5])


def test_altered_decision_is_named(log_target: str, audit_registry: Registry) -> None:
    """Changing one record's decision bytes names that record as altered."""
    rows = _log_of(log_target, audit_registry)
    stored = rows[2][3]
    assert isinstance(stored, bytes)
    forged = stored.replace(b'"eligible"', b'"not_eligible"')
    tamper.execute(log_target, [(UPDATE.format(column="decision"), (forged, 3))])
    assert _problem(log_target) == (3, "altered")


def test_deleted_record_is_named(log_target: str, audit_registry: Registry) -> None:
    """Removing a record from the middle names the missing record as deleted."""
    _log_of(log_target, audit_registry)
    tamper.execute(log_target, [("DELETE FROM rulekit_log WHERE seq = ?", (3,))])
    assert _problem(log_target) == (3, "deleted")


def test_deleted_and_renumbered_is_named(log_target: str, audit_registry: Registry) -> None:
    """Removing a record and renumbering the rest to hide the gap is still named."""
    _log_of(log_target, audit_registry)
    tamper.execute(
        log_target,
        [
            ("DELETE FROM rulekit_log WHERE seq = ?", (3,)),
            ("UPDATE rulekit_log SET seq = ? WHERE seq = ?", (3, 4)),
            ("UPDATE rulekit_log SET seq = ? WHERE seq = ?", (4, 5)),
        ],
    )
    assert _problem(log_target) == (3, "deleted")


def test_inserted_record_is_named(log_target: str, audit_registry: Registry) -> None:
    """A well-formed record slipped in after record 2, later ones renumbered, is named.

    The UNIQUE constraint on prev_hash forbids two records linking to record 2, so the
    forger also relinks the displaced record to the forged one.
    """
    rows = _log_of(log_target, audit_registry)
    forged = make_record(3, "2024-06-01T09:31:00.000000Z", str(rows[1][5]), b"{}", b"{}")
    statements: list[tuple[str, tuple[object, ...]]] = [
        ("UPDATE rulekit_log SET seq = ? WHERE seq = ?", (seq + 1, seq)) for seq in (5, 4, 3)
    ]
    statements += [
        ("UPDATE rulekit_log SET prev_hash = ? WHERE seq = ?", (forged.hash, 4)),
        (
            "INSERT INTO rulekit_log (seq, recorded_at, dossier, decision, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (3, forged.recorded_at, forged.dossier, forged.decision, forged.prev_hash, forged.hash),
        ),
    ]
    tamper.execute(log_target, statements)
    assert _problem(log_target) == (3, "inserted")


def test_reordered_records_are_named(log_target: str, audit_registry: Registry) -> None:
    """Swapping two records' places names the first of them as reordered."""
    _log_of(log_target, audit_registry)
    tamper.execute(
        log_target,
        [
            ("UPDATE rulekit_log SET seq = ? WHERE seq = ?", (100, 2)),
            ("UPDATE rulekit_log SET seq = ? WHERE seq = ?", (2, 3)),
            ("UPDATE rulekit_log SET seq = ? WHERE seq = ?", (3, 100)),
        ],
    )
    assert _problem(log_target) == (2, "reordered")


def test_truncation_needs_the_kept_head(log_target: str, audit_registry: Registry) -> None:
    """Removing the last records is invisible to the chain, but not against a kept head."""
    rows = _log_of(log_target, audit_registry)
    head = (5, str(rows[-1][5]))
    tamper.execute(log_target, [("DELETE FROM rulekit_log WHERE seq >= ?", (4,))])
    with open_log(log_target) as log:
        assert verify(log).ok
    assert _problem(log_target, head) == (4, "deleted")


def test_rewritten_chain_differs_from_the_kept_head(
    log_target: str, audit_registry: Registry
) -> None:
    """A chain rewritten whole with fresh hashes is caught against the kept head."""
    rows = _log_of(log_target, audit_registry, count=2)
    head = (2, str(rows[-1][5]))
    second = make_record(2, str(rows[1][1]), str(rows[0][5]), b"{}", b"{}")
    tamper.execute(
        log_target,
        [
            ("DELETE FROM rulekit_log WHERE seq = ?", (2,)),
            (
                "INSERT INTO rulekit_log (seq, recorded_at, dossier, decision, prev_hash, hash)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (2, second.recorded_at, b"{}", b"{}", second.prev_hash, second.hash),
            ),
        ],
    )
    assert _problem(log_target, head) == (2, "altered")


FIELDS = ("seq", "recorded_at", "dossier", "decision", "prev_hash", "hash")


def _flip(value: object, bit: int) -> object:
    """Return ``value`` with one bit flipped, in its stored representation."""
    if isinstance(value, int):
        return value ^ (1 << (bit % 62))
    assert isinstance(value, str | bytes | memoryview)
    data = bytearray(value.encode() if isinstance(value, str) else bytes(value))
    data[(bit // 8) % len(data)] ^= 1 << (bit % 8)
    if isinstance(value, str):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return bytes(data)  # stored as a blob: the type itself is then wrong
    return bytes(data)


@pytest.mark.parametrize("backend_name", ["sqlite", pytest.param("postgres", marks=POSTGRES_ONLY)])
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_single_bit_flip_is_caught(
    backend_name: str, tmp_path: Path, audit_registry: Registry, data: st.DataObject
) -> None:
    """Flipping any one bit of any stored field of any record makes verify fail at it."""
    target = new_target(backend_name, tmp_path)
    rows = _log_of(target, audit_registry, count=4)
    index = data.draw(st.integers(0, len(rows) - 1), label="record")
    column = data.draw(st.sampled_from(FIELDS), label="field")
    original = rows[index][FIELDS.index(column)]
    flipped = _flip(original, data.draw(st.integers(0, 1 << 20), label="bit"))
    if backend_name == "postgres" and column in ("recorded_at", "prev_hash", "hash"):
        # PostgreSQL text holds valid UTF-8 without NUL only: other flips cannot be stored.
        assume(isinstance(flipped, str) and "\x00" not in flipped)
    seq = index + 1
    try:
        tamper.execute(target, [(UPDATE.format(column=column), (flipped, seq))])
    except Exception as exc:  # the database itself refused the value (duplicate or bad seq)
        assume(False)
        raise AssertionError from exc
    assert _problem(target)[0] == seq
