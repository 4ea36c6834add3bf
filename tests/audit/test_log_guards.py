"""What the decision log refuses: back-dated records, out-of-range input, foreign databases.

It never shows a password either. Each test reruns a finding as it was found:

- ``--recorded-at`` back-dated a record after later ones, and ``verify`` said ok;
- ``--recorded-at 0001-01-01T00:00:00+01:00`` and ``log show 10**30`` crashed (traceback);
- ``--record`` silently converted a foreign SQLite database into a log;
- a PostgreSQL URL's ``?password=`` appeared in clear in error messages.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rulekit import api
from rulekit.cli import main
from rulekit.log import LogError, open_log, verify
from rulekit.log.postgres import PostgresLog, redact
from rulekit.log.record import Last, make_record
from rulekit.log.store import next_record
from rulekit.registry import Registry
from tests.audit import tamper
from tests.audit.conftest import new_postgres_target
from tests.audit.helpers import fictitious_dossier, record_many

INSERT = (
    "INSERT INTO rulekit_log (seq, recorded_at, dossier, decision, prev_hash, hash, signature)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


@pytest.fixture
def dossier_file(tmp_path: Path, audit_registry: Registry, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fictitious dossier file the CLI evaluates with the fictitious plugin."""
    monkeypatch.setattr(api, "default_registry", lambda: audit_registry)
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(fictitious_dossier()), encoding="utf-8")
    return path


def _record(dossier: Path, log: str, *extra: str) -> int:
    return main(
        [
            "evaluate",
            str(dossier),
            "--as-of",
            "2022-06-01",
            "--record",
            "--log",
            log,
            "--format",
            "json",
            *extra,
        ]
    )


