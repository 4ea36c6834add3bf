"""Reading dossiers: JSON text -> validated :class:`~rulekit.dossier.Dossier`.

Validation reports every problem at once, each with its JSON path, and the dossier is
only structured (by the cattrs converter) once it is known to be valid: bad input gives
errors, never a decision and never a traceback. Limits guard against huge or hostile
files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from rulekit.calendar import parse_iso_date
from rulekit.codec import CONVERTER
from rulekit.dossier import DOSSIER_FORMAT, Dossier, Result, Via
from rulekit.errors import DossierError, InputError

MAX_BYTES = 5 * 1024 * 1024
"""Largest dossier file accepted; a real dossier is a few kilobytes."""
MAX_ITEMS = 2000
"""Largest number of items in any list of a dossier."""
MAX_TEXT = 5000
"""Longest free text accepted (waiver reasons); identifiers are much shorter."""

UNIT_CODE = re.compile(r"^[A-Z][A-Z0-9]{2,11}$")
BLOCK_CODE = re.compile(r"^RNCP[0-9]{1,6}BC[0-9]{2}$")
CERTIFICATION_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
TRACK_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
REQUIREMENT_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

_RESULTS = tuple(member.value for member in Result)
_VIAS = tuple(member.value for member in Via)

Check = Callable[[Any, str, list[InputError]], None]


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _text(limit: int = 200, pattern: re.Pattern[str] | None = None, what: str = "") -> Check:
    def check(value: Any, path: str, errors: list[InputError]) -> None:
        if not isinstance(value, str):
            errors.append(InputError(path, f"expected a string, got {_type_name(value)}"))
        elif not value.strip():
            errors.append(InputError(path, "must not be empty"))
        elif len(value) > limit:
            errors.append(InputError(path, f"longer than {limit} characters"))
        elif pattern is not None and not pattern.match(value):
            errors.append(InputError(path, f"{value!r} is not {what}"))

    return check


def _choice(options: tuple[str, ...]) -> Check:
    def check(value: Any, path: str, errors: list[InputError]) -> None:
        if not isinstance(value, str) or value not in options:
            shown = repr(value) if isinstance(value, str) else _type_name(value)
            errors.append(InputError(path, f"{shown} is not one of {', '.join(options)}"))

    return check


def _date(value: Any, path: str, errors: list[InputError]) -> None:
    if not isinstance(value, str):
        errors.append(InputError(path, f"expected a date YYYY-MM-DD, got {_type_name(value)}"))
        return
    try:
        parse_iso_date(value)
    except ValueError as exc:
        errors.append(InputError(path, str(exc)))


def _boolean(value: Any, path: str, errors: list[InputError]) -> None:
    if not isinstance(value, bool):
        errors.append(InputError(path, f"expected true or false, got {_type_name(value)}"))


def _number(low: float, high: float, low_open: bool = False) -> Check:
    def check(value: Any, path: str, errors: list[InputError]) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors.append(InputError(path, f"expected a number, got {_type_name(value)}"))
        elif (value <= low if low_open else value < low) or value > high:
            bracket = "(" if low_open else "["
            errors.append(InputError(path, f"{value!r} is outside {bracket}{low:g}, {high:g}]"))

    return check


def _integer(low: int, high: int) -> Check:
    def check(value: Any, path: str, errors: list[InputError]) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            got = "a decimal number" if isinstance(value, float) else _type_name(value)
            errors.append(InputError(path, f"expected a whole number, got {got}"))
        elif not low <= value <= high:
            errors.append(InputError(path, f"{value!r} is outside [{low}, {high}]"))

    return check


MAX_HOURS = 10_000
"""Most hours of presence an internship may state: a guard against absurd input, far above
any lawful internship (six months per teaching year in one host, Code de l'éducation
L124-5, is 924 hours by art. D124-6)."""


class _Field:
    __slots__ = ("check", "nullable", "required")

    def __init__(self, check: Check, *, required: bool = False, nullable: bool = True) -> None:
        self.check = check
        self.required = required
        self.nullable = nullable


def _object(value: Any, path: str, fields: Mapping[str, _Field], errors: list[InputError]) -> bool:
    """Check an object against its fields; return whether it was an object at all."""
    if not isinstance(value, dict):
        errors.append(InputError(path or "$", f"expected an object, got {_type_name(value)}"))
        return False
    prefix = f"{path}." if path else ""
    for key in sorted(value):
        if key not in fields:
            errors.append(InputError(f"{prefix}{key}", "unknown field"))
    for key, spec in fields.items():
        where = f"{prefix}{key}"
        if key not in value:
            if spec.required:
                errors.append(InputError(where, "required field is missing"))
            continue
        item = value[key]
        if item is None:
            if spec.required or not spec.nullable:
                errors.append(InputError(where, "must not be null"))
            continue
        spec.check(item, where, errors)
    return True


def _period_order(item: dict[str, Any], path: str, errors: list[InputError]) -> None:
    start, end = item.get("start"), item.get("end")
    if not (isinstance(start, str) and isinstance(end, str)):
        return
    try:
        first, last = parse_iso_date(start), parse_iso_date(end)
    except ValueError:
        return  # already reported by the field check
    if last < first:
        errors.append(InputError(f"{path}.end", f"{end} is before start {start}"))


def _unit_date(item: dict[str, Any], path: str, errors: list[InputError]) -> None:
    if item.get("date") is None and item.get("result") in ("passed", "failed"):
        errors.append(InputError(f"{path}.date", f"required when result is {item['result']}"))


_UNIT = {
    "code": _Field(_text(12, UNIT_CODE, "a unit code (e.g. TET099)"), required=True),
    "result": _Field(_choice(_RESULTS), required=True),
    "date": _Field(_date),
    "grade": _Field(_number(0, 20)),
    "ects": _Field(_number(0, 240, low_open=True)),
    "via": _Field(_choice(_VIAS), nullable=False),
    "reference": _Field(_text()),
}
_BLOCK = {
    "code": _Field(_text(16, BLOCK_CODE, "a bloc code (e.g. RNCP12976BC01)"), required=True),
    "result": _Field(_choice(_RESULTS), required=True),
    "date": _Field(_date, required=True),
}
_EXPERIENCE = {
    "start": _Field(_date, required=True),
    "end": _Field(_date),
    "fte": _Field(_number(0, 1, low_open=True), nullable=False),
    "in_field": _Field(_boolean, required=True),
    "employer": _Field(_text()),
    "role": _Field(_text()),
}
_INTERNSHIP = {
    "start": _Field(_date, required=True),
    "end": _Field(_date),
    "in_field": _Field(_boolean, required=True),
    "host": _Field(_text()),
    "hours": _Field(_integer(0, MAX_HOURS)),
}
_WAIVER = {
    "requirement": _Field(_text(64, REQUIREMENT_ID, "a requirement id"), required=True),
    "granted_by": _Field(_text(), required=True),
    "date": _Field(_date, required=True),
    "reason": _Field(_text(MAX_TEXT), required=True),
}
_LEARNER = {"id": _Field(_text(), required=True), "name": _Field(_text())}

_Extra = Callable[[dict[str, Any], str, list[InputError]], None]
_LISTS: dict[str, tuple[dict[str, _Field], tuple[_Extra, ...]]] = {
    "units": (_UNIT, (_unit_date,)),
    "blocks": (_BLOCK, ()),
    "experience": (_EXPERIENCE, (_period_order,)),
    "internships": (_INTERNSHIP, (_period_order,)),
    "waivers": (_WAIVER, ()),
}


def _list_of(key: str) -> Check:
    fields, extras = _LISTS[key]

    def check(value: Any, path: str, errors: list[InputError]) -> None:
        if not isinstance(value, list):
            errors.append(InputError(path, f"expected a list, got {_type_name(value)}"))
            return
        if len(value) > MAX_ITEMS:
            errors.append(InputError(path, f"more than {MAX_ITEMS} items"))
            return
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            if _object(item, where, fields, errors):
                for extra in extras:
                    extra(item, where, errors)

    return check


def _format(value: Any, path: str, errors: list[InputError]) -> None:
    if value != DOSSIER_FORMAT:
        shown = repr(value) if isinstance(value, str) else _type_name(value)
        errors.append(
            InputError(path, f"{shown} is not a supported format; expected {DOSSIER_FORMAT}")
        )


def _learner(value: Any, path: str, errors: list[InputError]) -> None:
    _object(value, path, _LEARNER, errors)


_DOSSIER = {
    "format": _Field(_format, required=True),
    "learner": _Field(_learner, required=True),
    "certification": _Field(_text(64, CERTIFICATION_ID, "a certification id (e.g. casp_36625)")),
    "track": _Field(_text(64, TRACK_ID, "a track id (e.g. national)")),
    "enrolled_on": _Field(_date),
    **{key: _Field(_list_of(key), nullable=False) for key in _LISTS},
}


def validate(value: Any) -> list[InputError]:
    """Return every problem of a parsed JSON dossier (empty when it is valid)."""
    errors: list[InputError] = []
    _object(value, "", _DOSSIER, errors)
    return errors


def dossier_from_dict(value: Any) -> Dossier:
    """Validate a parsed JSON dossier and return it as objects.

    :raises DossierError: listing every problem, when the dossier is not valid.
    """
    errors = validate(value)
    if errors:
        raise DossierError(errors)
    return CONVERTER.structure(value, Dossier)


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, item in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = item
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(data: str | bytes, *, what: str = "dossier", limit: int = MAX_BYTES) -> Any:
    """Parse JSON text strictly: UTF-8, no duplicate keys, no NaN, bounded size and depth.

    :raises DossierError: with a single error at path ``$`` saying what is wrong.
    """
    if len(data) > limit:
        raise DossierError([InputError("$", f"{what} is larger than {limit} bytes")])
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DossierError(
                [InputError("$", f"{what} is not UTF-8 text ({exc.reason})")]
            ) from None
    try:
        return json.loads(
            data, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise DossierError([InputError("$", message)]) from None
    except ValueError as exc:
        raise DossierError([InputError("$", f"not valid JSON: {exc}")]) from None
    except RecursionError:
        raise DossierError([InputError("$", f"{what} is nested too deeply")]) from None


def load_dossier(data: str | bytes) -> Dossier:
    """Parse and validate a dossier from JSON text.

    :raises DossierError: listing every problem found.
    """
    return dossier_from_dict(parse_json(data))


def read_dossier_bytes(path: Path) -> bytes:
    """Read a dossier file's bytes, as given (what a decision log keeps).

    :raises DossierError: when the file cannot be read or is too large.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DossierError([InputError("$", f"{path} is larger than {MAX_BYTES} bytes")])
        return path.read_bytes()
    except OSError as exc:
        raise DossierError([InputError("$", f"cannot read {path}: {exc.strerror}")]) from None


def read_dossier(path: Path) -> Dossier:
    """Read, parse and validate a dossier file.

    :raises DossierError: when the file cannot be read or the dossier is not valid.
    """
    return load_dossier(read_dossier_bytes(path))


def as_date(value: str | date) -> date:
    """Return ``value`` as a date, parsing ``YYYY-MM-DD`` text (for the as-of option)."""
    return value if isinstance(value, date) else parse_iso_date(value)
