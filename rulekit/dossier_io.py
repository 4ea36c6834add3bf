"""Reading dossiers: JSON text or parsed JSON -> :class:`~rulekit.dossier.Dossier`.

Both readers are built from the one description of the format, :mod:`rulekit.dossier_format`:

- the **fast path** (:func:`fast_read`): msgspec decodes the bytes into structs that carry
  every constraint of the format (patterns, lengths, ranges, values, unknown fields
  refused), the few rules msgspec cannot express are checked while the structs become the
  attrs objects. It answers only for valid input, and only when it can prove it read the
  same document the full reader would: text holding a backslash escape is left to the full
  reader, and a duplicate key (which msgspec would take silently) is detected by counting
  the keys;
- the **full reader** (:func:`dossier_from_dict`, after :func:`parse_json`): checks every
  field and reports every problem at once, each with its JSON path, and builds the dossier
  in the same pass when there is none, each date parsed once.

:func:`load_dossier` tries the first and falls back to the second, so valid input is read
quickly and invalid input still gets every error. Limits guard against huge or hostile
files.
"""

from __future__ import annotations

import json
import math
import operator
import re
import types
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, BinaryIO, Literal, overload

import attrs
import msgspec

from rulekit.calendar import parse_iso_date
from rulekit.dossier import Dossier, Result
from rulekit.dossier_format import (
    BLOCK_CODE,
    CERTIFICATION_ID,
    DATED_WHEN_DECIDED,
    DECIDED,
    DOSSIER_FIELDS,
    LISTS,
    MAX_BYTES,
    MAX_ITEMS,
    MAX_TEXT,
    MAX_YEAR,
    MIN_YEAR,
    OBJECTS,
    PERIOD_ORDER,
    REQUIREMENT_ID,
    TRACK_ID,
    UNIT_CODE,
    Boolean,
    Choice,
    Const,
    Date,
    Field,
    Kind,
    ListOf,
    Nested,
    Number,
    Text,
)
from rulekit.errors import MAX_ERRORS, DossierError, InputError

__all__ = [
    "BLOCK_CODE",
    "CERTIFICATION_ID",
    "MAX_BYTES",
    "MAX_ITEMS",
    "MAX_TEXT",
    "REQUIREMENT_ID",
    "TRACK_ID",
    "UNIT_CODE",
    "as_date",
    "dossier_from_dict",
    "fast_read",
    "load_dossier",
    "parse_json",
    "read_dossier",
    "read_dossier_bytes",
    "validate",
]

_BAD: Any = object()
"""What a field check returns for a value it reported as wrong."""


class Errors:
    """The problems found so far: the first :data:`~rulekit.errors.MAX_ERRORS` kept, all counted.

    A body of a million unknown keys costs a counter, not a million error objects. ``len``
    is the count found, so that a reader can tell whether a part added any.
    """

    __slots__ = ("count", "kept")

    def __init__(self) -> None:
        self.kept: list[InputError] = []
        self.count = 0

    def append(self, error: InputError) -> None:
        """Count ``error``; keep it if fewer than the limit are kept."""
        self.count += 1
        if len(self.kept) < MAX_ERRORS:
            self.kept.append(error)

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[InputError]:
        return iter(self.kept)

    def error(self) -> DossierError:
        """The :class:`DossierError` listing these problems (and how many were left out)."""
        return DossierError(self.kept, more=self.count - len(self.kept))


Check = Callable[[Any, str, Errors], Any]
"""A field check: the value read (dates parsed, enums looked up), or :data:`_BAD`."""

