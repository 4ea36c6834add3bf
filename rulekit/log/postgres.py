"""The shared decision log: PostgreSQL, for several machines or service instances at once.

Each append is one transaction that first takes a transaction-level advisory lock, then
reads the last record and inserts the next: writers queue on the lock, so the chain never
forks. The primary key on ``seq`` and the UNIQUE constraint on ``prev_hash`` are the
safety net if a writer ever bypassed the lock: the second insert then fails and is retried
on the new head. A writer killed mid-append leaves an aborted transaction, which
PostgreSQL discards whole.

Needs psycopg 3 (``pip install 'rulekit[postgres]'``); it is imported only when a
``postgresql://`` log is opened.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rulekit.log.record import COLUMNS, LOG_FORMAT, LogError, Record
from rulekit.log.store import Builder, DecisionLog, RawRow, last_of

if TYPE_CHECKING:
    import psycopg

LOCK_KEY = 0x72756C656B6974
"""The advisory lock every rulekit writer takes (the bytes of ``rulekit``)."""

RETRIES = 5
"""How many times an append is retried after a conflict (never expected with the lock)."""

_SCHEMA = (
    """CREATE TABLE rulekit_log_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE rulekit_log (
        seq BIGINT PRIMARY KEY CHECK (seq >= 1),
        recorded_at TEXT NOT NULL,
        dossier BYTEA NOT NULL,
        decision BYTEA NOT NULL,
        prev_hash TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL UNIQUE
    )""",
    """CREATE FUNCTION rulekit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
    END
    $$""",
    """CREATE TRIGGER rulekit_log_no_change BEFORE UPDATE OR DELETE ON rulekit_log
    FOR EACH ROW EXECUTE FUNCTION rulekit_log_append_only()""",
    """CREATE TRIGGER rulekit_log_no_truncate BEFORE TRUNCATE ON rulekit_log
    FOR EACH STATEMENT EXECUTE FUNCTION rulekit_log_append_only()""",
    """CREATE TRIGGER rulekit_log_meta_no_change BEFORE UPDATE OR DELETE ON rulekit_log_meta
    FOR EACH ROW EXECUTE FUNCTION rulekit_log_append_only()""",
)


def is_postgres_url(target: str) -> bool:
    """Whether ``target`` names a PostgreSQL log rather than a SQLite file."""
    return target.startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """Return ``url`` without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def _psycopg() -> Any:
    try:
        import psycopg  # noqa: PLC0415  (optional dependency, loaded on first use)
    except ImportError:
        raise LogError(
            "PostgreSQL decision logs need psycopg 3: pip install 'rulekit[postgres]'"
        ) from None
    return psycopg


class PostgresLog(DecisionLog):
    """A decision log in a PostgreSQL database (tables in the connection's schema)."""

    def __init__(self, url: str, *, create: bool = False) -> None:
        self.target = redact(url)
        self._pg = _psycopg()
        try:
            self._conn: psycopg.Connection[Any] = self._pg.connect(url, autocommit=True)
        except self._pg.Error as exc:
            raise LogError(f"cannot connect to decision log {self.target}: {exc}") from None
        try:
            if create:
                self._create()
            self._check_format()
        except self._pg.Error as exc:
            self._conn.close()
            raise LogError(f"cannot open decision log {self.target}: {exc}") from None
        except LogError:
            self._conn.close()
            raise

    def _create(self) -> None:
        with self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            exists = self._conn.execute("SELECT to_regclass('rulekit_log_meta')").fetchone()
            if exists is not None and exists[0] is not None:
                return
            for statement in _SCHEMA:
                self._conn.execute(statement)
            self._conn.execute(
                "INSERT INTO rulekit_log_meta (key, value) VALUES ('format', %s)", (LOG_FORMAT,)
            )

    def _check_format(self) -> None:
        exists = self._conn.execute("SELECT to_regclass('rulekit_log_meta')").fetchone()
        if exists is None or exists[0] is None:
            raise LogError(f"{self.target} holds no rulekit decision log")
        row = self._conn.execute(
            "SELECT value FROM rulekit_log_meta WHERE key = 'format'"
        ).fetchone()
        if row is None or row[0] != LOG_FORMAT:
            found = row[0] if row else None
            raise LogError(f"{self.target} holds a decision log of format {found!r}")

    def _append(self, build: Builder) -> Record:
        conflicts = (self._pg.errors.UniqueViolation, self._pg.errors.SerializationFailure)
        for attempt in range(RETRIES):
            try:
                with self._conn.transaction():
                    self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
                    last = last_of(
                        self._conn.execute(
                            "SELECT seq, hash FROM rulekit_log ORDER BY seq DESC LIMIT 1"
                        ).fetchone()
                    )
                    record = build(last)
                    self._conn.execute(
                        f"INSERT INTO rulekit_log ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)",
                        record.row(),
                    )
                return record
            except conflicts as exc:
                if attempt == RETRIES - 1:
                    raise LogError(f"cannot append to {self.target}: {exc}") from None
            except self._pg.Error as exc:
                raise LogError(f"cannot append to {self.target}: {exc}") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _rows(self, after: int, limit: int, low: str | None, high: str | None) -> list[RawRow]:
        query = f"SELECT {COLUMNS} FROM rulekit_log WHERE seq > %s"
        params: list[object] = [after]
        if low is not None:
            query += ' AND recorded_at COLLATE "C" >= %s'
            params.append(low)
        if high is not None:
            query += ' AND recorded_at COLLATE "C" < %s'
            params.append(high)
        query += " ORDER BY seq LIMIT %s"
        params.append(limit)
        try:
            rows = self._conn.execute(query, params).fetchall()
        except self._pg.Error as exc:
            raise LogError(f"cannot read decision log {self.target}: {exc}") from None
        return [tuple(row) for row in rows]

    def head(self) -> tuple[int, str] | None:
        """Return the last record's ``(seq, hash)``, or ``None`` when the log is empty."""
        try:
            row = self._conn.execute(
                "SELECT seq, hash FROM rulekit_log ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        except self._pg.Error as exc:
            raise LogError(f"cannot read decision log {self.target}: {exc}") from None
        return last_of(row)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()
