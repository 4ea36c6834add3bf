"""The dossier format is described once: schema, full reader and fast path agree.

Checked on dossiers Hypothesis generates from the installed declarations (valid ones and
ones broken in every way :mod:`rulekit.testing.broken` knows), not on a few examples.
"""

from __future__ import annotations

import json
import pickle
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rulekit.declaration import Certification
from rulekit.dossier import Dossier
from rulekit.dossier_format import OBJECTS, Field, Number, json_schema
from rulekit.dossier_io import (
    _builder,
    _slot_setters,
    dossier_from_dict,
    fast_read,
    load_dossier,
    parse_json,
    validate,
)
from rulekit.errors import DossierError
from rulekit.registry import default_registry
from rulekit.schemas import load_schema
from rulekit.testing import strategies as rks
from rulekit.testing.broken import broken_dossiers
from tests.conftest import EXAMPLES

SCHEMA = jsonschema.Draft202012Validator(
    load_schema("dossier"), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


CERTIFICATIONS = default_registry().declarations()
IDS = [f"{c.id}-{c.version}" for c in CERTIFICATIONS]


def test_published_schema_is_the_generated_one() -> None:
    """rulekit/schemas/dossier.schema.json is what rulekit.dossier_format generates."""
    assert load_schema("dossier") == json_schema()


def _full(value: Any) -> Any:
    """What the full reader makes of ``value`` (JSON text or parsed): a dossier or errors."""
    try:
        return dossier_from_dict(parse_json(value) if isinstance(value, bytes) else value)
    except DossierError as exc:
        return exc.errors


def _schema_can_say(errors: Any) -> bool:
    """Whether the schema can refuse a dossier the validator refuses with ``errors``.

    JSON Schema cannot compare two fields: a period ending before it starts is the one
    error the schema leaves to the validator (its description says so).
    """
    return not all("is before start" in e.message for e in errors)


@pytest.mark.parametrize("certification", CERTIFICATIONS, ids=IDS)
@given(data=st.data())
def test_schema_and_validator_accept_the_same_valid_dossiers(
    certification: Certification, data: st.DataObject
) -> None:
    """Every generated valid dossier passes both the schema and the validator."""
    value = data.draw(rks.scenarios(certification)).dossier
    assert validate(value) == []
    assert [e.message for e in SCHEMA.iter_errors(value)] == []


@pytest.mark.parametrize("certification", CERTIFICATIONS, ids=IDS)
@given(data=st.data())
def test_schema_and_validator_refuse_the_same_broken_dossiers(
    certification: Certification, data: st.DataObject
) -> None:
    """A dossier broken in any way is refused by both, or (period order only) by the validator.

    A waiver of an unknown requirement is a valid dossier for both: only the certification
    can tell, and the pipeline reports it (tests/test_pipeline.py).
    """
    broken = data.draw(broken_dossiers(certification))
    if isinstance(broken.payload, bytes):
        return  # JSON text that does not parse: no document to hold against a schema
    errors = validate(broken.payload)
    schema_errors = list(SCHEMA.iter_errors(broken.payload))
    if broken.defect == "a waiver of an unknown requirement":
        assert errors == [] and schema_errors == []
    else:
        assert errors, broken.defect
        assert bool(schema_errors) == _schema_can_say(errors), (broken.defect, errors)


@pytest.mark.parametrize("certification", CERTIFICATIONS, ids=IDS)
@given(data=st.data())
def test_fast_path_reads_valid_dossiers_as_the_full_reader(
    certification: Certification, data: st.DataObject
) -> None:
    """Valid JSON text takes the fast path and gives the dossier the full reader gives."""
    value = data.draw(rks.scenarios(certification)).dossier
    text = json.dumps(value, ensure_ascii=data.draw(st.booleans())).encode()
    fast = fast_read(text)
    assert fast is not None or b"\\" in text
    assert fast == _full(text) or fast is None


@pytest.mark.parametrize("certification", CERTIFICATIONS, ids=IDS)
@given(data=st.data())
def test_fast_path_never_accepts_what_the_full_reader_refuses(
    certification: Certification, data: st.DataObject
) -> None:
    """On a broken dossier the fast path answers nothing, or exactly the full reader's dossier."""
    broken = data.draw(broken_dossiers(certification))
    payload = broken.payload
    text = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    full = _full(text)
    fast = fast_read(text)
    if isinstance(full, tuple):
        assert fast is None, broken.defect
    else:
        assert fast is None or fast == full


EXAMPLE = (EXAMPLES / "casp_national.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (EXAMPLE.replace('"name"', '"id": "B2", "name"', 1), "duplicate key 'id'"),
        (EXAMPLE.replace('"grade": 11}', '"grade": 11, "grade": 19}', 1), "duplicate key"),
        (EXAMPLE.replace("2021-09-01", "0001-09-01"), "year outside 1900..2199"),
        (EXAMPLE.replace("2021-09-01", "\u0662\u0660\u0662\u0661-09-01"), "YYYY-MM-DD"),
        (EXAMPLE.replace('"2021-09-01"', '"2021-09-01\\n"'), "YYYY-MM-DD"),
        (EXAMPLE.replace('"A123"', '"\\u00a0"'), "must not be empty"),
        (EXAMPLE.replace('"TET099"', '"TET 99"'), "is not a unit code"),
        (EXAMPLE.replace('"TET099"', '"TET099\\n"', 1).replace('"A123"', '"  "'), "empty"),
        (EXAMPLE.replace('"2020-08-31"', '"2019-08-31"'), "is before start"),
    ],
)
def test_what_the_fast_path_leaves_is_refused(text: str, reason: str) -> None:
    """Duplicate keys, odd years, other scripts' digits, blanks: refused with their reason."""
    assert fast_read(text) is None
    with pytest.raises(DossierError, match=reason):
        load_dossier(text)