SHOWN = 40
"""Longest part of a wrong value quoted in an error message: the path says where it is."""
_SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate: what a JSON escape such as \\ud800 gives when no pair follows. It is no
Unicode character and cannot be written as UTF-8 (RFC 8259 section 8.2; RFC 7493 section
2.1 forbids it), so no text field may hold one."""
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_]{1,64}\Z")


_JSON_TYPES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (type(None), "null"),
    (bool, "a boolean"),
    ((int, float), "a number"),
    (str, "a string"),
    (list, "a list"),
    (Mapping, "an object"),
)


def _type_name(value: Any) -> str:
    for kind, name in _JSON_TYPES:
        if isinstance(value, kind):
            return name
    return f"a Python {type(value).__name__}, not a JSON value"


def _shown(value: Any) -> str:
    """``value`` quoted for an error message, at most about :data:`SHOWN` characters.

    Lone surrogates and control characters come out escaped (``repr``), so the message is
    printable whatever the value; an integer too long for ``repr`` is described.
    """
    if isinstance(value, str):
        return repr(value[:SHOWN]) + ("..." if len(value) > SHOWN else "")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"a number of about {int(value.bit_length() * 0.30103)} digits"
    text = repr(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "..."


def member_path(path: str, key: Any) -> str:
    """The JSON path of member ``key`` of the object at ``path`` (``""`` for the dossier).

    A key that is not a plain name is written ``["..."]`` in JSON escapes, so that a path
    is always one printable line, whatever a hostile key holds.
    """
    if isinstance(key, str) and _PLAIN_KEY.match(key):
        return f"{path}.{key}" if path else key
    quoted = json.dumps(key[:SHOWN] if isinstance(key, str) else _shown(key))
    return f"{path}[{quoted}]"


# -- the full reader: every error with its path ---------------------------------------------


def _text_check(kind: Text) -> Check:
    limit, pattern, what = kind.limit, kind.pattern, kind.what

    def check(value: Any, path: str, errors: Errors) -> Any:
        if not isinstance(value, str):
            errors.append(InputError(path, f"expected a string, got {_type_name(value)}"))
        elif len(value) > limit:
            errors.append(InputError(path, f"longer than {limit} characters"))
        elif not value.strip():
            errors.append(InputError(path, "must not be empty"))
        elif _SURROGATE.search(value):
            errors.append(InputError(path, f"{_shown(value)} holds a lone surrogate, not text"))
        elif pattern is not None and not pattern.match(value):
            errors.append(InputError(path, f"{_shown(value)} is not {what}"))
        else:
            return value
        return _BAD

    return check


def _choice_check(kind: Choice) -> Check:
    options, enum = kind.options, kind.enum

    def check(value: Any, path: str, errors: Errors) -> Any:
        if isinstance(value, str) and value in options:
            return enum(value)
        shown = _shown(value) if isinstance(value, str) else _type_name(value)
        errors.append(InputError(path, f"{shown} is not one of {', '.join(options)}"))
        return _BAD

    return check


def _date_check(value: Any, path: str, errors: Errors) -> Any:
    if not isinstance(value, str):
        errors.append(InputError(path, f"expected a date YYYY-MM-DD, got {_type_name(value)}"))
        return _BAD
    if len(value) != len("YYYY-MM-DD"):
        errors.append(InputError(path, f"{_shown(value)} is not a date of the form YYYY-MM-DD"))
        return _BAD
    try:
        return parse_iso_date(value)
    except ValueError as exc:
        errors.append(InputError(path, str(exc)))
        return _BAD


def _boolean_check(value: Any, path: str, errors: Errors) -> Any:
    if isinstance(value, bool):
        return value
    errors.append(InputError(path, f"expected true or false, got {_type_name(value)}"))
    return _BAD


def _number_check(kind: Number) -> Check:
    low, high, low_open = kind.low, kind.high, kind.low_open

    def check(value: Any, path: str, errors: Errors) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            expected = "a whole number" if kind.whole else "a number"
            errors.append(InputError(path, f"expected {expected}, got {_type_name(value)}"))
        elif kind.whole and not (isinstance(value, int) or value.is_integer()):
            # 5.0 is a whole number in JSON (RFC 8259 section 6; JSON Schema "integer").
            errors.append(InputError(path, "expected a whole number, got a decimal number"))
        elif not ((value > low if low_open else value >= low) and value <= high):  # NaN too
            bracket = "(" if low_open else "["
            huge = isinstance(value, float) and math.isinf(value)
            shown = "a number this large" if huge else _shown(value)
            errors.append(InputError(path, f"{shown} is outside {bracket}{low:g}, {high:g}]"))
        else:
            return int(value) if kind.whole else float(value)
        return _BAD

    return check


def _const_check(kind: Const) -> Check:
    expected = kind.value

    def check(value: Any, path: str, errors: Errors) -> Any:
        if isinstance(value, str) and value == expected:
            return value
        shown = _shown(value) if isinstance(value, str) else _type_name(value)
        errors.append(InputError(path, f"{shown} is not a supported format; expected {expected}"))
        return _BAD

    return check


class _Reader:
    """The full reader of one kind of object, built from its description."""

    def __init__(self, fields: tuple[Field, ...], cls: type, rules: tuple[str, ...] = ()) -> None:
        self.fields = fields
        self.names = frozenset(f.name for f in fields)
        self.cls = cls
        self.rules = rules
        self.checks: dict[str, Check] = {}

    def read(self, value: Any, path: str, errors: Errors) -> Any:
        """Check ``value`` at ``path``; return the object built, or :data:`_BAD`."""
        if not isinstance(value, Mapping):
            errors.append(InputError(path or "$", f"expected an object, got {_type_name(value)}"))
            return _BAD
        before = len(errors)
        prefix = f"{path}." if path else ""
        strange = [key for key in value if not isinstance(key, str)]
        if strange:  # only from the Python API: JSON keys are strings
            shown = ", ".join(_shown(key) for key in strange[:3])
            errors.append(InputError(path or "$", f"keys must be strings, not {shown}"))
        for key in sorted(key for key in value if isinstance(key, str)):
            if key not in self.names:
                errors.append(InputError(member_path(path, key), "unknown field"))
        read: dict[str, Any] = {}
        for spec in self.fields:
            key = spec.name
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
            read[key] = self.checks[key](item, where, errors)
        self._rules(value, read, prefix, errors)
        if len(errors) > before:
            return _BAD
        return self.cls(**read)

    def _rules(
        self, value: Mapping[Any, Any], read: dict[str, Any], prefix: str, errors: Errors
    ) -> None:
        """The rules spanning several fields of the object (see rulekit.dossier_format)."""
        if DATED_WHEN_DECIDED in self.rules and value.get("date") is None:
            decided = value.get("result")
            if decided in DECIDED:
                errors.append(InputError(f"{prefix}date", f"required when result is {decided}"))
        if PERIOD_ORDER in self.rules:
            start, end = read.get("start", _BAD), read.get("end", _BAD)
            if start is not _BAD and end is not _BAD and end < start:
                errors.append(
                    InputError(f"{prefix}end", f"{value['end']} is before start {value['start']}")
                )


def _list_check(reader: _Reader) -> Check:
    def check(value: Any, path: str, errors: Errors) -> Any:
        if not isinstance(value, list):
            errors.append(InputError(path, f"expected a list, got {_type_name(value)}"))
            return _BAD
        if len(value) > MAX_ITEMS:
            errors.append(InputError(path, f"more than {MAX_ITEMS} items"))
            return _BAD
        return tuple(
            reader.read(item, f"{path}[{index}]", errors) for index, item in enumerate(value)
        )

    return check


_READERS: dict[str, _Reader] = {
    name: _Reader(spec.fields, spec.cls, spec.rules) for name, spec in OBJECTS.items()
}
_DOSSIER = _Reader(DOSSIER_FIELDS, Dossier)


_CHECKS: dict[type, Callable[[Any], Check]] = {
    Text: _text_check,
    Number: _number_check,
    Date: lambda _: _date_check,
    Boolean: lambda _: _boolean_check,
    Choice: _choice_check,
    Const: _const_check,
    Nested: lambda kind: _READERS[kind.name].read,
    ListOf: lambda kind: _list_check(_READERS[kind.name]),
}


def _check_of(kind: Kind) -> Check:
    return _CHECKS[type(kind)](kind)


for _reader in (*_READERS.values(), _DOSSIER):
    _reader.checks = {f.name: _check_of(f.kind) for f in _reader.fields}


def _read(value: Any) -> tuple[Dossier | None, Errors]:
    errors = Errors()
    try:
        dossier = _DOSSIER.read(value, "", errors)
    except RecursionError:  # a Python mapping nested in itself, or nearly so
        errors.append(InputError("$", "dossier is nested too deeply"))
    return (None if errors else dossier), errors


def validate(value: Any) -> list[InputError]:
    """Return the problems of a parsed JSON dossier (empty when it is valid).

    At most :data:`~rulekit.errors.MAX_ERRORS` are listed, then one saying how many more.
    """
    errors = _read(value)[1]
    return list(errors.error().errors) if errors else []


def dossier_from_dict(value: Any) -> Dossier:
    """Check a parsed JSON dossier and return it as objects, in one pass.

    :raises DossierError: listing every problem, when the dossier is not valid.
    """
    dossier, errors = _read(value)
    if dossier is None:
        raise errors.error()
    return dossier


# -- the fast path: msgspec structs built from the same description --------------------------


def _number_type(kind: Number) -> Any:
    if kind.whole:
        return Annotated[int, msgspec.Meta(ge=int(kind.low), le=int(kind.high))]
    if kind.low_open:
        return Annotated[float, msgspec.Meta(gt=kind.low, le=kind.high)]
    return Annotated[float, msgspec.Meta(ge=kind.low, le=kind.high)]


_STRUCT_TYPES: dict[type, Callable[[Any], Any]] = {
    # Patterns are checked afterwards, one regex call for all the values of a field.
    Text: lambda kind: Annotated[str, msgspec.Meta(min_length=1, max_length=kind.limit)],
    Number: _number_type,
    Date: lambda _: date,
    Boolean: lambda _: bool,
    Choice: lambda kind: kind.enum,
    Const: lambda kind: Literal[kind.value],
    Nested: lambda kind: _STRUCTS[kind.name],
    ListOf: lambda kind: Annotated[
        tuple[_STRUCTS[kind.name], ...],  # type: ignore[valid-type,name-defined]
        msgspec.Meta(max_length=MAX_ITEMS),
    ],
}


def _struct_type(kind: Kind) -> Any:
    return _STRUCT_TYPES[type(kind)](kind)


def _struct(name: str, fields: tuple[Field, ...]) -> type[msgspec.Struct]:
    """A struct with every constraint of ``fields``; optional fields default to UNSET.

    UNSET (not ``None``) marks a field left out, so that encoding the struct again gives
    exactly one key per key read: that is how a duplicate key is noticed. The structs live
    only while a dossier is read and hold strings, numbers, dates, enums and tuples of
    structs, never a cycle: they are left out of the garbage collector (msgspec's
    ``gc=False``), which then neither tracks them nor counts them towards a collection.
    """
    members: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    for spec in fields:
        kind = _struct_type(spec.kind)
        if spec.required:
            members.append((spec.name, kind))
        elif spec.nullable:
            members.append((spec.name, kind | None | msgspec.UnsetType, msgspec.UNSET))
        else:
            members.append((spec.name, kind | msgspec.UnsetType, msgspec.UNSET))
    return msgspec.defstruct(name, members, kw_only=True, forbid_unknown_fields=True, gc=False)


_STRUCTS: dict[str, type[msgspec.Struct]] = {}
for _name, _spec in OBJECTS.items():
    _STRUCTS[_name] = _struct(_name, _spec.fields)
_DOSSIER_STRUCT = _struct("dossier", DOSSIER_FIELDS)
_DECODER = msgspec.json.Decoder(_DOSSIER_STRUCT)
_ENCODER = msgspec.json.Encoder()
_UNSET = msgspec.UNSET


class _NotFast(Exception):
    """A rule the structs do not check fails: the full reader will say which and where."""


def _slot_setters(cls: type) -> dict[str, Callable[[Any, Any], None]] | None:
    """The ``__set__`` of each field's slot of ``cls``, when building it needs no ``__init__``.

    That is when the class is a slotted attrs class whose slots are its fields (and
    ``__weakref__``) and whose ``__init__`` does nothing but store the arguments: no
    validator, converter, ``on_setattr``, pre- or post-init hook, nor cached hash. Setting
    each slot through its member descriptor then gives the very object ``__init__`` gives
    (attrs itself stores the fields through ``object.__setattr__``), for about two thirds of
    its instructions. ``None`` otherwise: the builder calls the class.
    """
    fields = attrs.fields(cls)
    slots = set(getattr(cls, "__slots__", ())) - {"__weakref__"}
    plain = all(
        f.validator is None and f.converter is None and f.on_setattr is None for f in fields
    )
    hooks = any(hasattr(cls, h) for h in ("__attrs_pre_init__", "__attrs_post_init__"))
    descriptors = {f.name: cls.__dict__.get(f.name) for f in fields}
    if (
        not plain
        or hooks
        or slots != set(descriptors)
        or not all(isinstance(d, types.MemberDescriptorType) for d in descriptors.values())
    ):
        return None
    return {name: d.__set__ for name, d in descriptors.items()}  # type: ignore[union-attr]


def _builder(cls: type, fields: tuple[Field, ...], rules: tuple[str, ...]) -> Callable[[Any], Any]:
    """Struct -> attrs object for one kind of object, checking years and the rules inline.

    The function is generated from the object's description (as attrs generates
    ``__init__``): each field read from the struct, UNSET replaced by the attrs default,
    a nested object or list built by its own builder, then the object made by setting its
    slots (:func:`_slot_setters`), or by calling the class; no loop and no keyword
    dictionary per object.
    """
    env: dict[str, Any] = {
        "UNSET": _UNSET,
        "cls": cls,
        "new": object.__new__,
        "NotFast": _NotFast,
        "LOW": MIN_YEAR,
        "HIGH": MAX_YEAR,
        "DECIDED": (Result.PASSED, Result.FAILED),
    }
    by_name = {f.name: f for f in fields}
    lines = ["def build(s):"]
    names = []
    for attribute in attrs.fields(cls):
        name = attribute.name
        field = by_name[name]
        kind = field.kind
        var = f"v_{name}"
        names.append(name)
        lines.append(f"    {var} = s.{name}")
        if isinstance(kind, ListOf):
            env[f"build_{name}"] = _BUILDERS[kind.name]
            if attribute.default != ():
                raise ValueError(f"{name}: a list field must default to ()")
            # UNSET and () are false: both give the default, ().
            lines.append(f"    {var} = tuple(map(build_{name}, {var})) if {var} else ()")
            continue
        if not field.required:
            if field.nullable and attribute.default is not None:
                raise ValueError(f"{name}: a nullable field must default to None")
            env[f"D_{name}"] = attribute.default
            lines.append(f"    if {var} is UNSET: {var} = D_{name}")
        if isinstance(kind, Nested):
            env[f"build_{name}"] = _BUILDERS[kind.name]
            given = "" if field.required else f"if {var} is not None: "
            lines.append(f"    {given}{var} = build_{name}({var})")
        if isinstance(kind, Date):
            given = "" if field.required else f"{var} is not None and "
            lines.append(f"    if {given}not LOW <= {var}.year <= HIGH: raise NotFast")
    if DATED_WHEN_DECIDED in rules:
        lines.append("    if v_date is None and v_result in DECIDED: raise NotFast")
    if PERIOD_ORDER in rules:
        lines.append("    if v_end is not None and v_end < v_start: raise NotFast")
    setters = _slot_setters(cls)
    if setters is None:
        lines.append(f"    return cls({', '.join(f'{n}=v_{n}' for n in names)})")
    else:
        lines.append("    o = new(cls)")
        for name in names:
            env[f"set_{name}"] = setters[name]
            lines.append(f"    set_{name}(o, v_{name})")
        lines.append("    return o")
    exec("\n".join(lines), env)
    build: Callable[[Any], Any] = env["build"]
    return build


_BUILDERS: dict[str, Callable[[Any], Any]] = {}
"""The builder of each object of the format, by name (:data:`OBJECTS`)."""
for _name, _spec in OBJECTS.items():
    _BUILDERS[_name] = _builder(_spec.cls, _spec.fields, _spec.rules)
_build_dossier: Callable[[Any], Dossier] = _builder(Dossier, DOSSIER_FIELDS, ())


Values = list[Any]


def _pattern_check(pattern: re.Pattern[str]) -> Callable[[Values], bool]:
    """Whether every value matches ``pattern``, in one regex call for all of them.

    The values are joined by newlines, which none holds on the fast path (a JSON string
    cannot hold a raw control character, and text with escapes takes the full reader).
    """
    body = pattern.pattern
    if not (body.startswith("^") and body.endswith("\\Z")):
        raise ValueError(f"pattern {body!r} must be anchored by ^ and \\Z")
    body = body[1:-2]
    joined = re.compile(f"(?:{body})(?:\\n(?:{body}))*\\Z")
    return lambda values: joined.match("\n".join(values)) is not None


def _not_blank(values: Values) -> bool:
    return all(map(str.strip, values))


def _texts_function() -> Callable[[Any], bool]:
    """Generate the check of the texts the structs leave to Python: patterns, blanks.

    ``texts_hold(struct)``: whether every text of the dossier struct matches its field's
    pattern, or is not blank when the field has none. One statement per text field, from
    the description: a value alone is matched by its pattern (or stripped); the values of
    one field across a list are gathered by C loops (``map`` of an attribute getter; for an
    optional field, ``filter`` drops UNSET and ``None``, both false) and checked in one call
    (:func:`_pattern_check`, :func:`_not_blank`).
    """
    env: dict[str, Any] = {}
    lines = ["def texts_hold(s):"]

    def single(holder: str, field: Field) -> None:
        if not isinstance(field.kind, Text):
            return
        var = f"{holder}_{field.name}"
        lines.append(f"    v = {holder}.{field.name}")
        given = "" if field.required else "v and "
        if field.kind.pattern is None:
            lines.append(f"    if {given}not v.strip(): return False")
        else:
            env[f"P_{var}"] = field.kind.pattern.match
            lines.append(f"    if {given}P_{var}(v) is None: return False")

    for field in DOSSIER_FIELDS:
        single("s", field)
    lines.append("    learner = s.learner")
    for field in OBJECTS["learner"].fields:
        single("learner", field)
    for key, item in LISTS.items():
        texts = [f for f in OBJECTS[item].fields if isinstance(f.kind, Text)]
        if not texts:
            continue
        lines.append(f"    items = s.{key}")
        lines.append("    if items:")
        for field in texts:
            var = f"{key}_{field.name}"
            env[f"get_{var}"] = operator.attrgetter(field.name)
            pattern = field.kind.pattern  # type: ignore[union-attr]
            env[f"check_{var}"] = _not_blank if pattern is None else _pattern_check(pattern)
            if field.required:
                lines.append(f"        if not check_{var}(list(map(get_{var}, items))):")
            else:
                lines.append(f"        values = list(filter(None, map(get_{var}, items)))")
                lines.append(f"        if values and not check_{var}(values):")
            lines.append("            return False")
    lines.append("    return True")
    exec("\n".join(lines), env)
    check: Callable[[Any], bool] = env["texts_hold"]
    return check


_texts_hold = _texts_function()


def fast_read(data: bytes | str) -> Dossier | None:
    """Return the dossier when ``data`` is a valid dossier the fast path can read, else None.

    ``None`` says nothing about validity: the full reader decides (and gives every error).
    When it returns a dossier, it is equal to what the full reader returns.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    data = strip_bom(data)
    if len(data) > MAX_BYTES or b"\\" in data:
        return None
    try:
        struct: Any = _DECODER.decode(data)
    except (msgspec.DecodeError, RecursionError):  # ValidationError included
        return None
    # A key given twice is kept once in the struct: only the full reader names it.
    if data.count(b":") != _ENCODER.encode(struct).count(b":") or not _texts_hold(struct):
        return None
    try:
        return _build_dossier(struct)
    except _NotFast:
        return None


