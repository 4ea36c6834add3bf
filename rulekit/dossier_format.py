"""The dossier format ``rulekit.dossier/1``, described once: every object, field and limit.

This table is the single description of the format. :mod:`rulekit.dossier_io` builds from it
both the full validator (every error with its JSON path) and the fast decoder (msgspec
structs, for valid input), and :func:`json_schema` builds the published
``rulekit/schemas/dossier.schema.json`` from it (a test checks the file is that output, and
that the schema and the validator accept and refuse the same generated dossiers).

Two rules span several fields: a ``passed`` or ``failed`` unit needs a ``date``
(:data:`DATED_WHEN_DECIDED`), and a period does not end before it starts
(:data:`PERIOD_ORDER`, which JSON Schema cannot express: the schema says it in words).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from attrs import frozen

from rulekit.declaration import Route
from rulekit.dossier import (
    DOSSIER_FORMAT,
    BlockResult,
    Experience,
    Internship,
    Learner,
    Result,
    UnitResult,
    Via,
    Waiver,
)

MAX_BYTES = 5 * 1024 * 1024
"""Largest dossier file accepted; a real dossier is a few kilobytes."""
MAX_ITEMS = 2000
"""Largest number of items in any list of a dossier."""
MAX_TEXT = 5000
"""Longest free text accepted (waiver reasons); identifiers are much shorter."""
MIN_YEAR, MAX_YEAR = 1900, 2199
"""The years a dossier date may have (a typo such as 0202 or 20222 is refused)."""

# Identifier patterns end with \Z, not $: in Python, $ also matches before a final newline,
# so "TET099\n" would pass (re module documentation, "$"). They hold only ASCII classes, so
# no other script's digits or letters match. The JSON Schema gets the same bodies in a form
# that means the same in ECMA-262 and in Python (:func:`schema_pattern`).
UNIT_CODE = re.compile(r"^[A-Z][A-Z0-9]{2,11}\Z")
BLOCK_CODE = re.compile(r"^RNCP[0-9]{1,6}BC[0-9]{2}\Z")
CERTIFICATION_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}\Z")
TRACK_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}\Z")
REQUIREMENT_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}\Z")

DATED_WHEN_DECIDED = "dated_when_decided"
"""Rule: an item whose ``result`` is passed or failed has a ``date``."""
PERIOD_ORDER = "period_order"
"""Rule: an item's ``end``, when given, is not before its ``start``."""
DECIDED = (Result.PASSED.value, Result.FAILED.value)


@frozen
class Text:
    """A non-blank string of at most ``limit`` characters, matching ``pattern`` if given."""

    limit: int = 200
    pattern: re.Pattern[str] | None = None
    what: str = ""
    """What a value matching ``pattern`` is, for the error message (e.g. a unit code)."""


@frozen
class Number:
    """A JSON number in ``[low, high]`` (``(low, high]`` when ``low_open``).

    ``whole``: a whole number (JSON integer), such as hours of presence.
    """

    low: float
    high: float
    low_open: bool = False
    whole: bool = False


MAX_HOURS = 10_000
"""Most hours of presence an internship may state: a guard against absurd input, far above
any lawful internship (six months per teaching year in one host, Code de l'éducation
L124-5, is 924 hours by art. D124-6)."""


@frozen
class Date:
    """A calendar date written ``YYYY-MM-DD``, year in ``MIN_YEAR..MAX_YEAR``."""


@frozen
class Boolean:
    """``true`` or ``false``."""


@frozen
class Choice:
    """One of the values of an enumeration."""

    enum: type[Result] | type[Via] | type[Route]

    @property
    def options(self) -> tuple[str, ...]:
        """The accepted values, in declaration order."""
        return tuple(member.value for member in self.enum)


@frozen
class Const:
    """Exactly this string (the format tag)."""

    value: str


@frozen
class Nested:
    """An object described by :data:`OBJECTS` under ``name``."""

    name: str


@frozen
class ListOf:
    """A list of at most :data:`MAX_ITEMS` objects described by :data:`OBJECTS` ``name``."""

    name: str


Kind = Text | Number | Date | Boolean | Choice | Const | Nested | ListOf