def test_escapes_are_read_by_the_full_reader() -> None:
    """A valid dossier written with escapes is read, the same as without them."""
    escaped = json.dumps(json.loads(EXAMPLE), ensure_ascii=True).replace("A123", "\\u0041123")
    assert fast_read(escaped) is None
    assert load_dossier(escaped) == load_dossier(EXAMPLE)


def test_fast_path_builds_objects_by_their_slots_only_when_init_only_stores() -> None:
    """The fast path sets slots directly for plain frozen classes, and calls any other."""
    for spec in OBJECTS.values():
        assert _slot_setters(spec.cls) is not None, spec.name
    assert _slot_setters(Dossier) is not None

    @attrs.frozen
    class Checked:
        value: int = attrs.field(validator=attrs.validators.ge(0))

    @attrs.frozen
    class Hooked:
        value: int

        def __attrs_post_init__(self) -> None:
            pass

    @attrs.frozen(slots=False)
    class Unslotted:
        value: int

    for cls in (Checked, Hooked, Unslotted):
        assert _slot_setters(cls) is None, cls.__name__
    field = (Field("value", Number(0, 10, whole=True), required=True),)
    built = _builder(Checked, field, ())(attrs.make_class("S", ["value"])(3))
    assert built == Checked(3)
    with pytest.raises(ValueError, match="'value' must be >= 0"):  # its validator ran
        _builder(Checked, field, ())(attrs.make_class("S", ["value"])(-1))


def test_fast_path_objects_are_the_full_readers_in_every_slot() -> None:
    """Objects built by their slots compare, hash, print and pickle as the full reader's."""
    text = (EXAMPLES / "casp_national.json").read_bytes()
    fast, full = fast_read(text), _full(text)
    assert fast is not None
    assert fast == full and hash(fast) == hash(full) and repr(fast) == repr(full)
    assert pickle.loads(pickle.dumps(fast)) == full
    assert attrs.evolve(fast, track="national") == attrs.evolve(full, track="national")
