"""Copies of the log as JSON Lines, optionally pseudonymised for statistics.

The first line is a header (``{"format": "rulekit.log-export/1", ...}``); each following
line is one record: ``seq``, ``recorded_at``, the ``dossier`` and the ``decision`` as JSON
objects, with sorted keys so that the same log always gives the same file.

A plain copy also carries each record's ``prev_hash`` and ``hash``. A pseudonymised copy
replaces every learner ``id`` and ``name`` (in the dossier and in the decision) by
``HMAC-SHA256(key, label + value)``: the same learner gets the same pseudonym across
records and exports made with the same key, so that statistics can count learners, while
nobody without the key can link a pseudonym back to a person by trying names, and
pseudonyms made with different keys are unrelated. It also leaves out everything else that
would tie a line to the identified log, to a learner or to another export:

- no ``seq``, no record hash and no link (they name the record in the log);
- no ``input_digest``: it is an unkeyed SHA-256 of the whole dossier, learner id and name
  included, so anyone holding the rest of the dossier (the export itself) could confirm a
  guessed id and name by recomputing it; it is also printed in reports and HTTP answers;
- the recording *day* (``recorded_on``) instead of the recording time to the microsecond,
  which is unique to a record and the same in every export;
- lines in an order set by the key (sorted by a keyed hash of each record), not in log
  order, so that the n-th lines of two exports are not the same record.

The key is never written. Free text (waiver reasons, employers, hosts) is copied as it is:
auditors need it in the log, and it must be reviewed before a copy leaves the institution.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

from rulekit.log.record import LogError, Record
from rulekit.log.store import DecisionLog

EXPORT_FORMAT = "rulekit.log-export/2"
MIN_KEY_BYTES = 16
"""Shortest key accepted: a short key could be found by trying every key."""


def pseudonym(key: bytes, label: str, value: str) -> str:
    """Return the keyed pseudonym of ``value``; ``label`` keeps ids and names apart."""
    mac = hmac.new(key, f"{label}\x00{value}".encode(), hashlib.sha256)
    return "hmac-sha256:" + mac.hexdigest()


def check_key(key: bytes) -> bytes:
    """Return ``key`` if it is long enough to pseudonymise with.

    :raises LogError: when it is shorter than :data:`MIN_KEY_BYTES`.
    """
    if len(key) < MIN_KEY_BYTES:
        raise LogError(
            f"pseudonymisation key is {len(key)} bytes; at least {MIN_KEY_BYTES} are needed"
        )
    return key


def _pseudonymise_learner(value: Any, key: bytes) -> None:
    learner = value.get("learner") if isinstance(value, dict) else None
    if not isinstance(learner, dict):
        return
    if isinstance(learner.get("id"), str):
        learner["id"] = pseudonym(key, "learner.id", learner["id"])
    if isinstance(learner.get("name"), str):
        learner["name"] = pseudonym(key, "learner.name", learner["name"])


OMITTED = ("seq", "hash", "prev_hash", "signature", "input_digest", "recorded_at")
"""What a pseudonymised line leaves out (module doc: each would link it to something)."""


def export_line(record: Record, key: bytes | None) -> dict[str, Any]:
    """Return one record as an export line (pseudonymised when ``key`` is given).

    :raises LogError: when the record's dossier or decision is not JSON.
    """
    try:
        dossier = json.loads(record.dossier)
        decision = json.loads(record.decision)
    except ValueError as exc:
        raise LogError(f"record {record.seq} does not hold JSON: {exc}") from None
    if key is not None:
        _pseudonymise_learner(dossier, key)
        _pseudonymise_learner(decision, key)
        if isinstance(decision, dict):
            decision.pop("input_digest", None)
        return {
            "recorded_on": record.recorded_at[:10],
            "dossier": dossier,
            "decision": decision,
        }
    line: dict[str, Any] = {
        "seq": record.seq,
        "recorded_at": record.recorded_at,
        "dossier": dossier,
        "decision": decision,
        "prev_hash": record.prev_hash,
        "hash": record.hash,
    }
    if record.signature is not None:
        line["signature"] = record.signature
    return line


def _dump(line: dict[str, Any]) -> str:
    return json.dumps(line, ensure_ascii=False, sort_keys=True, allow_nan=False) + "\n"


def export_lines(log: DecisionLog, key: bytes | None) -> Iterator[str]:
    """Yield the export file's lines (each ending in a newline), header first.

    A plain copy streams in log order; a pseudonymised one is put in the key's order
    first (module doc), which holds its lines in memory.
    """
    header: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "source": "rulekit decision log",
        "pseudonymised": key is not None,
    }
    if key is not None:
        header["pseudonym"] = "HMAC-SHA256 of learner id and name; key not included"
        header["omitted"] = list(OMITTED)
        header["order"] = "by a keyed hash of each record, not log order"
    yield json.dumps(header, ensure_ascii=False, sort_keys=True) + "\n"
    if key is None:
        for record in log.records():
            yield _dump(export_line(record, key))
        return
    keyed = sorted(
        (hmac.new(key, b"order\x00" + record.hash.encode(), hashlib.sha256).digest(), record.seq)
        for record in log.records()
    )
    for _, seq in keyed:
        yield _dump(export_line(log.get(seq), key))
