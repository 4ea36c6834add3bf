r"""One decision-log record and its hash: the canonical serialisation every backend shares.

A record holds its sequence number (1, 2, 3... with no gap), the time it was recorded (UTC,
``YYYY-MM-DDTHH:MM:SS.ffffffZ``, given by the caller, never read during evaluation), the
input dossier exactly as given, the decision's JSON bytes as published, the hash of the
record before it (:data:`GENESIS` for the first) and its own hash.

The hash is SHA-256 over a length-prefixed encoding, so that an independent tool can
recompute it without any JSON library::

    b"rulekit.log/1\n"
    + seq as 8 bytes big-endian
    + for each of recorded_at, prev_hash (UTF-8), dossier, decision (bytes):
        length as 8 bytes big-endian, then the bytes

and is written ``"sha256:" + hex``. Every field is inside the hash, the sequence number
and the previous hash included, so changing, removing, inserting or moving any record
breaks the chain at that record.

A record of a signed log also carries a signature of its hash (:mod:`rulekit.log.signing`),
stored beside the record and outside the hash: the hash encoding is the same for signed and
unsigned logs.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from attrs import frozen

from rulekit.errors import RulekitError

LOG_FORMAT = "rulekit.log/1"
GENESIS = "sha256:" + "0" * 64
"""The ``prev_hash`` of the first record."""


class LogError(RulekitError):
    """The decision log cannot be opened, read or written (reason in the message)."""


@frozen
class Record:
    """One appended decision, as stored."""

    seq: int
    recorded_at: str
    dossier: bytes
    decision: bytes
    prev_hash: str
    hash: str
    signature: str | None = None
    """``ed25519:KEYID:HEX`` (:mod:`rulekit.log.signing`), or ``None`` in an unsigned log."""

    def row(self) -> tuple[int, str, bytes, bytes, str, str, str | None]:
        """The record's values in the order of :data:`COLUMNS`, as both back ends store them."""
        return (
            self.seq,
            self.recorded_at,
            self.dossier,
            self.decision,
            self.prev_hash,
            self.hash,
            self.signature,
        )


COLUMNS = "seq, recorded_at, dossier, decision, prev_hash, hash, signature"
"""The columns of a stored record, in :meth:`Record.row` order."""

MAX_SEQ = 2**63 - 1
"""The largest sequence number either back end can store (a signed 64-bit integer)."""


@frozen
class Last:
    """What an append needs of the log's last record: its place, hash, time and signature."""

    seq: int
    hash: str
    recorded_at: str
    signature: str | None


def _field(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


def record_hash(seq: int, recorded_at: str, prev_hash: str, dossier: bytes, decision: bytes) -> str:
    """Return the hash of a record's content (see the module doc for the encoding)."""
    digest = hashlib.sha256()
    digest.update(LOG_FORMAT.encode("ascii") + b"\n")
    digest.update(seq.to_bytes(8, "big", signed=False))
    for part in (recorded_at.encode("utf-8"), prev_hash.encode("utf-8"), dossier, decision):
        digest.update(_field(part))
    return "sha256:" + digest.hexdigest()


def make_record(
    seq: int, recorded_at: str, prev_hash: str, dossier: bytes, decision: bytes
) -> Record:
    """Return the record with this content, its hash computed."""
    return Record(
        seq=seq,
        recorded_at=recorded_at,
        dossier=dossier,
        decision=decision,
        prev_hash=prev_hash,
        hash=record_hash(seq, recorded_at, prev_hash, dossier, decision),
    )


def format_timestamp(moment: datetime) -> str:
    """Return an aware ``moment`` as the log writes it: UTC, microseconds, ``Z``.

    :raises LogError: when ``moment`` has no time zone (its instant would be ambiguous).
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise LogError("recorded-at time must carry a time zone (e.g. 2024-06-01T09:30:00Z)")
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        raise LogError(
            f"recorded-at time {moment.isoformat()} is outside the years 1 to 9999 in UTC"
        ) from None
    # Written field by field, not with strftime: %Y does not pad years before 1000 on every
    # platform, and recorded_at texts must compare in time order as strings.
    return (
        f"{utc.year:04}-{utc.month:02}-{utc.day:02}T{utc.hour:02}:{utc.minute:02}:"
        f"{utc.second:02}.{utc.microsecond:06}Z"
    )


def stored_timestamp(text: str) -> datetime | None:
    """Return a stored ``recorded_at`` as an aware datetime, or ``None`` if it is not one."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def parse_timestamp(text: str) -> datetime:
    """Parse an RFC 3339 timestamp with a zone (``Z`` or ``+02:00``).

    :raises LogError: naming the text when it is not one.
    """
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise LogError(f"{text!r} is not a timestamp such as 2024-06-01T09:30:00Z") from None
    if moment.tzinfo is None:
        raise LogError(f"{text!r} has no time zone; add Z or an offset such as +02:00")
    return moment


def day_bounds(since: date | None, until: date | None) -> tuple[str | None, str | None]:
    """Return the ``recorded_at`` text bounds ``[low, high)`` for UTC days ``since..until``.

    Both days are inclusive; ``recorded_at`` texts compare in time order as strings.
    """
    low = since.isoformat() if since is not None else None
    high = None
    if until is not None:
        high = date.fromordinal(until.toordinal() + 1).isoformat()
    return low, high
