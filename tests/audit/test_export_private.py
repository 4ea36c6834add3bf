"""A pseudonymised export cannot be tied back to a learner, to the log, or to another export.

The finding this reruns: the export kept ``seq`` and ``input_digest``, an unkeyed SHA-256
of the whole dossier (learner id and name included), so that an attacker holding the
export alone confirmed guesses of (id, name) by putting them back into the exported
dossier and recomputing the digest, and brute-forced an id from a list of candidates; and
pseudonyms linked across exports made with different keys. Each attack is first run
against what the export used to hold (the decision's own digest), where it succeeds, then
against the export, where it must fail.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rulekit.codec import input_digest
from rulekit.dossier_io import dossier_from_dict
from rulekit.log import open_log
from rulekit.log.export import export_lines
from rulekit.registry import Registry
from tests.audit.helpers import fictitious_dossier, record_many

KEY = b"fictitious-export-key-0123456789"
OTHER_KEY = b"another-fictitious-key-9876543210"
LEARNERS = (("F017", "Fictitious Camille"), ("F342", "Fictitious Dominique"), ("F905", None))
HEX = re.compile(r"[0-9a-f]{64}")


def _learner_dossier(learner: str, name: str | None) -> dict[str, Any]:
    dossier = fictitious_dossier(learner=learner)
    dossier["learner"]["name"] = name
    return dossier


@pytest.fixture
def log(tmp_path: Path, audit_registry: Registry) -> str:
    """A log of three learners' decisions, two of them recorded twice."""
    target = str(tmp_path / "decisions.db")
    dossiers = [_learner_dossier(*learner) for learner in (*LEARNERS, *LEARNERS[:2])]
    record_many(target, audit_registry, list(dossiers))
    return target


def _export(target: str, key: bytes | None) -> str:
    with open_log(target) as log:
        return "".join(export_lines(log, key))


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()[1:]]


def _digest_of(dossier: dict[str, Any], learner: str, name: str | None) -> str:
    """The dossier's input digest with ``learner`` and ``name`` put back in it."""
    guess = copy.deepcopy(dossier)
    guess["learner"] = {"id": learner, "name": name}
    return input_digest(dossier_from_dict(guess)).removeprefix("sha256:")


def _confirmed(text: str, guesses: list[tuple[str, str | None]]) -> set[tuple[str, str | None]]:
    """The guesses whose recomputed digest appears anywhere in ``text`` (the attack)."""
    found = set(HEX.findall(text))
    confirmed = set()
    for line in _lines(text):
        for guess in guesses:
            if _digest_of(line["dossier"], *guess) in found:
                confirmed.add(guess)
    return confirmed


def _candidates() -> Iterator[str]:
    """Every id of the fictitious form: F000 to F999."""
    return (f"F{number:03}" for number in range(1000))


def test_guessed_ids_and_names_are_confirmed_from_a_decision_not_from_the_export(
    log: str,
) -> None:
    """Three true guesses and a false one: only the plain copy confirms the true ones."""
    guesses: list[tuple[str, str | None]] = [*LEARNERS, ("F017", "Someone Else")]
    assert _confirmed(_export(log, None), guesses) == set(LEARNERS)
    assert _confirmed(_export(log, KEY), guesses) == set()


def test_an_id_cannot_be_brute_forced_from_the_export(log: str) -> None:
    """Trying every id of the form, name known: found from the plain copy, not the export."""
    plain, private = _export(log, None), _export(log, KEY)
    name = LEARNERS[1][1]
    assert {c for (c,) in _confirmed_ids(plain, name)} == {"F342"}
    assert _confirmed_ids(private, name) == set()


def _confirmed_ids(text: str, name: str | None) -> set[tuple[str]]:
    found = set(HEX.findall(text))
    return {
        (candidate,)
        for line in _lines(text)
        for candidate in _candidates()
        if _digest_of(line["dossier"], candidate, name) in found
    }


def test_export_holds_no_identifier_no_record_number_and_no_dossier_hash(log: str) -> None:
    """No learner id or name, no seq, hash, link, input digest or exact recording time."""
    text = _export(log, KEY)
    for learner, name in LEARNERS:
        assert learner not in text
        assert name is None or name not in text
    header, *lines = (json.loads(line) for line in text.splitlines())
    assert header["pseudonymised"] is True
    assert set(header["omitted"]) >= {"seq", "hash", "input_digest", "recorded_at"}
    for line in lines:
        assert set(line) == {"recorded_on", "dossier", "decision"}
        assert "input_digest" not in line["decision"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", line["recorded_on"])
    # Every SHA-256 left is a rule set's digest, the same for every learner.
    digests = set(re.findall(r"(?<![\w-])sha256:[0-9a-f]{64}", text))
    assert digests == {line["decision"]["certification"]["ruleset_digest"] for line in lines}


def test_exports_with_different_keys_do_not_link(log: str) -> None:
    """No pseudonym in common, and lines in an order set by the key, not by the log.

    The same key gives the same bytes (so a statistics copy can be remade), and the same
    learner the same pseudonym in every record of it.
    """
    first, second = _export(log, KEY), _export(log, OTHER_KEY)
    assert first == _export(log, KEY)

    def pseudonyms(text: str) -> list[str]:
        return re.findall(r"hmac-sha256:[0-9a-f]{64}", text)

    assert set(pseudonyms(first)).isdisjoint(pseudonyms(second))
    ids = [line["dossier"]["learner"]["id"] for line in _lines(first)]
    assert len(set(ids)) == 3  # five records of three learners
    assert {ids.count(pseudonym) for pseudonym in ids} == {1, 2}

    def pattern(text: str) -> list[int]:
        """Each line's learner, numbered by first appearance: what order is left to see."""
        seen: list[str] = []
        for line in _lines(text):
            if line["dossier"]["learner"]["id"] not in seen:
                seen.append(line["dossier"]["learner"]["id"])
        return [seen.index(line["dossier"]["learner"]["id"]) for line in _lines(text)]

    def keyed(key: bytes) -> list[int]:
        """The learners in the order the module doc gives: by a keyed hash of each record."""
        with open_log(log) as opened:
            records = list(opened.records())
        order = sorted(
            records,
            key=lambda r: hmac.new(key, b"order\x00" + r.hash.encode(), hashlib.sha256).digest(),
        )
        seen: list[str] = []
        for record in order:
            if json.loads(record.dossier)["learner"]["id"] not in seen:
                seen.append(json.loads(record.dossier)["learner"]["id"])
        return [seen.index(json.loads(record.dossier)["learner"]["id"]) for record in order]

    assert pattern(first) == keyed(KEY)
    assert pattern(second) == keyed(OTHER_KEY)
    assert pattern(_export(log, None)) == [0, 1, 2, 0, 1]  # log order
    assert [0, 1, 2, 0, 1] not in (pattern(first), pattern(second))
