"""The published JSON Schemas agree with the validator and with produced decisions."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import jsonschema
import pytest

from rulekit import evaluate
from rulekit.codec import decision_to_dict
from rulekit.dossier_io import validate
from rulekit.schemas import load_schema
from tests.conftest import EXAMPLES
from tests.test_dossier_io import base

DOSSIER = jsonschema.Draft202012Validator(load_schema("dossier"))
DECISION = jsonschema.Draft202012Validator(load_schema("decision"))


def test_schemas_are_valid() -> None:
    """Both schemas are valid JSON Schema 2020-12."""
    jsonschema.Draft202012Validator.check_schema(load_schema("dossier"))
    jsonschema.Draft202012Validator.check_schema(load_schema("decision"))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_examples_match_schema_and_decisions_too(path: Any) -> None:
    """Every example dossier validates, and so does the decision made from it."""
    value = json.loads(path.read_text(encoding="utf-8"))
    DOSSIER.validate(value)
    for as_of in (date(2010, 1, 1), date(2023, 7, 1)):
        DECISION.validate(decision_to_dict(evaluate(value, as_of=as_of)))


@pytest.mark.parametrize(
    "value",
    [
        base(units=[{"code": "tet099", "result": "passed", "date": "2020-01-01"}]),
        base(experience=[{"start": "2020-01-01", "in_field": True, "fte": 0}]),
        base(extra=True),
        base(learner={}),
        base(blocks=[{"code": "RNCP12976BC01", "result": "passed"}]),
        base(waivers=[{"requirement": "units", "granted_by": "J", "date": "2020-01-01"}]),
    ],
)
def test_schema_rejects_what_validator_rejects(value: dict[str, Any]) -> None:
    """Shape errors are caught by both the schema and the validator."""
    assert validate(value)
    assert list(DOSSIER.iter_errors(value))
