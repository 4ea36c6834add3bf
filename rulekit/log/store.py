"""The decision log's storage contract, shared by the SQLite and PostgreSQL backends.

A backend only appends and reads: there is no update and no delete in this API, and the
tables refuse them too (triggers), so that a record can only be changed by going around
rulekit, which ``rulekit log verify`` then detects.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator
from datetime import date
from types import TracebackType

from rulekit.log.record import GENESIS, LogError, Record, day_bounds, make_record

RawRow = tuple[object, object, object, object, object, object]
"""A stored row as the database returns it (seq, recorded_at, dossier, decision, prev_hash,
hash), before any type check: what ``verify`` must cope with when the log was tampered."""

Builder = Callable[[tuple[int, str] | None], Record]
"""Makes the record to append from the last ``(seq, hash)`` (``None``: empty log)."""

PAGE = 500
"""Rows read per query when streaming the log, so memory stays bounded."""


def as_record(row: RawRow) -> Record:
    """Return a raw row as a :class:`Record`.

    :raises LogError: when a stored value has the wrong type (the record was damaged).
    """
    seq, recorded_at, dossier, decision, prev_hash, hash_ = row
    if isinstance(dossier, memoryview):
        dossier = bytes(dossier)
    if isinstance(decision, memoryview):
        decision = bytes(decision)
    if (
        not isinstance(seq, int)
        or not isinstance(recorded_at, str)
        or not isinstance(dossier, bytes)
        or not isinstance(decision, bytes)
        or not isinstance(prev_hash, str)
        or not isinstance(hash_, str)
    ):
        raise LogError(f"record {seq!r} is damaged (a stored value has the wrong type)")
    return Record(seq, recorded_at, dossier, decision, prev_hash, hash_)


class DecisionLog(abc.ABC):
    """An append-only, hash-chained log of decisions with their input dossiers."""

    target: str
    """Where the log is (a path, or a URL without its password), for messages."""

    def append(self, recorded_at: str, dossier: bytes, decision: bytes) -> Record:
        """Append one record in one transaction and return it once it is durable.

        The next sequence number and the previous hash are read under the log's write
        lock, so concurrent writers (threads, processes, machines) never fork the chain.

        :raises LogError: when the log cannot be written.
        """

        def build(last: tuple[int, str] | None) -> Record:
            seq, prev = (last[0] + 1, last[1]) if last is not None else (1, GENESIS)
            return make_record(seq, recorded_at, prev, dossier, decision)

        return self._append(build)

    @abc.abstractmethod
    def _append(self, build: Builder) -> Record:
        """Under the write lock, read the last ``(seq, hash)``, insert ``build(last)``, commit."""

    @abc.abstractmethod
    def _rows(self, after: int, limit: int, low: str | None, high: str | None) -> list[RawRow]:
        """Return up to ``limit`` rows with ``seq > after`` (and ``low <= recorded_at < high``)."""

    @abc.abstractmethod
    def head(self) -> tuple[int, str] | None:
        """Return the last record's ``(seq, hash)``, or ``None`` when the log is empty."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def raw_rows(self) -> Iterator[RawRow]:
        """Yield every stored row by sequence number, values as stored (for ``verify``)."""
        after: int | None = 0
        while after is not None:
            rows = self._rows(after, PAGE, None, None)
            yield from rows
            after = _last_seq(rows)

    def records(self, since: date | None = None, until: date | None = None) -> Iterator[Record]:
        """Yield the records recorded on UTC days ``since`` to ``until`` (inclusive), in order.

        :raises LogError: on a damaged record (run ``rulekit log verify``).
        """
        low, high = day_bounds(since, until)
        after: int | None = 0
        while after is not None:
            rows = self._rows(after, PAGE, low, high)
            for row in rows:
                yield as_record(row)
            after = _last_seq(rows)

    def get(self, seq: int) -> Record:
        """Return record ``seq``.

        :raises LogError: when there is no such record.
        """
        rows = self._rows(seq - 1, 1, None, None)
        if not rows or rows[0][0] != seq:
            head = self.head()
            last = f"records 1 to {head[0]}" if head else "no record"
            raise LogError(f"no record {seq} in {self.target} (it holds {last})")
        return as_record(rows[0])

    def __enter__(self) -> DecisionLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _last_seq(rows: list[RawRow]) -> int | None:
    """Return the sequence number to page after, or ``None`` when the log is exhausted."""
    if len(rows) < PAGE:
        return None
    last = rows[-1][0]
    if not isinstance(last, int):
        raise LogError(f"record after {rows[-2][0]!r} is damaged (its seq is not a number)")
    return last


def last_of(row: tuple[object, object] | None) -> tuple[int, str] | None:
    """Return a ``(seq, hash)`` row as typed values, or ``None`` for an empty log.

    :raises LogError: when the last record is damaged, rather than chain off garbage.
    """
    if row is None:
        return None
    seq, hash_ = row
    if not isinstance(seq, int) or not isinstance(hash_, str):
        raise LogError("the last record of the log is damaged; run 'rulekit log verify'")
    return seq, hash_
