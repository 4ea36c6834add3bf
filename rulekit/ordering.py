"""The canonical order of dossier items, so that no output depends on input list order."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import TypeVar

import attrs

from rulekit.decision import Enrolment, EvidenceItem
from rulekit.dossier import BlockResult, Experience, Internship, UnitResult, Waiver

Item = TypeVar("Item", bound=EvidenceItem)

_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(field.name for field in attrs.fields(cls))
    for cls in (UnitResult, BlockResult, Experience, Internship, Waiver, Enrolment)
}


def _plain(value: object) -> tuple[int, object]:
    if value is None:
        return (0, "")
    if isinstance(value, Enum):
        return (1, value.value)
    return (1, value)


def item_sort_key(item: EvidenceItem) -> tuple[tuple[int, object], ...]:
    """A total order on items of one class: field by field in declaration order, ``None`` first."""
    return tuple(_plain(getattr(item, name)) for name in _FIELDS[type(item)])


def sorted_items(items: Iterable[Item]) -> list[Item]:
    """Return dossier items in canonical order."""
    listed = list(items)
    if len(listed) < 2:  # the common case (one result per unit code) needs no key at all
        return listed
    return sorted(listed, key=item_sort_key)
