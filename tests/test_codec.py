"""Decision bytes and input digests: fast, and the same as the plain definitions say.

The decision bytes are orjson's; they must be exactly what ``json.dumps`` gives (the
published form, recorded in logs and compared on replay) on every conformance case and on
decisions made from generated dossiers. The input digest is computed once per dossier and
depends neither on the order of list items nor on the order of keys.
"""

from __future__ import annotations

import json
import random
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rulekit import codec
from rulekit.api import evaluate
from rulekit.codec import (
    CONVERTER,
    canonical_input,
    decision_to_dict,
    decision_to_json,
    input_digest,
)
from rulekit.decision import Decision
from rulekit.dossier_io import load_dossier
from rulekit.errors import RulekitError
from rulekit.registry import Registry, default_registry
from rulekit.testing import strategies as rks
from rulekit.testing.conformance import ConformanceCase, find_cases
from tests.conftest import EXAMPLES, SPECS

CASES = list(find_cases(SPECS / "conformance"))
CERTIFICATIONS = default_registry().declarations()


def plain_json(decision: Decision, indent: int | None = None) -> str:
    """The decision bytes as defined: json.dumps of the decision's JSON object."""
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(
        decision_to_dict(decision),
        ensure_ascii=False,
        indent=indent,
        separators=separators,
        allow_nan=False,
    )
    return text + "\n"


def _decision(case: ConformanceCase, installed: Registry) -> Decision | None:
    try:
        return evaluate(
            case.dossier,
            certification=case.certification,
            track=case.track,
            as_of=case.as_of,
            registry=installed,
        )
    except RulekitError:
        return None  # a case whose expected outcome is an error has no decision bytes


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_conformance_decision_bytes_unchanged(case: ConformanceCase, installed: Registry) -> None:
    """Every conformance case's decision: the same bytes as json.dumps, compact and indented."""
    decision = _decision(case, installed)
    if decision is None:
        assert case.expect.get("outcome") == "error"
        return
    for indent in (None, 2, 4):
        assert decision_to_json(decision, indent=indent) == plain_json(decision, indent)
    assert_same_object(decision)


def assert_same_object(decision: Decision) -> None:
    """The generated writers give the JSON object the cattrs converter gives, types included."""
    written = decision_to_dict(decision)
    assert written == CONVERTER.unstructure(decision, Decision)
    assert json.dumps(written) == json.dumps(CONVERTER.unstructure(decision, Decision))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_conformance_dated_decision_objects(case: ConformanceCase, installed: Registry) -> None:
    """With eligible_from / eligible_until, the generated writers agree with cattrs too."""
    try:
        decision = evaluate(
            case.dossier,
            certification=case.certification,
            track=case.track,
            as_of=case.as_of,
            registry=installed,
            dates=True,
        )
    except RulekitError:
        return
    assert_same_object(decision)


@pytest.mark.parametrize("certification", CERTIFICATIONS, ids=[c.id for c in CERTIFICATIONS])
@given(data=st.data())
def test_generated_decision_bytes_unchanged(certification: Any, data: st.DataObject) -> None:
    """Decisions from generated dossiers: orjson's bytes are json.dumps's bytes."""
    scenario = data.draw(rks.scenarios(certification))
    decision = evaluate(
        scenario.dossier,
        certification=certification.id,
        as_of=scenario.as_of,
        ruleset_version=certification.version,
        registry=default_registry(),
    )
    assert decision_to_json(decision) == plain_json(decision)
    assert decision_to_json(decision, indent=2) == plain_json(decision, 2)
    assert_same_object(decision)


@pytest.mark.parametrize("grade", [1e-05, 0.00001234, 5e-324, 0.0001, 19.999999999999996, 0.0])
def test_awkward_floats_keep_their_json_dumps_spelling(grade: float) -> None:
    """A float Python writes with an exponent (orjson would not alike) keeps json.dumps's form."""
    dossier = load_dossier((EXAMPLES / "casp_national.json").read_bytes())
    unit = attrs.evolve(dossier.units[0], grade=grade)
    dossier = attrs.evolve(dossier, units=(unit, *dossier.units[1:]))
    decision = evaluate(dossier, as_of=date(2023, 7, 1))
    assert decision_to_json(decision) == plain_json(decision)
    assert decision_to_json(decision, indent=2) == plain_json(decision, 2)


def test_input_digest_ignores_list_and_key_order() -> None:
    """Shuffled list items and keys: the same digest; one change of substance: another."""
    value = json.loads((EXAMPLES / "casp_national.json").read_text(encoding="utf-8"))
    rng = random.Random(7)
    reference = input_digest(load_dossier(json.dumps(value)))
    for _ in range(10):
        shuffled: dict[str, Any] = {}
        for key in rng.sample(sorted(value), len(value)):
            item = value[key]
            if isinstance(item, list):
                item = [dict(rng.sample(sorted(x.items()), len(x))) for x in item]
                rng.shuffle(item)
            shuffled[key] = item
        assert input_digest(load_dossier(json.dumps(shuffled))) == reference
    value["units"][0]["grade"] = 12.0
    assert input_digest(load_dossier(json.dumps(value))) != reference


def test_input_digest_is_remembered_per_dossier_object() -> None:
    """Asked twice for one dossier, the digest is not recomputed; equal dossiers agree."""
    dossier = load_dossier((EXAMPLES / "casp_national.json").read_bytes())
    first = input_digest(dossier)
    calls = []
    original = canonical_input

    def counting(value: Any) -> bytes:
        calls.append(value)
        return original(value)

    codec.canonical_input = counting  # type: ignore[assignment]
    try:
        assert input_digest(dossier) == first and calls == []
        other = attrs.evolve(dossier)
        assert input_digest(other) == first and calls == [other]
    finally:
        codec.canonical_input = original