NO_DEFAULT: Any = None
"""Marker for a field whose absence means nothing but "absent" (no ``default`` in the schema)."""


@frozen
class Field:
    """One field of an object: its name, kind, and whether it may be left out or be null."""

    name: str
    kind: Kind
    required: bool = False
    nullable: bool = True
    default: object = NO_DEFAULT
    """The value an absent field takes, when it is not simply absent (``via``, ``fte``)."""
    description: str = ""


@frozen
class ObjectSpec:
    """One object of the format and the attrs class it is read into."""

    name: str
    cls: type
    fields: tuple[Field, ...]
    rules: tuple[str, ...] = ()

    def field(self, name: str) -> Field:
        """The field called ``name``."""
        return next(f for f in self.fields if f.name == name)


_RESULT = Choice(Result)
_DATE = Date()

OBJECTS: dict[str, ObjectSpec] = {
    spec.name: spec
    for spec in (
        ObjectSpec(
            "learner",
            Learner,
            (Field("id", Text(), required=True), Field("name", Text())),
        ),
        ObjectSpec(
            "unit",
            UnitResult,
            (
                Field("code", Text(12, UNIT_CODE, "a unit code (e.g. TET099)"), required=True),
                Field("result", _RESULT, required=True),
                Field("date", _DATE),
                Field("grade", Number(0, 20)),
                Field("ects", Number(0, 240, low_open=True)),
                Field("via", Choice(Via), nullable=False, default=Via.EXAM.value),
                Field("reference", Text()),
            ),
            (DATED_WHEN_DECIDED,),
        ),
        ObjectSpec(
            "block",
            BlockResult,
            (
                Field(
                    "code",
                    Text(16, BLOCK_CODE, "a bloc code (e.g. RNCP12976BC01)"),
                    required=True,
                ),
                Field("result", _RESULT, required=True),
                Field("date", _DATE, required=True),
            ),
        ),
        ObjectSpec(
            "experience",
            Experience,
            (
                Field("start", _DATE, required=True),
                Field("end", _DATE),
                Field("fte", Number(0, 1, low_open=True), nullable=False, default=1),
                Field("in_field", Boolean(), required=True),
                Field("employer", Text()),
                Field("role", Text()),
            ),
            (PERIOD_ORDER,),
        ),
        ObjectSpec(
            "internship",
            Internship,
            (
                Field("start", _DATE, required=True),
                Field("end", _DATE),
                Field("in_field", Boolean(), required=True),
                Field("host", Text()),
                Field(
                    "hours",
                    Number(0, MAX_HOURS, whole=True),
                    description="Hours of effective presence the internship attestation states "
                    "(Code de l'éducation L124-1, D124-6): 7 hours make a day, 22 days a month.",
                ),
            ),
            (PERIOD_ORDER,),
        ),
        ObjectSpec(
            "waiver",
            Waiver,
            (
                Field("requirement", Text(64, REQUIREMENT_ID, "a requirement id"), required=True),
                Field("granted_by", Text(), required=True),
                Field("date", _DATE, required=True),
                Field("reason", Text(MAX_TEXT), required=True),
            ),
        ),
    )
}
"""Every object inside a dossier, by name."""

LISTS: dict[str, str] = {
    "units": "unit",
    "blocks": "block",
    "experience": "experience",
    "internships": "internship",
    "waivers": "waiver",
}
"""The dossier's lists and the object each holds."""

DOSSIER_FIELDS: tuple[Field, ...] = (
    Field("format", Const(DOSSIER_FORMAT), required=True),
    Field("learner", Nested("learner"), required=True),
    Field(
        "certification",
        Text(64, CERTIFICATION_ID, "a certification id (e.g. casp_36625)"),
        description="Certification id; the --certification option overrides it.",
    ),
    Field(
        "track",
        Text(64, TRACK_ID, "a track id (e.g. national)"),
        description="Evaluate this track only; absent: every track, best reported.",
    ),
    Field("enrolled_on", _DATE),
    Field(
        "route",
        Choice(Route),
        description="The route of access the learner takes to the title (voie d'accès, as "
        "RNCP fiches list them); checked against the routes the certification declares.",
    ),
    *(Field(key, ListOf(item), nullable=False) for key, item in LISTS.items()),
)
"""The fields of the dossier itself."""