# -- JSON text ---------------------------------------------------------------------------


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, item in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = item
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_BOM = "\ufeff"


@overload
def strip_bom(data: bytes) -> bytes: ...
@overload
def strip_bom(data: str) -> str: ...
def strip_bom(data: str | bytes) -> str | bytes:
    """``data`` without the UTF-8 byte order mark some editors put first.

    RFC 8259 section 8.1 lets a parser ignore it, and a dossier saved by such an editor is
    valid: it is read as if the mark were not there.
    """
    if isinstance(data, bytes):
        return data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return data[1:] if data.startswith(_BOM) else data


_LONGEST_INT = 1000
"""Digits beyond which a JSON integer is read as infinity: ``int`` refuses 4,300 digits and
more (CPython's integer string conversion limit), and no field allows a tenth of that."""


def _parse_int(text: str) -> int | float:
    """A JSON integer; a very long one reads as infinity, which every field refuses by name."""
    if len(text) <= _LONGEST_INT:
        return int(text)
    return -math.inf if text.startswith("-") else math.inf


def parse_json(data: str | bytes, *, what: str = "dossier", limit: int = MAX_BYTES) -> Any:
    """Parse JSON text strictly: UTF-8, no duplicate keys, no NaN, bounded size and depth.

    A leading byte order mark is ignored (:func:`strip_bom`); a number too large for its
    field is left to the field's check, which names it.

    :raises DossierError: with a single error at path ``$`` saying what is wrong.
    """
    data = strip_bom(data)
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
            data,
            object_pairs_hook=_reject_duplicates,
            parse_constant=_reject_constant,
            parse_int=_parse_int,
        )
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise DossierError([InputError("$", message)]) from None
    except ValueError as exc:
        raise DossierError([InputError("$", f"not valid JSON: {exc}")]) from None
    except RecursionError:
        raise DossierError([InputError("$", f"{what} is nested too deeply")]) from None


