"""The embedded decision log: one SQLite file (the default backend).

Crash safety: each append, of one record or of a group (:meth:`DecisionLog.append_many`),
is one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``) in WAL mode with
``synchronous=FULL``: a process killed at any point leaves either the whole transaction or
nothing, and a committed one survives a power loss too (the WAL is synced at each commit).
``BEGIN IMMEDIATE`` takes the database's write lock before the last record is read, so two
writers can never both chain off the same record.

A writer of many records makes them cheap by grouping them (``rulekit batch --record``:
:class:`rulekit.log.recording.GroupRecorder`), not by syncing less: with
``synchronous=NORMAL`` a commit is not synced, and a power loss may take back every commit
since the last checkpoint, a number of records nobody can state; grouped, a crash takes at
most the group being written, and a committed group is on disk.

A writer creates the log only in a new or empty database: a SQLite file that already holds
other tables is refused, never converted (nor switched to WAL mode), so that ``--record``
given the wrong path cannot alter someone else's database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from rulekit.log.record import COLUMNS, LOG_FORMAT, Last, LogError, Record
from rulekit.log.signing import Signer
from rulekit.log.store import LAST, Builder, DecisionLog, RawRow, last_of

BUSY_TIMEOUT_MS = 60_000
"""How long a writer waits for another writer's transaction before giving up."""

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS rulekit_log_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS rulekit_log (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        recorded_at TEXT NOT NULL,
        dossier BLOB NOT NULL,
        decision BLOB NOT NULL,
        prev_hash TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL UNIQUE,
        signature TEXT
    )""",
    """CREATE TRIGGER IF NOT EXISTS rulekit_log_no_update BEFORE UPDATE ON rulekit_log
    BEGIN SELECT RAISE(ABORT, 'rulekit_log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS rulekit_log_no_delete BEFORE DELETE ON rulekit_log
    BEGIN SELECT RAISE(ABORT, 'rulekit_log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS rulekit_log_meta_no_update BEFORE UPDATE ON rulekit_log_meta
    BEGIN SELECT RAISE(ABORT, 'rulekit_log_meta is append-only'); END""",
)


OLD_COLUMNS = COLUMNS.replace(", signature", ", NULL AS signature")
"""What is read from a log created before records could be signed (no signature column)."""


class SQLiteLog(DecisionLog):
    """A decision log in one SQLite file."""

    def __init__(self, path: Path, *, create: bool = False, signer: Signer | None = None) -> None:
        self.path = path
        self.target = str(path)
        self.signer = signer
        if not create and not path.is_file():
            raise LogError(f"no decision log at {path}")
        try:
            # isolation_level=None: no implicit transactions; appends open their own.
            self._db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise LogError(f"cannot open decision log {path}: {exc}") from None
        try:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if create:
                self._create()
                self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._check_format()
            self._columns = self._stored_columns(upgrade=create)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            if "not a database" in str(exc):
                raise LogError(f"{path} is not a rulekit decision log (not SQLite)") from None
            raise LogError(f"cannot open decision log {path}: {exc}") from None
        except LogError:
            self._db.close()
            raise

    def _create(self) -> None:
        """Create the tables in an empty database; refuse a database holding anything else."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            names = sorted(
                str(row[0])
                for row in self._db.execute(
                    "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                )
            )
            if names and "rulekit_log_meta" not in names:
                shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
                raise LogError(
                    f"{self.path} is not a rulekit decision log (it holds {shown}); "
                    "a log is created only in a new or empty database"
                )
            if not names:
                for statement in _SCHEMA:
                    self._db.execute(statement)
                self._db.execute(
                    "INSERT INTO rulekit_log_meta (key, value) VALUES ('format', ?)",
                    (LOG_FORMAT,),
                )
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def _stored_columns(self, *, upgrade: bool) -> str:
        """Return the columns to read; a writer adds the signature column to an older log."""
        names = {str(row[1]) for row in self._db.execute("PRAGMA table_info(rulekit_log)")}
        if "signature" in names:
            return COLUMNS
        if not upgrade:
            return OLD_COLUMNS
        self._db.execute("ALTER TABLE rulekit_log ADD COLUMN signature TEXT")
        return COLUMNS

    def _check_format(self) -> None:
        try:
            row = self._db.execute(
                "SELECT value FROM rulekit_log_meta WHERE key = 'format'"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise
            row = None
        if row is None:
            raise LogError(f"{self.path} is not a rulekit decision log")
        if row[0] != LOG_FORMAT:
            raise LogError(f"{self.path} is a decision log of format {row[0]!r}, not {LOG_FORMAT}")

    def _append(self, build: Builder) -> list[Record]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                records = build(last_of(self._db.execute(LAST).fetchone()))
                self._db.executemany(
                    f"INSERT INTO rulekit_log ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [record.row() for record in records],
                )
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise LogError(f"cannot append to decision log {self.path}: {exc}") from None
        return records

    def _rows(self, after: int, limit: int, low: str | None, high: str | None) -> list[RawRow]:
        query = f"SELECT {self._columns} FROM rulekit_log WHERE seq > ?"
        params: list[object] = [after]
        if low is not None:
            query += " AND recorded_at >= ?"
            params.append(low)
        if high is not None:
            query += " AND recorded_at < ?"
            params.append(high)
        query += " ORDER BY seq LIMIT ?"
        params.append(limit)
        try:
            return [tuple(row) for row in self._db.execute(query, params)]
        except sqlite3.Error as exc:
            raise LogError(f"cannot read decision log {self.path}: {exc}") from None

    def last(self) -> Last | None:
        """Return the last record's :class:`Last`, or ``None`` when the log is empty."""
        query = LAST if self._columns == COLUMNS else LAST.replace("signature", "NULL")
        try:
            row = self._db.execute(query).fetchone()
        except sqlite3.Error as exc:
            raise LogError(f"cannot read decision log {self.path}: {exc}") from None
        return last_of(row)

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()
