"""Decision objects to JSON objects, by functions generated once per class.

The JSON form of a decision is set by one table, :data:`OMITTED` (which fields a class
leaves out when they hold their default), and by the rules of :mod:`rulekit.codec`: dates
are ``YYYY-MM-DD``, enums their values, tuples lists, an evidence item its dossier item's
fields after ``"type"`` (and ``"title"`` when known). The cattrs converter of
:mod:`rulekit.codec` reads the same table, so both give the same objects; a test compares
them on every conformance decision and on generated ones.

Why a second way when cattrs has one: writing a decision is part of every evaluation, and
cattrs dispatches each nested value through its hook registry (each tuple, optional and
enum) where a generated function knows the types already. For the bundled CASP decision
that is about four times less time (``benchmarks/bench.py``).
"""

from __future__ import annotations

import math
import typing
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from types import NoneType, UnionType
from typing import Any

import attrs

from rulekit.decision import (
    Decision,
    Enrolment,
    Evidence,
    Flag,
    Missing,
    NotCounted,
    RequirementResult,
    UntilReason,
)
from rulekit.dossier import BlockResult, Experience, Internship, UnitResult, Waiver

ALL = frozenset({"*"})
"""Every field of the class is left out when it holds its default."""

OMITTED: Mapping[type, frozenset[str]] = {
    # Dossier items cited as evidence, and the decision's small records: what is not
    # said is the default.
    UnitResult: ALL,
    BlockResult: ALL,
    Waiver: ALL,
    Enrolment: ALL,
    Missing: ALL,
    NotCounted: ALL,
    UntilReason: ALL,
    # A period's ``end: null`` means "ongoing": it is said, never left implicit.
    Experience: frozenset({"fte", "employer", "role"}),
    Internship: frozenset({"host", "hours"}),
    RequirementResult: frozenset({"measure", "not_counted"}),
    Flag: frozenset({"evidence"}),
    Decision: frozenset(
        {"other_tracks", "flags", "eligible_from", "eligible_until", "eligible_until_reasons"}
    ),
}
"""For each class, the fields omitted when they hold their default; other classes omit none."""


def omitted_fields(cls: type) -> frozenset[str]:
    """The fields of ``cls`` left out of its JSON object when they hold their default."""
    rule = OMITTED.get(cls, frozenset())
    if rule is ALL:
        return frozenset(field.name for field in attrs.fields(cls))
    return rule


Convert = Callable[[Any], Any]


class AwkwardFloat(ValueError):
    """A float that orjson would not write as :func:`json.dumps` does (see :func:`checked`)."""


def checked(value: float) -> float:
    """Return ``value``, or raise :class:`AwkwardFloat` when orjson may write it otherwise.

    Python writes a float under 1e-4 with an exponent (``1e-05``), orjson in full
    (``0.00001``); infinities and NaN are not JSON. Every other float, both write alike.
    """
    if not math.isfinite(value) or (value and -SMALLEST_PLAIN < value < SMALLEST_PLAIN):
        raise AwkwardFloat(value)
    return value


SMALLEST_PLAIN = 1e-4
"""Floats of smaller magnitude (but 0) are written with an exponent by :func:`repr`."""


class Writers:
    """The generated functions writing each class, made on first use.

    ``strict``: the objects are for orjson, and written as orjson writes them fastest:
    every float is checked (inline, as :func:`checked` does), so that a decision holding an
    awkward float raises :class:`AwkwardFloat` instead of being written by orjson
    differently, and dates are left as :class:`~datetime.date` objects, which orjson writes
    ``YYYY-MM-DD`` itself (orjson documentation, "date"), as :meth:`date.isoformat` does.
    Otherwise (``strict=False``) the objects hold JSON values only.
    """

    def __init__(self, *, strict: bool) -> None:
        self.strict = strict
        self._functions: dict[type, Convert] = {}
        self.evidence = _EvidenceWriters(self)
        """Evidence writers by the class of the item cited (made on first use)."""

    def write(self, value: Any) -> Any:
        """Return the JSON object of an attrs object of the decision format."""
        return self.of(type(value))(value)

    def of(self, cls: type) -> Convert:
        """Return the function writing instances of ``cls`` (and of the classes it holds)."""
        function = self._functions.get(cls)
        if function is None:
            function = self._functions[cls] = _write_function(cls, self)
        return function


class _EvidenceWriters(dict[type, Convert]):
    """For each class of evidence item, the function writing an :class:`Evidence` citing one.

    A dictionary that makes a missing entry on first use, so that a writer finds the
    function in one look-up, ``evidence[type(e.item)]``, for any item class.
    """

    def __init__(self, writers: Writers) -> None:
        super().__init__()
        self.writers = writers

    def __missing__(self, cls: type) -> Convert:
        function = self[cls] = _evidence_function(cls, self.writers)
        return function


