"""Copies of the log as JSON Lines, optionally pseudonymised for statistics.

The first line is a header (``{"format": "rulekit.log-export/1", ...}``); each following
line is one record: ``seq``, ``recorded_at``, the ``dossier`` and the ``decision`` as JSON
objects, with sorted keys so that the same log always gives the same file.

A plain copy also carries each record's ``prev_hash`` and ``hash``. A pseudonymised copy
replaces every learner ``id`` and ``name`` (in the dossier and in the decision) by
``HMAC-SHA256(key, label + value)``: the same learner gets the same pseudonym across
records and exports made with the same key, so that statistics can count learners, while
nobody without the key can link a pseudonym back to a person by trying names. It carries
no record hash (a hash would tie each line back to the identified log), and never the key.
Free text (waiver reasons, employers, hosts) is copied as it is: the issue keeps it for
auditors, and a statistics copy should not need it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

from rulekit.log.record import LogError, Record
from rulekit.log.store import DecisionLog

EXPORT_FORMAT = "rulekit.log-export/1"
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


def export_line(record: Record, key: bytes | None) -> dict[str, Any]:
    """Return one record as an export line (pseudonymised when ``key`` is given).

    :raises LogError: when the record's dossier or decision is not JSON.
    """
    try:
        dossier = json.loads(record.dossier)
        decision = json.loads(record.decision)
    except ValueError as exc:
        raise LogError(f"record {record.seq} does not hold JSON: {exc}") from None
    line: dict[str, Any] = {
        "seq": record.seq,
        "recorded_at": record.recorded_at,
        "dossier": dossier,
        "decision": decision,
    }
    if key is None:
        line["prev_hash"] = record.prev_hash
        line["hash"] = record.hash
    else:
        _pseudonymise_learner(dossier, key)
        _pseudonymise_learner(decision, key)
    return line


def export_lines(log: DecisionLog, key: bytes | None) -> Iterator[str]:
    """Yield the export file's lines (each ending in a newline), header first."""
    header = {
        "format": EXPORT_FORMAT,
        "source": "rulekit decision log",
        "pseudonymised": key is not None,
    }
    if key is not None:
        header["pseudonym"] = "HMAC-SHA256 of learner id and name; key not included"
    yield json.dumps(header, ensure_ascii=False, sort_keys=True) + "\n"
    for record in log.records():
        line = export_line(record, key)
        yield json.dumps(line, ensure_ascii=False, sort_keys=True, allow_nan=False) + "\n"