WHITESPACE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
r"""Regex class body of exactly the characters Python's ``str.isspace`` accepts, which the
reader strips to tell blank text. Written out because ``\s`` differs between Python and
ECMA-262 (U+001C..U+001F, U+0085, U+FEFF), and the schema must refuse what the reader does."""

_DATE_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2})-[0-9]{2}-[0-9]{2}$(?!\n)"
"""Years MIN_YEAR..MAX_YEAR (a test checks the two agree), ASCII digits, nothing after."""
_NOT_BLANK = f"[^{WHITESPACE}]"


def schema_pattern(pattern: re.Pattern[str]) -> str:
    r"""``pattern`` (anchored by ``^`` and ``\Z``) as a JSON Schema pattern.

    JSON Schema patterns are ECMA-262 regexes, which lack ``\Z``; their ``$`` is the end of
    the text, but Python's (which Python validators use) also matches before a final
    newline. ``$(?!\n)`` is the end of the text in both.
    """
    body = pattern.pattern
    if not (body.startswith("^") and body.endswith(r"\Z")):
        raise ValueError(f"pattern {body!r} must be anchored by ^ and \\Z")
    return body[:-2] + r"$(?!\n)"


_DESCRIPTION = (
    "A learner's dossier submitted to rulekit. Every list defaults to empty. Beyond this "
    "schema, rulekit checks that a period does not end before it starts, and that a waiver "
    "names a requirement of the certification."
)


def _text_schema(kind: Text) -> dict[str, Any]:
    pattern = schema_pattern(kind.pattern) if kind.pattern is not None else _NOT_BLANK
    return {"type": "string", "minLength": 1, "maxLength": kind.limit, "pattern": pattern}


def _number_schema(kind: Number) -> dict[str, Any]:
    low = "exclusiveMinimum" if kind.low_open else "minimum"
    if kind.whole:
        return {"type": "integer", low: int(kind.low), "maximum": int(kind.high)}
    return {"type": "number", low: kind.low, "maximum": kind.high}


_KIND_SCHEMAS: dict[type, Callable[[Any], dict[str, Any]]] = {
    Text: _text_schema,
    Number: _number_schema,
    Date: lambda _: {"type": "string", "pattern": _DATE_PATTERN, "format": "date"},
    Boolean: lambda _: {"type": "boolean"},
    Choice: lambda kind: {"enum": list(kind.options)},
    Const: lambda kind: {"const": kind.value},
    Nested: lambda kind: {"$ref": f"#/$defs/{kind.name}"},
    ListOf: lambda kind: {
        "type": "array",
        "maxItems": MAX_ITEMS,
        "items": {"$ref": f"#/$defs/{kind.name}"},
    },
}


def _kind_schema(kind: Kind) -> dict[str, Any]:
    return _KIND_SCHEMAS[type(kind)](kind)


def _field_schema(field: Field) -> dict[str, Any]:
    schema = _kind_schema(field.kind)
    if field.description:
        schema["description"] = field.description
    if not field.required and field.nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    if field.default is not NO_DEFAULT:
        schema["default"] = field.default
    return schema


def _object_schema(fields: tuple[Field, ...], rules: tuple[str, ...] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: _field_schema(f) for f in fields},
    }
    if DATED_WHEN_DECIDED in rules:
        schema["if"] = {
            "properties": {"result": {"enum": list(DECIDED)}},
            "required": ["result"],
        }
        schema["then"] = {"required": ["date"], "properties": {"date": {"type": "string"}}}
    return schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of the format, as published in ``schemas/``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://rulekit.invalid/schemas/dossier.schema.json",
        "title": DOSSIER_FORMAT,
        "description": _DESCRIPTION,
        **_object_schema(DOSSIER_FIELDS),
        "$defs": {name: _object_schema(s.fields, s.rules) for name, s in OBJECTS.items()},
    }


if __name__ == "__main__":  # python -m rulekit.dossier_format > rulekit/schemas/dossier.schema.json
    import json

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
