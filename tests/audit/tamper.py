"""Going around rulekit, as an attacker with database access would: raw SQL on a log.

The log's triggers refuse updates and deletes; these helpers switch them off first
(SQLite: drop them; PostgreSQL: disable them), which is exactly what verify must catch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from rulekit.log.postgres import is_postgres_url

_SQLITE_TRIGGERS = ("rulekit_log_no_update", "rulekit_log_no_delete")


def execute(target: str, statements: Sequence[tuple[str, Sequence[object]]]) -> None:
    """Run ``statements`` (SQLite ``?`` placeholders) on the log, triggers off, in one go."""
    if is_postgres_url(target):
        import psycopg  # noqa: PLC0415

        with psycopg.connect(target) as conn:
            conn.execute("ALTER TABLE rulekit_log DISABLE TRIGGER USER")
            for sql, params in statements:
                conn.execute(sql.replace("?", "%s"), params)
            conn.execute("ALTER TABLE rulekit_log ENABLE TRIGGER USER")
        return
    db = sqlite3.connect(target, isolation_level=None)
    try:
        for trigger in _SQLITE_TRIGGERS:
            db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for sql, params in statements:
            db.execute(sql, params)
    finally:
        db.close()


def rows(target: str) -> list[tuple[object, ...]]:
    """Return every stored row, by seq, as stored."""
    sql = (
        "SELECT seq, recorded_at, dossier, decision, prev_hash, hash FROM rulekit_log ORDER BY seq"
    )
    if is_postgres_url(target):
        import psycopg  # noqa: PLC0415

        with psycopg.connect(target) as conn:
            return [tuple(row) for row in conn.execute(sql).fetchall()]
    db = sqlite3.connect(target)
    try:
        return [tuple(row) for row in db.execute(sql)]
    finally:
        db.close()
