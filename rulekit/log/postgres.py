"""The shared decision log: PostgreSQL, for several machines or service instances at once.

Each append is one transaction that first takes a transaction-level advisory lock, then
reads the last record and inserts the next: writers queue on the lock, so the chain never
forks. The primary key on ``seq`` and the UNIQUE constraint on ``prev_hash`` are the
safety net if a writer ever bypassed the lock: the second insert then fails and is retried
on the new head. A writer killed mid-append leaves an aborted transaction, which
PostgreSQL discards whole.

A writer creates the log only in a schema that is empty: one that already holds other
tables is refused, never converted. The URL's password (``user:password@`` or
``?password=``) is never shown: every message names the log by :func:`redact`'s form of
the URL, and the server's own error text is scrubbed of the password too.

Needs psycopg 3 (``pip install 'rulekit-rncp[postgres]'``); it is imported only when a
``postgresql://`` log is opened.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from rulekit.log.record import COLUMNS, LOG_FORMAT, Last, LogError, Record
from rulekit.log.signing import Signer
from rulekit.log.store import LAST, Builder, DecisionLog, RawRow, last_of

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
        hash TEXT NOT NULL UNIQUE,
        signature TEXT
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


_USERINFO_PASSWORD = re.compile(r"(://[^:/@?#]*):[^@/?#]*@")
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)
_OLD_COLUMNS = COLUMNS.replace(", signature", ", NULL AS signature")


def redact(url: str) -> str:
    """Return ``url`` with its password (``user:password@`` or ``?password=``) as ``***``."""
    return _QUERY_PASSWORD.sub(r"\1***", _USERINFO_PASSWORD.sub(r"\1:***@", url))


def passwords(url: str) -> list[str]:
    """Return the password texts of ``url``, as written and percent-decoded, longest first."""
    found: set[str] = set()
    try:
        parts = urlsplit(url)
        if parts.password:
            found.update({parts.password, unquote(parts.password)})
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if name.lower() == "password" and value:
                found.add(value)
        for match in _QUERY_PASSWORD.finditer(url):
            found.add(url[match.end(1) : match.end()])
    except ValueError:  # a URL urllib cannot split: redact() still hides its password
        pass
    return sorted((text for text in found if text), key=len, reverse=True)


def scrub(message: str, url: str) -> str:
    """Return ``message`` with every password of ``url`` (and the URL itself) hidden."""
    message = message.replace(url, redact(url))
    for secret in passwords(url):
        message = message.replace(secret, "***")
    return message


def _psycopg() -> Any:
    try:
        import psycopg  # noqa: PLC0415  (optional dependency, loaded on first use)
    except ImportError:
        raise LogError(
            "PostgreSQL decision logs need psycopg 3: pip install 'rulekit-rncp[postgres]'"
        ) from None
    return psycopg


class PostgresLog(DecisionLog):
    """A decision log in a PostgreSQL database (tables in the connection's schema)."""

    def __init__(self, url: str, *, create: bool = False, signer: Signer | None = None) -> None:
        self.target = redact(url)
        self.signer = signer
        self._url = url
        self._pg = _psycopg()
        try:
            self._conn: psycopg.Connection[Any] = self._pg.connect(url, autocommit=True)
        except (self._pg.Error, ValueError) as exc:
            raise LogError(self._error("cannot connect to decision log", exc)) from None
        try:
            if create:
                self._create()
            self._check_format()
            self._columns = self._stored_columns(upgrade=create)
        except self._pg.Error as exc:
            self._conn.close()
            raise LogError(self._error("cannot open decision log", exc)) from None
        except LogError:
            self._conn.close()
            raise

    def _error(self, what: str, exc: BaseException) -> str:
        """Return ``what``, the log and the error, with no password in any of them."""
        return scrub(f"{what} {self.target}: {exc}", self._url)

    def _create(self) -> None:
        """Create the tables in an empty schema; refuse a schema holding anything else."""
        with self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            names = sorted(
                str(row[0])
                for row in self._conn.execute(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                    "AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
                )
            )
            if "rulekit_log_meta" in names:
                return
            if names:
                shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
                raise LogError(
                    f"{self.target} is not a rulekit decision log (its schema holds {shown}); "
                    "a log is created only in an empty schema"
                )
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

    def _stored_columns(self, *, upgrade: bool) -> str:
        """Return the columns to read; a writer adds the signature column to an older log."""
        row = self._conn.execute(
            "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('rulekit_log') "
            "AND attname = 'signature' AND NOT attisdropped"
        ).fetchone()
        if row is not None:
            return COLUMNS
        if not upgrade:
            return _OLD_COLUMNS
        self._conn.execute("ALTER TABLE rulekit_log ADD COLUMN IF NOT EXISTS signature TEXT")
        return COLUMNS

    def _append(self, build: Builder) -> list[Record]:
        conflicts = (self._pg.errors.UniqueViolation, self._pg.errors.SerializationFailure)
        for attempt in range(RETRIES):
            try:
                with self._conn.transaction():
                    self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
                    records = build(last_of(self._conn.execute(LAST).fetchone()))
                    with self._conn.cursor() as cursor:
                        cursor.executemany(
                            f"INSERT INTO rulekit_log ({COLUMNS}) "
                            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                            [record.row() for record in records],
                        )
                return records
            except conflicts as exc:
                if attempt == RETRIES - 1:
                    raise LogError(self._error("cannot append to", exc)) from None
            except self._pg.Error as exc:
                raise LogError(self._error("cannot append to", exc)) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _rows(self, after: int, limit: int, low: str | None, high: str | None) -> list[RawRow]:
        query = f"SELECT {self._columns} FROM rulekit_log WHERE seq > %s"
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
            raise LogError(self._error("cannot read decision log", exc)) from None
        return [tuple(row) for row in rows]

    def last(self) -> Last | None:
        """Return the last record's :class:`Last`, or ``None`` when the log is empty."""
        query = LAST if self._columns == COLUMNS else LAST.replace("signature", "NULL")
        try:
            row = self._conn.execute(query).fetchone()
        except self._pg.Error as exc:
            raise LogError(self._error("cannot read decision log", exc)) from None
        return last_of(row)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()
