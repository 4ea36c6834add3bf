"""``verify``: walk the chain and name the first record that is not as it was appended.

Each record must carry the next sequence number, link to the hash of the record before it
(:data:`~rulekit.log.record.GENESIS` for the first) and hash to its stored hash. The first
record failing any of these is reported with a diagnosis: ``altered`` (content or hash
changed), ``deleted`` (a gap, or a link to a record that is gone), ``inserted`` (a record
the next one skips over), ``reordered`` (a record linking to one stored after it), or
``damaged`` (a stored value of the wrong type).

The chain proves the log was not changed *inside*; removing records at its end, or
rewriting it whole with fresh hashes, can only be seen against a head kept elsewhere:
pass ``expect_head`` (the ``seq`` and hash printed by an earlier verify).
"""

from __future__ import annotations

from collections.abc import Iterator

from attrs import frozen

from rulekit.log.record import GENESIS, LogError, Record, record_hash
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


def verify(log: DecisionLog, expect_head: tuple[int, str] | None = None) -> VerifyReport:
    """Check the whole chain of ``log``; stop at the first bad record.

    :param expect_head: a ``(seq, hash)`` recorded earlier: the log must still contain that
        record, unchanged (catches truncation and wholesale rewriting).
    :raises LogError: when the log cannot be read at all.
    """
    before: list[str] = []  # hashes of the last two good records
    count = 0
    head: tuple[int, str] | None = None
    seen_expected = False
    for row, following in _lookahead(log.raw_rows()):
        expected = count + 1
        try:
            record = as_record(row)
        except LogError:
            return VerifyReport(
                log.target,
                count,
                head,
                Problem(expected, "damaged", "a stored value has the wrong type"),
            )
        actual = record_hash(
            record.seq, record.recorded_at, record.prev_hash, record.dossier, record.decision
        )
        if actual != record.hash:
            problem = _content_problem(expected, record, before, following)
            return VerifyReport(log.target, count, head, problem)
        previous = before[-1] if before else GENESIS
        if record.seq != expected or record.prev_hash != previous:
            problem = _link_problem(expected, record, before, following)
            return VerifyReport(log.target, count, head, problem)
        count += 1
        head = (record.seq, record.hash)
        before = [*before[-1:], record.hash]
        if expect_head is not None and record.seq == expect_head[0]:
            seen_expected = True
            if record.hash != expect_head[1]:
                return VerifyReport(
                    log.target,
                    count - 1,
                    head,
                    Problem(
                        record.seq,
                        "altered",
                        f"hash {record.hash} differs from the expected head {expect_head[1]}: "
                        "the log was rewritten",
                    ),
                )
    if expect_head is not None and not seen_expected:
        last = head[0] if head else 0
        return VerifyReport(
            log.target,
            count,
            head,
            Problem(
                last + 1,
                "deleted",
                f"the log ends at record {last}, before the expected head {expect_head[0]}: "
                "records were removed from its end",
            ),
        )
    return VerifyReport(log.target, count, head, None)
