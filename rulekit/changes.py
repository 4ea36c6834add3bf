"""Field-by-field differences between two JSON values (decisions, declarations).

Lists of objects that all carry an ``id`` (requirements, tracks, custom requirements) or a
``code`` (units, blocs) are compared by that key, so that a unit replaced in a track reads
``tracks[main].mandatory[FIC103]: removed`` rather than as every later position shifting.
Other lists are compared position by position when they have the same length, else whole.
"""

from __future__ import annotations

import json
from typing import Any

from attrs import frozen

_ABSENT: Any = object()


@frozen
class FieldChange:
    """One difference: ``kind`` is ``changed``, ``added`` or ``removed``."""

    path: str
    kind: str
    old: Any = None
    new: Any = None

    def __str__(self) -> str:
        if self.kind == "added":
            return f"{self.path}: added {_show(self.new)}"
        if self.kind == "removed":
            return f"{self.path}: removed (was {_show(self.old)})"
        return f"{self.path}: {_show(self.old)} -> {_show(self.new)}"

    def to_json(self) -> dict[str, Any]:
        """Return the change as a JSON object (``old``/``new`` omitted when absent)."""
        body: dict[str, Any] = {"path": self.path, "kind": self.kind}
        if self.kind != "added":
            body["old"] = self.old
        if self.kind != "removed":
            body["new"] = self.new
        return body

    def under(self, prefix: str) -> bool:
        """Whether this change is at ``prefix`` or inside it."""
        return self.path == prefix or self.path.startswith((prefix + ".", prefix + "["))


def _show(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    """Return the list's objects by ``id`` or ``code`` when every item has a distinct one."""
    for key in ("id", "code"):
        if items and all(isinstance(i, dict) and isinstance(i.get(key), str) for i in items):
            keys = [item[key] for item in items]
            if len(set(keys)) == len(keys):
                return dict(zip(keys, items, strict=True))
    return None


def diff(old: Any, new: Any, path: str = "") -> list[FieldChange]:
    """Return the differences from ``old`` to ``new``, in document order."""
    changes: list[FieldChange] = []
    _diff(old, new, path, changes)
    return changes


def _diff(old: Any, new: Any, path: str, out: list[FieldChange]) -> None:
    if old is _ABSENT:
        out.append(FieldChange(path, "added", new=new))
    elif new is _ABSENT:
        out.append(FieldChange(path, "removed", old=old))
    elif isinstance(old, dict) and isinstance(new, dict):
        keys = list(old) + [key for key in new if key not in old]
        for key in keys:
            where = f"{path}.{key}" if path else str(key)
            _diff(old.get(key, _ABSENT), new.get(key, _ABSENT), where, out)
    elif isinstance(old, list) and isinstance(new, list):
        _diff_lists(old, new, path, out)
    elif old != new or type(old) is not type(new):
        out.append(FieldChange(path, "changed", old, new))


def _diff_lists(old: list[Any], new: list[Any], path: str, out: list[FieldChange]) -> None:
    old_keyed, new_keyed = _keyed(old), _keyed(new)
    if old_keyed is not None and new_keyed is not None:
        keys = list(old_keyed) + [key for key in new_keyed if key not in old_keyed]
        for key in keys:
            _diff(old_keyed.get(key, _ABSENT), new_keyed.get(key, _ABSENT), f"{path}[{key}]", out)
    elif len(old) == len(new):
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            _diff(before, after, f"{path}[{index}]", out)
    else:
        out.append(FieldChange(path, "changed", old, new))