def _value_code(annotation: Any, expression: str, env: dict[str, Any]) -> str:
    """Python code converting ``expression``, of type ``annotation``, to its JSON value."""
    origin = typing.get_origin(annotation)
    if origin in (UnionType, typing.Union):
        return _optional_code(annotation, expression, env)
    if origin is tuple:
        (item, _) = typing.get_args(annotation)
        if item is Evidence:
            return f"[evidence[type(x.item)](x) for x in {expression}]"
        inner = _value_code(item, "x", env)
        return f"list({expression})" if inner == "x" else f"[{inner} for x in {expression}]"
    scalar = _scalar_code(annotation, expression, strict=env["writers"].strict)
    if scalar is not None:
        return scalar
    if annotation is Evidence:
        return f"evidence[type({expression}.item)]({expression})"
    if isinstance(annotation, type) and attrs.has(annotation):
        name = f"write_{annotation.__name__}"
        env[name] = env["writers"].of(annotation)  # the decision classes hold no cycle
        return f"{name}({expression})"
    raise TypeError(f"no JSON rule for {annotation!r}")


def _scalar_code(annotation: Any, expression: str, *, strict: bool) -> str | None:
    """Code for a string, number, boolean, date or enum (``None``: not one of them).

    An enum is read by its ``_value_``, the attribute its ``value`` property returns
    (enum module documentation, "Supported _sunder_ names"), without the property's call.
    """
    if annotation is float:
        return _checked_code(expression) if strict else expression
    if annotation in (str, int, bool):
        return expression
    if annotation is date:
        return expression if strict else f"{expression}.isoformat()"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return f"{expression}._value_"
    return None


def _checked_code(expression: str) -> str:
    """:func:`checked` inline: ``expression`` when plain, else a call that raises."""
    e = expression
    return f"({e} if SMALL <= {e} < INF or -INF < {e} <= -SMALL or {e} == 0.0 else checked({e}))"


def _optional_code(annotation: Any, expression: str, env: dict[str, Any]) -> str:
    """``X | None`` converts as ``X`` unless ``None``; another union dispatches on the type."""
    options = typing.get_args(annotation)
    values = [option for option in options if option is not NoneType]
    if len(values) != 1:
        return f"writers.write({expression})"
    inner = _value_code(values[0], expression, env)
    return expression if inner == expression else f"(None if {expression} is None else {inner})"


def _condition(name: str, default: Any, env: dict[str, Any], var: str = "o") -> str:
    """The test that ``o.<name>`` differs from its default, as cheap as the default allows."""
    if default is None or isinstance(default, Enum):
        env[f"default_{name}"] = default
        return f"{var}.{name} is not default_{name}"
    if default == ():
        return f"{var}.{name}"
    env[f"default_{name}"] = default
    return f"{var}.{name} != default_{name}"


def _fields_code(cls: type, env: dict[str, Any], var: str = "o") -> tuple[list[str], list[str]]:
    """The fields of ``cls`` (an instance named ``var``) as code, in two parts.

    ``(always, statements)``: ``always`` are ``key: value`` pairs that start the object (every
    field before the first that may be omitted); ``statements`` add the others to ``d`` in
    field order, each omitted field under its condition.
    """
    hints = typing.get_type_hints(cls)
    omitted = omitted_fields(cls)
    always: list[str] = []
    statements: list[str] = []
    for field in attrs.fields(cls):
        name = field.name
        code = _value_code(hints[name], f"{var}.{name}", env)
        if name in omitted and field.default is not attrs.NOTHING:
            default = field.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default = default.factory()
            statements.append(f"    if {_condition(name, default, env, var)}:")
            statements.append(f"        d[{name!r}] = {code}")
        elif statements:  # after a field that may be omitted: in its place, to keep the order
            statements.append(f"    d[{name!r}] = {code}")
        else:
            always.append(f"{name!r}: {code}")
    return always, statements


def _environment(writers: Writers) -> dict[str, Any]:
    """The names generated code uses."""
    return {
        "writers": writers,
        "evidence": writers.evidence,
        "checked": checked,
        "SMALL": SMALLEST_PLAIN,
        "INF": math.inf,
    }


def _compile(name: str, lines: list[str], env: dict[str, Any]) -> Any:
    exec("\n".join(lines), env)
    return env[name]


def _write_function(cls: type, writers: Writers) -> Convert:
    """Generate the function writing ``cls``: a dict literal, then the fields it may omit."""
    env = _environment(writers)
    if cls is Evidence:
        return lambda e: writers.evidence[type(e.item)](e)
    always, statements = _fields_code(cls, env)
    name = f"write_{cls.__name__}"
    lines = [f"def {name}(o):", f"    d = {{{', '.join(always)}}}", *statements, "    return d"]
    function: Convert = _compile(name, lines, env)
    return function


def _evidence_function(cls: type, writers: Writers) -> Convert:
    """Generate the function writing an evidence citing a ``cls`` item.

    Evidence is its item's fields after ``type`` (and ``title`` when known): one dict
    literal with the fields always written, then the item's fields it may omit.
    """
    env = _environment(writers)
    always, statements = _fields_code(cls, env, "i")
    rest = "".join(f", {pair}" for pair in always)
    name = f"evidence_{cls.__name__}"
    lines = [
        f"def {name}(e):",
        "    i = e.item",
        "    if e.title is None:",
        f"        d = {{'type': e.type{rest}}}",
        "    else:",
        f"        d = {{'type': e.type, 'title': e.title{rest}}}",
        *statements,
        "    return d",
    ]
    function: Convert = _compile(name, lines, env)
    return function


LENIENT = Writers(strict=False)
STRICT = Writers(strict=True)
to_json_object = LENIENT.write
"""Return the JSON object of an attrs object of the decision format."""