def test_recorded_at_may_not_go_back_along_the_chain(
    log_target: str, dossier_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A record back-dated before the last one is refused (exit 2); the same time is fine.

    The decision's as-of date (2022-06-01 here) is what may lie in the past.
    """
    assert _record(dossier_file, log_target, "--recorded-at", "2024-06-02T10:00:00Z") == 0
    assert _record(dossier_file, log_target, "--recorded-at", "2024-06-02T12:00:00+02:00") == 0
    capsys.readouterr()
    assert _record(dossier_file, log_target, "--recorded-at", "2024-06-01T10:00:00Z") == 2
    captured = capsys.readouterr()
    assert "is before that of record 2 (2024-06-02T10:00:00.000000Z)" in captured.err
    assert "cannot be back-dated" in captured.err
    assert captured.out == ""  # no decision shown: it was not recorded
    with open_log(log_target) as log:
        assert log.head() is not None and log.head()[0] == 2  # type: ignore[index]


def test_verify_flags_a_backdated_record_in_an_existing_log(
    log_target: str, audit_registry: Registry
) -> None:
    """A correctly chained record recorded before the one before it is named backdated."""
    (recorded,) = record_many(log_target, audit_registry, [fictitious_dossier()])
    last = recorded.record
    early = make_record(2, "2020-01-01T00:00:00.000000Z", last.hash, last.dossier, last.decision)
    tamper.execute(log_target, [(INSERT, early.row())])
    with open_log(log_target) as log:
        report = verify(log)
    assert report.problem is not None
    assert (report.problem.seq, report.problem.kind) == (2, "backdated")
    assert "before record 1 (2024-06-01T09:30:00.000000Z)" in report.problem.detail


def test_default_time_never_goes_back_even_with_a_slow_clock() -> None:
    """Without a given time, a clock behind the last record records the last record's time.

    Concurrent writers read their clocks before taking the write lock, and machines'
    clocks differ: neither may make an append fail.
    """
    last = Last(7, "sha256:" + "1" * 64, "2030-01-01T00:00:00.000000Z", None)

    def clock() -> datetime:
        return datetime(2024, 6, 1, tzinfo=UTC)

    record = next_record(last, None, b"{}", b"{}", signer=None, target="t", clock=clock)
    assert record.recorded_at == "2030-01-01T00:00:00.000000Z"
    with pytest.raises(LogError, match="cannot be back-dated"):
        next_record(last, "2024-06-01T00:00:00.000000Z", b"{}", b"{}", signer=None, target="t")


@pytest.mark.parametrize(
    "moment",
    ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "2024-13-01T00:00:00Z", "soon"],
)
def test_recording_times_out_of_range_exit_2(
    tmp_path: Path, dossier_file: Path, capsys: pytest.CaptureFixture[str], moment: str
) -> None:
    """A recording time that is not one, or leaves the years 1 to 9999 in UTC, exits 2."""
    log = tmp_path / "log.db"
    assert _record(dossier_file, str(log), "--recorded-at", moment) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert moment in captured.err
    assert captured.out == ""
    assert not log.exists()  # refused before the log is created


@pytest.mark.parametrize(
    "argv",
    [
        ["log", "show", str(10**30)],
        ["log", "show", "0"],
        ["log", "show", "１"],
        ["replay", str(10**30)],
        ["log", "verify", "--expect-head", f"{10**30}:sha256:00"],
    ],
)
def test_record_numbers_out_of_range_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """Record numbers a log cannot hold (or not in ASCII digits) are usage errors."""
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--log", str(tmp_path / "log.db")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "record number" in err or "SEQ:HASH" in err


def test_get_beyond_what_a_log_can_hold_names_the_range(log_target: str) -> None:
    """The Python API says there is no such record rather than overflow the database."""
    record_many(log_target, _registry(), [])
    with open_log(log_target) as log, pytest.raises(LogError, match="no record"):
        log.get(10**30)


def _registry() -> Registry:
    return Registry.from_plugins([])


def _foreign_sqlite(path: Path) -> bytes:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("INSERT INTO patients (name) VALUES ('someone')")
    db.commit()
    db.close()
    return path.read_bytes()


def test_record_refuses_a_foreign_sqlite_database(
    tmp_path: Path, dossier_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--record into another application's SQLite file changes nothing in it, exit 2."""
    foreign = tmp_path / "app.db"
    before = _foreign_sqlite(foreign)
    assert _record(dossier_file, str(foreign)) == 2
    err = capsys.readouterr().err
    assert "is not a rulekit decision log (it holds patients)" in err
    assert foreign.read_bytes() == before
    assert not (tmp_path / "app.db-wal").exists()
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all, but long enough to be read as a header\n" * 20)
    assert _record(dossier_file, str(text)) == 2
    assert "is not a rulekit decision log" in capsys.readouterr().err


def test_record_creates_a_log_in_a_new_or_empty_file(tmp_path: Path, dossier_file: Path) -> None:
    """A new path or an empty file becomes a log; an existing log is appended to."""
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for target in (empty, tmp_path / "new.db"):
        assert _record(dossier_file, str(target)) == 0
        assert _record(dossier_file, str(target)) == 0
        with open_log(target) as log:
            assert verify(log).records == 2


def test_record_refuses_a_foreign_postgres_schema(
    dossier_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A PostgreSQL schema holding another application's tables is not converted."""
    import psycopg  # noqa: PLC0415

    target = new_postgres_target()
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT)")
    assert _record(dossier_file, target) == 2
    assert "is not a rulekit decision log (its schema holds patients)" in capsys.readouterr().err
    with psycopg.connect(target, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
    assert tables == [("patients",)]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://clerk:S3cr%3Et@127.0.0.1:1/log", "postgresql://clerk:***@127.0.0.1:1/log"),
        (
            "postgresql://clerk@127.0.0.1:1/log?sslmode=disable&password=S3cr%3Et",
            "postgresql://clerk@127.0.0.1:1/log?sslmode=disable&password=***",
        ),
        (
            "postgres://127.0.0.1:1/log?password=S3cr%3Et&connect_timeout=2",
            "postgres://127.0.0.1:1/log?password=***&connect_timeout=2",
        ),
    ],
)
def test_postgres_password_never_appears_in_messages(
    url: str, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Neither ``user:password@`` nor ``?password=`` is shown, as written or decoded."""
    assert redact(url) == shown
    with pytest.raises(LogError) as error:
        PostgresLog(url)
    message = str(error.value)
    assert shown in message
    for secret in ("S3cr%3Et", "S3cr>t"):
        assert secret not in message
    assert main(["log", "verify", "--log", url]) == 2
    err = capsys.readouterr().err
    assert "S3cr" not in err
    assert "***" in err