def read_any(source: Dossier | Mapping[str, Any] | str | bytes) -> Dossier:
    """A dossier from JSON text (bytes or str), its parsed JSON, or a dossier already read.

    :raises DossierError: listing every problem found.
    """
    if isinstance(source, Dossier):
        return source
    if isinstance(source, str | bytes):
        dossier = fast_read(source)
        if dossier is not None:
            return dossier
        return dossier_from_dict(parse_json(source))
    return dossier_from_dict(source)


def load_dossier(data: str | bytes) -> Dossier:
    """Parse and validate a dossier from JSON text.

    :raises DossierError: listing every problem found.
    """
    return read_any(data)


def read_bounded(stream: BinaryIO, name: str, limit: int = MAX_BYTES) -> bytes:
    """Read at most ``limit`` bytes of ``stream``, refusing a longer one.

    At most ``limit + 1`` bytes are read, whatever the stream claims: ``stat`` says 0 for
    ``/dev/zero`` and for pipes, and an endless stream must not fill the memory.

    :raises DossierError: when the stream holds more than ``limit`` bytes.
    """
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise DossierError([InputError("$", f"{name} is larger than {limit} bytes")])
    return b"".join(chunks)


def read_dossier_bytes(path: Path) -> bytes:
    """Read a dossier file's bytes, as given (what a decision log keeps), with a bound.

    :raises DossierError: when the file cannot be read or is too large.
    """
    try:
        with path.open("rb") as stream:
            return read_bounded(stream, str(path))
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DossierError([InputError("$", f"cannot read {path}: {reason}")]) from None


def read_dossier(path: Path) -> Dossier:
    """Read, parse and validate a dossier file.

    :raises DossierError: when the file cannot be read or the dossier is not valid.
    """
    return load_dossier(read_dossier_bytes(path))


def as_date(value: str | date) -> date:
    """Return ``value`` as a date, parsing ``YYYY-MM-DD`` text (for the as-of option)."""
    return value if isinstance(value, date) else parse_iso_date(value)
