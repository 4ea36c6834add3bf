"""The decision log's storage, on SQLite and PostgreSQL: append, read, refuse changes."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from rulekit.log import GENESIS, DecisionLog, LogError, open_log, record_hash
from rulekit.log.record import format_timestamp
from rulekit.log.recording import GroupRecorder, interrupts_deferred
from rulekit.registry import Registry
from tests.audit import tamper
from tests.audit.helpers import WHEN, fictitious_dossier, record_many


def test_append_chains_records_and_reads_them_back(
    log_target: str, audit_registry: Registry
) -> None:
    """Records get seq 1, 2, 3, link to the previous hash and read back byte for byte."""
    dossiers = [fictitious_dossier(learner=f"F00{i}") for i in range(3)]
    recorded = record_many(log_target, audit_registry, list(dossiers))
    with open_log(log_target) as log:
        records = list(log.records())
        assert [r.seq for r in records] == [1, 2, 3]
        assert records[0].prev_hash == GENESIS
        assert [r.prev_hash for r in records[1:]] == [r.hash for r in records[:-1]]
        for stored, made in zip(records, recorded, strict=True):
            assert stored == made.record
            assert stored.hash == record_hash(
                stored.seq, stored.recorded_at, stored.prev_hash, stored.dossier, stored.decision
            )
            assert json.loads(stored.dossier) == dossiers[stored.seq - 1]
        assert log.head() == (3, records[-1].hash)
        assert log.get(2) == records[1]


def test_get_names_the_range_when_the_record_is_absent(
    log_target: str, audit_registry: Registry
) -> None:
    """Asking for a record past the end says which records the log holds."""
    record_many(log_target, audit_registry, [fictitious_dossier()])
    with open_log(log_target) as log, pytest.raises(LogError, match="records 1 to 1"):
        log.get(5)


def test_records_filter_by_recording_day(log_target: str, audit_registry: Registry) -> None:
    """--since/--until select records by UTC recording day, both days inclusive."""
    for offset in range(4):
        record_many(
            log_target,
            audit_registry,
            [fictitious_dossier()],
            recorded_at=WHEN
            + timedelta(days=offset, hours=14),  # 23:30 UTC, the last hour of the day
        )
    with open_log(log_target) as log:
        days = [r.recorded_at[:10] for r in log.records(date(2024, 6, 2), date(2024, 6, 3))]
        assert days == ["2024-06-02", "2024-06-03"]
        assert len(list(log.records(since=date(2024, 6, 4)))) == 1
        assert len(list(log.records(until=date(2024, 6, 1)))) == 1
        assert len(list(log.records(until=date(2024, 5, 31)))) == 0


def test_recorded_at_is_normalised_to_utc() -> None:
    """A local time with its offset is stored as the same instant in UTC, with a Z."""
    paris = datetime(2024, 6, 1, 11, 30, tzinfo=UTC).astimezone()
    assert format_timestamp(paris) == "2024-06-01T11:30:00.000000Z"
    with pytest.raises(LogError, match="time zone"):
        format_timestamp(datetime(2024, 6, 1, 11, 30))


def test_api_offers_no_update_or_delete() -> None:
    """The log API has no method to change or remove a record."""
    public = {name for name in dir(DecisionLog) if not name.startswith("_")}
    assert public == {
        "append",
        "append_many",
        "clock",
        "close",
        "get",
        "head",
        "last",
        "raw_rows",
        "records",
        "signer",
    }


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE rulekit_log SET recorded_at = 'x' WHERE seq = 1",
        "DELETE FROM rulekit_log WHERE seq = 1",
    ],
)
def test_tables_refuse_updates_and_deletes(
    log_target: str, audit_registry: Registry, statement: str
) -> None:
    """Even raw SQL through the database cannot change a record while the triggers stand."""
    record_many(log_target, audit_registry, [fictitious_dossier()])
    if log_target.startswith("postgresql"):
        import psycopg  # noqa: PLC0415

        with psycopg.connect(log_target) as conn, pytest.raises(psycopg.Error, match="append-only"):
            conn.execute(statement)
    else:
        db = sqlite3.connect(log_target)
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute(statement)
        db.close()
    assert len(tamper.rows(log_target)) == 1


def test_readers_never_create_a_log(tmp_path: Path) -> None:
    """Opening a missing log to read is an error, not a new empty log."""
    missing = tmp_path / "missing.db"
    with pytest.raises(LogError, match="no decision log"):
        open_log(missing)
    assert not missing.exists()


def test_a_file_that_is_not_a_log_is_refused(tmp_path: Path) -> None:
    """Another SQLite database, or any file, is named as not a decision log."""
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(LogError, match="not a rulekit decision log"):
        open_log(other)
    text = tmp_path / "notes.txt"
    text.write_text("hello, not a database\n" * 100)
    with pytest.raises(LogError):
        open_log(text)


def test_empty_log_has_no_head(log_target: str) -> None:
    """A new log is empty: no head, no records."""
    with open_log(log_target, create=True) as log:
        assert log.head() is None
        assert list(log.records()) == []
    assert format_timestamp(WHEN) == "2024-06-01T09:30:00.000000Z"


def test_append_many_chains_a_group_in_one_transaction(log_target: str) -> None:
    """A group continues the chain as single appends would; a bad one appends nothing."""
    with open_log(log_target, create=True) as log:
        first = log.append(None, b'{"n": 0}', b'{"d": 0}')
        group = log.append_many([(None, f'{{"n": {i}}}'.encode(), b'{"d": 1}') for i in (1, 2, 3)])
        assert [r.seq for r in group] == [2, 3, 4]
        assert [r.prev_hash for r in group] == [first.hash, group[0].hash, group[1].hash]
        assert list(log.records()) == [first, *group]
        assert log.append_many([]) == []
        late = format_timestamp(datetime.now(UTC) + timedelta(days=1))
        early = format_timestamp(datetime.now(UTC) - timedelta(days=1))
        with pytest.raises(LogError, match="back-dated"):  # the second is before the first
            log.append_many([(late, b"{}", b"{}"), (early, b"{}", b"{}")])
        with pytest.raises(LogError, match="not a recording time"):
            log.append_many([(None, b"{}", b"{}"), ("yesterday", b"{}", b"{}")])
        assert log.head() == (4, group[-1].hash)


def test_group_recorder_commits_full_groups_and_the_rest_on_exit(log_target: str) -> None:
    """Full groups are appended as they fill, the rest on leaving the block (interrupted).

    Each record is handed back with its key, in order.
    """
    committed: list[tuple[int, int]] = []
    heads = []
    with open_log(log_target, create=True) as log:
        recorder: GroupRecorder[int] = GroupRecorder(
            log, lambda key, rec: committed.append((key, rec.seq)), size=3
        )
        with pytest.raises(KeyboardInterrupt), recorder:  # noqa: PT012
            for key in range(7):
                recorder.add(key, f'{{"n": {key}}}'.encode(), b"{}")
                head = log.head()
                heads.append(0 if head is None else head[0])
            raise KeyboardInterrupt
        assert heads == [0, 0, 3, 3, 3, 6, 6]
        assert committed == [(key, key + 1) for key in range(7)]
        assert [r.dossier for r in log.records()] == [f'{{"n": {k}}}'.encode() for k in range(7)]
        with pytest.raises(ValueError, match="at least 1"):
            GroupRecorder(log, size=0)


def test_interrupts_deferred_holds_ctrl_c_until_the_block_ends() -> None:
    """SIGINT inside the block raises KeyboardInterrupt as it ends, not before."""
    import signal  # noqa: PLC0415

    reached = []
    with pytest.raises(KeyboardInterrupt), interrupts_deferred():  # noqa: PT012
        signal.raise_signal(signal.SIGINT)
        reached.append("after the signal")
    assert reached == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
