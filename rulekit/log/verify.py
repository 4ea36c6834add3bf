"""``verify``: walk the chain and name the first record that is not as it was appended.

Each record must carry the next sequence number, link to the hash of the record before it
(:data:`~rulekit.log.record.GENESIS` for the first) and hash to its stored hash. The first
record failing any of these is reported with a diagnosis: ``altered`` (content or hash
changed), ``deleted`` (a gap, or a link to a record that is gone), ``inserted`` (a record
the next one skips over), ``reordered`` (a record linking to one stored after it), or
``damaged`` (a stored value of the wrong type).

Each record must also be recorded no earlier than the record before it (``backdated``
otherwise: ``recorded_at`` never goes backwards along the chain), and, once a record is
signed, every later one must be signed too (``unsigned``).

The chain proves the log was not changed *inside*; it cannot tell a record appended by
rulekit from one appended by anyone else who can write to the database and compute
SHA-256. Given the log's public keys (``verifier``), every record must carry a valid
signature by one of them (``unsigned`` or ``forged`` otherwise), so such an appended
record is caught without knowing the head. Removing records at the end of the log, or
rewriting it whole, can only be seen against a head kept elsewhere: pass ``expect_head``
(the ``seq`` and hash printed by an earlier verify).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from attrs import frozen

from rulekit.log.record import GENESIS, LogError, Record, record_hash, stored_timestamp
from rulekit.log.signing import Verifier, signature_key_id
from rulekit.log.store import DecisionLog, RawRow, as_record


@frozen
class Problem:
    """The first bad record: its sequence number (as it should be), kind and explanation."""

    seq: int
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"record {self.seq}: {self.kind}: {self.detail}"


@frozen
class VerifyReport:
    """What ``verify`` found: records checked, the head, and the first problem if any."""

    target: str
    records: int
    head: tuple[int, str] | None
    problem: Problem | None
    signed: int = 0
    """How many of the records checked carry a signature."""
    signers: tuple[str, ...] = ()
    """The key ids those signatures name, sorted."""
    signatures_checked: bool = False
    """Whether the signatures were checked against trusted public keys."""

    @property
    def ok(self) -> bool:
        """Whether every record checked out (and the head matched, when one was expected)."""
        return self.problem is None


def _lookahead(rows: Iterator[RawRow]) -> Iterator[tuple[RawRow, RawRow | None]]:
    previous: RawRow | None = None
    for row in rows:
        if previous is not None:
            yield previous, row
        previous = row
    if previous is not None:
        yield previous, None


def _link_problem(
    expected: int, record: Record, before: list[str], following: RawRow | None
) -> Problem:
    """Explain a record whose seq or previous-hash link is wrong (its own hash is right)."""
    if record.seq > expected and (not before or record.prev_hash != before[-1]):
        last = record.seq - 1
        missing = f"record {expected}" if last == expected else f"records {expected} to {last}"
        return Problem(expected, "deleted", f"{missing} missing: the chain jumps to {record.seq}")
    if len(before) >= 2 and record.prev_hash == before[-2]:
        return Problem(
            expected - 1,
            "inserted",
            f"record {expected} links to record {expected - 2}: record {expected - 1} was "
            "inserted into the chain",
        )
    if following is not None and record.prev_hash == following[5]:
        return Problem(
            expected, "reordered", f"it links to the record stored after it ({following[0]!r})"
        )
    if record.seq != expected:
        return Problem(expected, "reordered", f"found sequence number {record.seq} here")
    if not before:
        return Problem(
            expected,
            "deleted",
            "the first record does not start the chain: records before it are missing",
        )
    return Problem(
        expected,
        "deleted",
        f"it does not link to record {expected - 1}: records between them were deleted or "
        "the chain was rewritten",
    )


UNSIGNED_WARNING = (
    "unsigned log: the chain shows that no record was changed, removed or inserted inside "
    "it, but not who appended the records: anyone who can write to the database can append "
    "correctly chained records, or rewrite the whole log, and this check passes. A head kept "
    "elsewhere (--expect-head) detects a rewrite; a signed log (rulekit log keygen, then "
    "--signing-key for writers and --public-key here) detects any record its writers did "
    "not sign."
)
"""What ``verify`` says of a log without signatures: what its chain cannot protect against."""

RENUMBER_SEARCH = 1000
"""How far ``verify`` looks for the sequence number a renumbered record was appended with."""


def _original(record: Record, before: list[str]) -> tuple[int, str] | None:
    """Return the ``(seq, prev_hash)`` ``record`` hashes correctly with, if only those moved.

    A record renumbered, or relinked to hide an insertion, still carries the hash it was
    appended with; trying nearby sequence numbers, and the hash two records back as its
    link, recovers where it really was.
    """
    links = [record.prev_hash] + ([before[-2]] if len(before) >= 2 else [])
    for distance in range(RENUMBER_SEARCH + 1):
        for seq in {record.seq + distance, record.seq - distance}:
            for link in links:
                if seq < 1 or (seq == record.seq and link == record.prev_hash):
                    continue
                if record.hash == record_hash(
                    seq, record.recorded_at, link, record.dossier, record.decision
                ):
                    return seq, link
    return None


def _inserted(expected: int) -> Problem:
    return Problem(
        expected - 1,
        "inserted",
        f"record {expected} was appended right after record {expected - 2}: record "
        f"{expected - 1} was inserted into the chain",
    )


def _content_problem(
    expected: int, record: Record, before: list[str], following: RawRow | None
) -> Problem:
    """Explain a record whose content does not match its stored hash."""
    if len(before) >= 2 and record.prev_hash == before[-2]:
        return _inserted(expected)
    if following is not None and record.prev_hash == following[5]:
        return Problem(
            expected,
            "reordered",
            "its content does not match its hash and it links to the record stored after it",
        )
    original = _original(record, before)
    if original is None:
        return Problem(expected, "altered", "its content does not match its hash")
    seq, link = original
    if link != record.prev_hash and len(before) >= 2 and link == before[-2]:
        return _inserted(expected)
    return _moved(expected, seq, record.seq)


def _moved(expected: int, appended_as: int, stored_as: int) -> Problem:
    """Explain a record that hashes right under another sequence number (or link)."""
    if appended_as > stored_as:
        return Problem(
            expected,
            "deleted",
            f"it was appended as record {appended_as} and renumbered: records before it were "
            "deleted",
        )
    if appended_as < stored_as:
        return Problem(
            expected, "reordered", f"it was appended as record {appended_as} and moved here"
        )
    return Problem(expected, "altered", "its link to the record before it was rewritten")


def _chain_problem(
    expected: int, record: Record, before: list[str], following: RawRow | None
) -> Problem | None:
    """Return the problem of a record whose hash, number or link is wrong, if any."""
    actual = record_hash(
        record.seq, record.recorded_at, record.prev_hash, record.dossier, record.decision
    )
    if actual != record.hash:
        return _content_problem(expected, record, before, following)
    previous = before[-1] if before else GENESIS
    if record.seq != expected or record.prev_hash != previous:
        return _link_problem(expected, record, before, following)
    return None


def _order_problem(
    record: Record, moment: datetime | None, before: datetime | None, before_text: str
) -> Problem | None:
    """Return the problem of a record whose recording time is unreadable or goes backwards."""
    if moment is None:
        return Problem(record.seq, "damaged", f"recorded_at {record.recorded_at!r} is not a time")
    if before is not None and moment < before:
        return Problem(
            record.seq,
            "backdated",
            f"recorded at {record.recorded_at}, before record {record.seq - 1} "
            f"({before_text}): it was back-dated, or records were appended out of time order",
        )
    return None


def _signature_problem(
    record: Record, verifier: Verifier | None, signed_before: bool
) -> Problem | None:
    """Return the problem of a record whose signature is missing, malformed or not valid."""
    if verifier is not None:
        check = verifier.check(record.hash, record.signature)
        if check.problem is None:
            return None
        kind = "unsigned" if record.signature is None else "forged"
        return Problem(record.seq, kind, check.problem)
    if record.signature is None:
        if signed_before:
            return Problem(
                record.seq,
                "unsigned",
                "it carries no signature, yet the records before it are signed: rulekit "
                "never appends an unsigned record to a signed log",
            )
        return None
    if signature_key_id(record.signature) is None:
        return Problem(record.seq, "forged", "its signature is not of the form ed25519:KEYID:HEX")
    return None


def verify(
    log: DecisionLog,
    expect_head: tuple[int, str] | None = None,
    *,
    verifier: Verifier | None = None,
    upto: int | None = None,
    every_signature: bool = True,
) -> VerifyReport:
    """Check the chain of ``log``; stop at the first bad record.

    :param expect_head: a ``(seq, hash)`` recorded earlier: the log must still contain that
        record, unchanged (catches truncation and wholesale rewriting).
    :param verifier: the log's trusted public keys: every record must then be signed by
        one of them. Without it, signatures are counted, not checked.
    :param upto: check records 1 to ``upto`` only (what a reader of record ``upto`` needs).
    :param every_signature: check each record's signature (finds the first forged one);
        ``False`` checks the last record's only: its signature covers its hash, which
        covers every record before it through the intact chain, so it vouches for them
        all, at the cost of one check instead of one per record (for readers).
    :raises LogError: when the log cannot be read at all.
    """
    before: list[str] = []  # hashes of the last two good records
    count = 0
    head: tuple[int, str] | None = None
    seen_expected = False
    signed = 0
    signers: set[str] = set()
    last_time: tuple[datetime | None, str] = (None, "")
    last_record: Record | None = None

    def report(problem: Problem | None, records: int | None = None) -> VerifyReport:
        return VerifyReport(
            log.target,
            count if records is None else records,
            head,
            problem,
            signed,
            tuple(sorted(signers)),
            verifier is not None,
        )

    for row, following in _lookahead(log.raw_rows()):
        expected = count + 1
        if upto is not None and expected > upto:
            break
        try:
            record = as_record(row)
        except LogError:
            return report(Problem(expected, "damaged", "a stored value has the wrong type"))
        moment = stored_timestamp(record.recorded_at)
        problem = (
            _chain_problem(expected, record, before, following)
            or _order_problem(record, moment, *last_time)
            or _signature_problem(record, verifier if every_signature else None, signed > 0)
        )
        if problem is not None:
            return report(problem)
        last_time = (moment, record.recorded_at)
        if record.signature is not None:
            signed += 1
            signers.add(signature_key_id(record.signature) or "?")
        count += 1
        last_record = record
        head = (record.seq, record.hash)
        before = [*before[-1:], record.hash]
        if expect_head is not None and record.seq == expect_head[0]:
            seen_expected = True
            if record.hash != expect_head[1]:
                return report(
                    Problem(
                        record.seq,
                        "altered",
                        f"hash {record.hash} differs from the expected head {expect_head[1]}: "
                        "the log was rewritten",
                    ),
                    count - 1,
                )
    if verifier is not None and not every_signature and last_record is not None:
        problem = _signature_problem(last_record, verifier, signed > 0)
        if problem is not None:
            return report(problem, count - 1)
    if expect_head is not None and not seen_expected:
        last = head[0] if head else 0
        return report(
            Problem(
                last + 1,
                "deleted",
                f"the log ends at record {last}, before the expected head {expect_head[0]}: "
                "records were removed from its end",
            )
        )
    return report(None)


def require_intact(
    log: DecisionLog, *, verifier: Verifier | None = None, upto: int | None = None
) -> VerifyReport:
    """Verify records 1 to ``upto`` (all by default) before anything is read from them.

    What ``replay`` and ``log show`` call first: a record is used only when the chain up to
    it is intact (and signed by a trusted key, given ``verifier``).

    :raises LogError: naming the first bad record, when there is one.
    """
    report = verify(log, verifier=verifier, upto=upto, every_signature=False)
    if report.problem is not None:
        raise LogError(
            f"{log.target} fails verification, so nothing is read from it: {report.problem} "
            "(rulekit log verify gives the whole report)"
        )
    return report
