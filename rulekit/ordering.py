"""The canonical order of dossier items, so that no output depends on input list order."""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable
from enum import Enum
from types import NoneType
from typing import Any, TypeVar

import attrs

from rulekit.decision import Enrolment, EvidenceItem
from rulekit.dossier import BlockResult, Experience, Internship, UnitResult, Waiver

Item = TypeVar("Item", bound=EvidenceItem)

Key = tuple[tuple[int, object], ...]


def _key_function(cls: type) -> Callable[[Any], Key]:
    """Generate the sort key of ``cls``: field by field in declaration order, ``None`` first.

    Each field gives ``(0, "")`` when ``None`` and ``(1, value)`` otherwise, an enum by its
    value (read as ``_value_``); a field that cannot be ``None`` skips the test.
    """
    hints = typing.get_type_hints(cls)
    parts = []
    for field in attrs.fields(cls):
        hint = hints[field.name]
        options = typing.get_args(hint) if NoneType in typing.get_args(hint) else (hint,)
        value = f"o.{field.name}"
        if any(isinstance(o, type) and issubclass(o, Enum) for o in options):
            # What the value property returns, without its call (enum module documentation,
            # "Supported _sunder_ names").
            value = f"{value}._value_"
        if NoneType in options:
            parts.append(f"((0, '') if o.{field.name} is None else (1, {value}))")
        else:
            parts.append(f"(1, {value})")
    env: dict[str, Any] = {}
    exec(f"def key(o):\n    return ({', '.join(parts)},)", env)
    function: Callable[[Any], Key] = env["key"]
    return function


ITEM_CLASSES = (UnitResult, BlockResult, Experience, Internship, Waiver, Enrolment)
"""The classes :func:`item_sort_key` orders (:data:`rulekit.decision.EvidenceItem`)."""

_KEYS: dict[type, Callable[[Any], Key]] = {}
"""Each class's generated key, made on its first use: most processes sort few classes."""


def _key_of(cls: type) -> Callable[[Any], Key]:
    key = _KEYS.get(cls)
    if key is None:
        if cls not in ITEM_CLASSES:
            raise KeyError(cls)
        key = _KEYS.setdefault(cls, _key_function(cls))
    return key


def item_sort_key(item: EvidenceItem) -> Key:
    """A total order on items of one class: field by field in declaration order, ``None`` first."""
    return _key_of(type(item))(item)


def sorted_items(items: Iterable[Item]) -> list[Item]:
    """Return dossier items in canonical order."""
    listed = list(items)
    if len(listed) < 2:  # the common case (one result per unit code) needs no key at all
        return listed
    return sorted(listed, key=item_sort_key)
