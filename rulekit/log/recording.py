"""Evaluate and record: the Python (and batch) API behind ``rulekit evaluate --record``.

The as-of date is resolved by the caller, once, before any evaluation; nothing here reads
the clock. The recorded-at time is the caller's too (an import gives the original time),
or, when it is ``None``, the time of the append, read by the log under its write lock so
that it never goes backwards along the chain (:mod:`rulekit.log.store`). The dossier is
kept exactly as given (its bytes when it came as text), so that an auditor replays what the
jury staff submitted.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from types import FrameType, TracebackType
from typing import Any, Generic, TypeVar

from attrs import frozen

from rulekit.api import evaluate
from rulekit.codec import decision_to_json, dossier_to_dict
from rulekit.decision import Decision
from rulekit.dossier import Dossier
from rulekit.log.record import Record, format_timestamp
from rulekit.log.store import DecisionLog
from rulekit.registry import Registry

DossierInput = Dossier | Mapping[str, Any] | str | bytes

RECORD_GROUP = 256
"""Decisions :class:`GroupRecorder` appends per transaction (``rulekit batch --record``).

One commit, and so one ``fsync``, per group rather than per decision: on a disk where an
``fsync`` takes milliseconds, recording one at a time held a batch to a few hundred
dossiers a second. It is also the most a crash (``kill -9``, a power loss) can take from a
batch: at most the last group not yet committed; an interruption (Ctrl-C) commits it."""

K = TypeVar("K")


@frozen
class Recorded:
    """A decision and the log record that holds it."""

    decision: Decision
    record: Record


def dossier_bytes(dossier: DossierInput) -> bytes:
    """Return the bytes the log keeps for a dossier: as given, or its JSON when an object."""
    if isinstance(dossier, bytes):
        return dossier
    if isinstance(dossier, str):
        return dossier.encode("utf-8")
    value = dossier_to_dict(dossier) if isinstance(dossier, Dossier) else dict(dossier)
    return json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")


def decision_bytes(decision: Decision) -> bytes:
    """Return a decision's published JSON bytes (what replay must reproduce exactly)."""
    return decision_to_json(decision).encode("utf-8")


def record_decision(
    log: DecisionLog,
    dossier: DossierInput,
    decision: Decision,
    *,
    recorded_at: datetime | None = None,
) -> Record:
    """Append ``decision`` with the dossier it was made from; return the durable record.

    :param recorded_at: the recording time (aware); ``None``: the time of the append.
    :raises rulekit.log.LogError: when the log cannot be written, or ``recorded_at`` is
        before the last record's.
    """
    when = None if recorded_at is None else format_timestamp(recorded_at)
    return log.append(when, dossier_bytes(dossier), decision_bytes(decision))


def evaluate_and_record(
    log: DecisionLog,
    dossier: DossierInput,
    *,
    as_of: date,
    recorded_at: datetime | None = None,
    certification: str | None = None,
    track: str | None = None,
    ruleset_version: str | None = None,
    registry: Registry | None = None,
) -> Recorded:
    """Evaluate ``dossier`` (see :func:`rulekit.evaluate`) and append the decision.

    :raises rulekit.errors.DossierError: the dossier is not valid; nothing is recorded.
    :raises rulekit.log.LogError: when the log cannot be written.
    """
    decision = evaluate(
        dossier,
        certification=certification,
        track=track,
        as_of=as_of,
        ruleset_version=ruleset_version,
        registry=registry,
    )
    return Recorded(decision, record_decision(log, dossier, decision, recorded_at=recorded_at))


def evaluate_and_record_many(
    log: DecisionLog,
    dossiers: Iterable[DossierInput],
    *,
    as_of: date,
    recorded_at: datetime | None = None,
    certification: str | None = None,
    ruleset_version: str | None = None,
    registry: Registry | None = None,
) -> list[Recorded]:
    """Evaluate every dossier first, then append each decision in its own transaction.

    All evaluations happen before the first append, so an invalid dossier records nothing;
    each append is durable on its own, so an interrupted batch keeps the records already
    returned by the log.

    :raises rulekit.errors.DossierError: naming the first invalid dossier's problems.
    :raises rulekit.log.LogError: when the log cannot be written.
    """
    given = list(dossiers)
    decisions = [
        evaluate(
            dossier,
            certification=certification,
            as_of=as_of,
            ruleset_version=ruleset_version,
            registry=registry,
        )
        for dossier in given
    ]
    return [
        Recorded(decision, record_decision(log, dossier, decision, recorded_at=recorded_at))
        for dossier, decision in zip(given, decisions, strict=True)
    ]


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back until the block ends, then act on it as it would have been.

    Only in the main thread, where Python runs signal handlers (elsewhere the block runs as
    it is). A SIGINT that came during the block then raises :class:`KeyboardInterrupt` (or
    calls the handler that was set) as the block ends.
    """
    if threading.current_thread() is not threading.main_thread() or (
        signal.getsignal(signal.SIGINT) is None  # a handler not set from Python: left alone
    ):
        yield
        return
    received: list[tuple[int, FrameType | None]] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        received.append((signum, frame))

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            if callable(previous):
                previous(*received[0])
            elif previous == signal.SIG_DFL:
                os.kill(os.getpid(), signal.SIGINT)


class GroupRecorder(Generic[K]):
    """Appends decisions to a log in groups of ``size``, each group in one transaction.

    :meth:`add` keeps a decision's bytes until the group is full, then appends the group
    (:meth:`DecisionLog.append_many`) and calls ``committed`` with each record and the
    ``key`` it was added with, in order; memory holds at most one group. Leaving the
    ``with`` block appends what is left, on an exception too (an interrupted batch keeps
    every decision it made), unless the log itself failed. Ctrl-C while a group is being
    appended waits until it is (:func:`interrupts_deferred`), so that the group is neither
    lost nor appended twice.
    """

    def __init__(
        self,
        log: DecisionLog,
        committed: Callable[[K, Record], None] | None = None,
        *,
        size: int = RECORD_GROUP,
    ) -> None:
        if size < 1:
            raise ValueError(f"a group holds at least 1 record, not {size}")
        self.log = log
        self.size = size
        self._committed = committed
        self._kept: list[tuple[K, tuple[None, bytes, bytes]]] = []
        self._failed = False

    def add(self, key: K, dossier: bytes, decision: bytes) -> None:
        """Keep one decision for the group; append the group once it is full.

        Kept in one step, so that an interruption (Ctrl-C) leaves it kept or not, whole.

        :raises rulekit.log.LogError: when the log cannot be written.
        """
        self._kept.append((key, (None, dossier, decision)))
        if len(self._kept) >= self.size:
            self.flush()

    def flush(self) -> None:
        """Append the decisions kept so far in one transaction (nothing if none).

        :raises rulekit.log.LogError: when the log cannot be written; the group is dropped
            (not retried: the caller stops).
        """
        kept = self._kept
        if not kept:
            return
        # Ctrl-C during the transaction would leave it unknown whether the group was
        # committed (the signal is acted on when the commit returns): held back until
        # the group is appended and handed back, then acted on.
        with interrupts_deferred():
            try:
                records = self.log.append_many([entry for _, entry in kept])
            except BaseException:
                self._failed = True
                raise
            self._kept = []
            if self._committed is not None:
                for (key, _), record in zip(kept, records, strict=True):
                    self._committed(key, record)

    def __enter__(self) -> GroupRecorder[K]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._failed:
            self.flush()
