"""The decision log's storage contract, shared by the SQLite and PostgreSQL backends.

A backend only appends and reads: there is no update and no delete in this API, and the
tables refuse them too (triggers), so that a record can only be changed by going around
rulekit, which ``rulekit log verify`` then detects.

Two rules hold for every append, checked under the write lock against the last record:

- ``recorded_at`` never goes backwards along the chain (a record may carry the time it is
  appended, or a later one, never an earlier one than the record before it): the chain is
  then also a timeline, and a record cannot be back-dated among older ones. The decision's
  own as-of date is what may lie in the past. A time given by the caller (an import) that
  is earlier than the last record's is refused; when none is given, the log reads the clock
  under the write lock and, should that clock be behind the last record's time (another
  machine's clock, or a writer that read its clock just before this one), records the last
  record's time instead, so that concurrent writers are never refused;
- a log whose last record is signed only grows with signed records: a writer without the
  key is refused rather than leave a record that ``verify --public-key`` would reject.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from types import TracebackType

from rulekit.log.record import (
    GENESIS,
    MAX_SEQ,
    Last,
    LogError,
    Record,
    day_bounds,
    format_timestamp,
    make_record,
    stored_timestamp,
)
from rulekit.log.signing import Signer, signature_key_id

RawRow = tuple[object, object, object, object, object, object, object]
"""A stored row as the database returns it (seq, recorded_at, dossier, decision, prev_hash,
hash, signature), before any type check: what ``verify`` must cope with when the log was
tampered."""

Builder = Callable[[Last | None], list[Record]]
"""Makes the records to append, in order, from the last record (``None``: empty log)."""

Entry = tuple[str | None, bytes, bytes]
"""What :meth:`DecisionLog.append_many` appends per record: recorded-at time (``None``: the
time of the append), the dossier's bytes, the decision's bytes."""

LAST = "SELECT seq, hash, recorded_at, signature FROM rulekit_log ORDER BY seq DESC LIMIT 1"
"""The query both back ends run, under the write lock, for :class:`Last`."""

PAGE = 500
"""Rows read per query when streaming the log, so memory stays bounded."""


def as_record(row: RawRow) -> Record:
    """Return a raw row as a :class:`Record`.

    :raises LogError: when a stored value has the wrong type (the record was damaged).
    """
    seq, recorded_at, dossier, decision, prev_hash, hash_, signature = row
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
        or not (signature is None or isinstance(signature, str))
    ):
        raise LogError(f"record {seq!r} is damaged (a stored value has the wrong type)")
    return Record(seq, recorded_at, dossier, decision, prev_hash, hash_, signature)


def system_clock() -> datetime:
    """The time a record is appended at when the caller gives none: now, in UTC."""
    return datetime.now(UTC)


def next_record(
    last: Last | None,
    recorded_at: str | None,
    dossier: bytes,
    decision: bytes,
    *,
    signer: Signer | None,
    target: str,
    clock: Callable[[], datetime] = system_clock,
) -> Record:
    """Return the record to append after ``last`` (module doc: the two rules it enforces).

    :param recorded_at: the caller's recording time, or ``None``: read ``clock`` now.
    :raises LogError: when ``recorded_at`` is before the last record's, or when the log is
        signed and no signing key was given.
    """
    given = recorded_at is not None
    if recorded_at is None:
        recorded_at = format_timestamp(clock())
    if last is None:
        seq, prev = 1, GENESIS
    else:
        seq, prev = last.seq + 1, last.hash
        before = stored_timestamp(last.recorded_at)
        moment = stored_timestamp(recorded_at)
        if before is None or moment is None:
            raise LogError(
                f"record {last.seq} of {target} has a damaged recording time; "
                "run 'rulekit log verify'"
            )
        if moment < before and not given:
            recorded_at = format_timestamp(before)
        elif moment < before:
            raise LogError(
                f"recorded-at time {recorded_at} is before that of record {last.seq} "
                f"({last.recorded_at}): records are appended in time order, so a record "
                "cannot be back-dated (the decision's as-of date may be in the past)"
            )
        signed_by = signature_key_id(last.signature)
        if signer is None and last.signature is not None:
            raise LogError(
                f"{target} is a signed log (record {last.seq} is signed by key "
                f"{signed_by}): give the signing key (--signing-key FILE or "
                "$RULEKIT_SIGNING_KEY) to append to it"
            )
    if seq > MAX_SEQ:
        raise LogError(f"{target} is full: record numbers stop at {MAX_SEQ}")
    record = make_record(seq, recorded_at, prev, dossier, decision)
    if signer is None:
        return record
    return Record(
        record.seq,
        record.recorded_at,
        record.dossier,
        record.decision,
        record.prev_hash,
        record.hash,
        signer.sign(record.hash),
    )


class DecisionLog(abc.ABC):
    """An append-only, hash-chained log of decisions with their input dossiers."""

    target: str
    """Where the log is (a path, or a URL without its password), for messages."""

    signer: Signer | None = None
    """The writer's signing key (:mod:`rulekit.log.signing`); ``None``: unsigned records."""

    clock: Callable[[], datetime] = staticmethod(system_clock)
    """Where the recording time comes from when the caller gives none (tests set it)."""

    def append(self, recorded_at: str | None, dossier: bytes, decision: bytes) -> Record:
        """Append one record in one transaction and return it once it is durable.

        The next sequence number and the previous hash are read under the log's write
        lock, so concurrent writers (threads, processes, machines) never fork the chain.
        The record is signed when the log was opened with a signing key. ``recorded_at``
        ``None`` records the time of the append, read under the lock (module doc).

        :raises LogError: when the log cannot be written, when ``recorded_at`` is before
            the last record's, or when the log is signed and this writer has no key.
        """
        return self.append_many([(recorded_at, dossier, decision)])[0]

    def append_many(self, entries: Sequence[Entry]) -> list[Record]:
        """Append several records in one transaction and return them once they are durable.

        All of them or none: a process killed during the transaction leaves the log as it
        was before it. One commit (one ``fsync`` in SQLite) for the group instead of one
        per record is what makes recording a large batch cheap (``rulekit batch --record``
        appends its decisions in groups of :data:`rulekit.log.recording.RECORD_GROUP`). The
        rules of :meth:`append` hold for each record, chained in the order given; the write
        lock is held for the whole group, so other writers' records come before or after
        it, never inside.

        :raises LogError: as :meth:`append`; then nothing of the group is appended.
        """
        for recorded_at, _, _ in entries:
            if recorded_at is not None and stored_timestamp(recorded_at) is None:
                raise LogError(f"{recorded_at!r} is not a recording time such as 2024-06-01T09:30Z")
        if not entries:
            return []

        def build(last: Last | None) -> list[Record]:
            records = []
            for recorded_at, dossier, decision in entries:
                record = next_record(
                    last,
                    recorded_at,
                    dossier,
                    decision,
                    signer=self.signer,
                    target=self.target,
                    clock=self.clock,
                )
                records.append(record)
                last = Last(record.seq, record.hash, record.recorded_at, record.signature)
            return records

        return self._append(build)

    @abc.abstractmethod
    def _append(self, build: Builder) -> list[Record]:
        """Under the write lock, read the :class:`Last` record, insert ``build(last)``, commit."""

    @abc.abstractmethod
    def _rows(self, after: int, limit: int, low: str | None, high: str | None) -> list[RawRow]:
        """Return up to ``limit`` rows with ``seq > after`` (and ``low <= recorded_at < high``)."""

    @abc.abstractmethod
    def last(self) -> Last | None:
        """Return the last record's :class:`Last`, or ``None`` when the log is empty."""

    def head(self) -> tuple[int, str] | None:
        """Return the last record's ``(seq, hash)``, or ``None`` when the log is empty."""
        last = self.last()
        return None if last is None else (last.seq, last.hash)

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
        rows = self._rows(seq - 1, 1, None, None) if 1 <= seq <= MAX_SEQ else []
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


def last_of(row: tuple[object, ...] | None) -> Last | None:
    """Return a ``(seq, hash, recorded_at, signature)`` row as a :class:`Last`, or ``None``.

    :raises LogError: when the last record is damaged, rather than chain off garbage.
    """
    if row is None:
        return None
    seq, hash_, recorded_at, signature = row
    if (
        not isinstance(seq, int)
        or not isinstance(hash_, str)
        or not isinstance(recorded_at, str)
        or not (signature is None or isinstance(signature, str))
    ):
        raise LogError("the last record of the log is damaged; run 'rulekit log verify'")
    return Last(seq, hash_, recorded_at, signature)
