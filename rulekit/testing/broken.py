"""Invalid dossiers (Hypothesis strategy), each with the JSON path its error must carry.

:func:`broken_dossiers` takes a valid generated dossier and breaks it once: one field in one
of the ways :mod:`rulekit.dossier_io` rejects (left out, null, wrong type, empty, too long,
not matching its pattern, out of range, not a real date...), or the document, an item or a
list as a whole, or the JSON text itself. The one error expected is at
:attr:`BrokenDossier.path`; nothing else in the dossier is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from attrs import frozen
from hypothesis import strategies as st

from rulekit.declaration import Certification
from rulekit.dossier_io import MAX_BYTES, MAX_ITEMS, MAX_TEXT
from rulekit.testing.dates import DAY, day_offsets, iso
from rulekit.testing.scenarios import (
    FOREIGN_BLOC_CODE,
    FOREIGN_UNIT_CODES,
    JSON,
    LIST_KEYS,
    all_requirement_ids,
    arbitrary_scenarios,
    waivable_ids,
    waiver_item,
)


@frozen(eq=False)
class BrokenDossier:
    """An invalid dossier and where its error must be reported.

    ``payload`` is a parsed JSON value, or ``bytes`` for JSON text; ``path`` is the JSON
    path of the one error expected (``$`` for the document itself); ``defect`` says in
    words what was broken; ``as_of`` is a date to evaluate on.
    """

    certification: Certification
    payload: Any
    path: str
    defect: str
    as_of: date


REMOVE = object()
"""Marker: the way to break a field is to leave it out."""

_TEXT: list[object] = [123, True, [], {}, "", "   "]
_DATES: list[object] = [
    "2023-02-30",
    "2023-13-01",
    "2021-02-29",
    "23-01-01",
    "2023-1-1",
    "2023/01/01",
    "2023-01-01T00:00",
    "1899-12-31",
    "2200-01-01",
    20230101,
    True,
    "",
]
_BOOLEANS: list[object] = ["true", 1, 0, None]


def _text(limit: int, bad_patterns: Sequence[str] = ()) -> list[object]:
    return [*_TEXT, "X" * (limit + 1), *bad_patterns]


def _required(ways: list[object]) -> list[object]:
    return [REMOVE, None, *ways]


FIELD_WAYS: dict[str, dict[str, list[object]]] = {
    "": {
        "format": _required(["rulekit.dossier/2", "rulekit.decision/1", 1]),
        "learner": _required(["A123", [], 7]),
        "certification": _text(64, ["CASP", "casp-36625", "1casp"]),
        "track": _text(64, ["National", "-national", "a b"]),
        "enrolled_on": list(_DATES),
        **{key: [None, {}, "none", 0] for key in LIST_KEYS},
    },
    "learner": {"id": _required(_text(200)), "name": _text(200)},
    "units": {
        "code": _required(_text(12, ["tet099", "T1", "TET-099", "0AB123"])),
        "result": _required(["PASSED", "ok", "", 1]),
        "date": list(_DATES),
        "grade": [-0.5, 20.01, "12", True, 1e9],
        "ects": [0, -6, 240.5, "6", False],
        "via": [None, "dispense", "EXAM", 0],
        "reference": _text(200),
    },
    "blocks": {
        "code": _required(_text(16, ["BC01", "RNCP12976BC1", "rncp12976bc01"])),
        "result": _required(["validé", 2]),
        "date": _required(_DATES),
    },
    "experience": {
        "start": _required(_DATES),
        "end": list(_DATES),
        "fte": [None, 0, -0.5, 1.01, 2, "1", True],
        "in_field": [REMOVE, *_BOOLEANS],
        "employer": _text(200),
        "role": _text(200),
    },
    "internships": {
        "start": _required(_DATES),
        "end": list(_DATES),
        "in_field": [REMOVE, *_BOOLEANS],
        "host": _text(200),
    },
    "waivers": {
        "requirement": _required(_text(64, ["Units", "1units", "units!"])),
        "granted_by": _required(_text(200)),
        "date": _required(_DATES),
        "reason": _required(_text(MAX_TEXT)),
    },
}
"""For the dossier (``""``), its learner and each list's items: every field, and every
wrong value the validator rejects for it (``None`` is null, :data:`REMOVE` left out)."""


def _valid_item(key: str, certification: Certification, as_of: date) -> JSON:
    """A valid item for list ``key``, to break when the list is empty."""
    day = as_of - 100 * DAY
    if key == "units":
        return {"code": FOREIGN_UNIT_CODES[0], "result": "passed", "date": iso(day)}
    if key == "blocks":
        return {"code": FOREIGN_BLOC_CODE, "result": "failed", "date": iso(day)}
    if key == "waivers":
        known = waivable_ids(certification)
        return waiver_item(known[0] if known else "no_such_requirement", day)
    return {"start": iso(day), "end": None, "in_field": True}


def _shown(value: object) -> str:
    return "left out" if value is REMOVE else json.dumps(value)[:40]


class _Breaker:
    """One valid dossier about to be broken once."""

    def __init__(self, draw: st.DrawFn, certification: Certification) -> None:
        base = draw(arbitrary_scenarios(certification))
        self.draw = draw
        self.certification = certification
        self.as_of = base.as_of
        self.dossier: JSON = json.loads(json.dumps(base.dossier))
        # Without waivable requirements no waiver is valid: waivers are then only broken as
        # a whole.
        self.keys = LIST_KEYS if waivable_ids(certification) else LIST_KEYS[:-1]

    def done(self, path: str, defect: str, payload: Any = None) -> BrokenDossier:
        """The broken dossier (``payload``, by default the dossier itself)."""
        value = self.dossier if payload is None else payload
        return BrokenDossier(self.certification, value, path, defect, self.as_of)

    def item(self, key: str) -> tuple[int, JSON]:
        """An item of list ``key`` (added when the list is empty) and its index."""
        items: list[JSON] = self.dossier.setdefault(key, [])
        if not items:
            items.append(_valid_item(key, self.certification, self.as_of))
        index = self.draw(st.integers(0, len(items) - 1))
        return index, items[index]

    # -- the families of defects, each returning the broken dossier -----------------------

    def field(self) -> BrokenDossier:
        """One field of the dossier, its learner or an item, broken in one way."""
        where = self.draw(
            st.sampled_from([w for w in sorted(FIELD_WAYS) if w in ("", "learner", *self.keys)])
        )
        name = self.draw(st.sampled_from(sorted(FIELD_WAYS[where])))
        way = self.draw(st.sampled_from(FIELD_WAYS[where][name]))
        if where == "":
            target, path = self.dossier, name
        elif where == "learner":
            target, path = self.dossier["learner"], f"learner.{name}"
        else:
            index, target = self.item(where)
            path = f"{where}[{index}].{name}"
        if way is REMOVE:
            target.pop(name, None)
        else:
            target[name] = way
        return self.done(path, f"{path} {_shown(way)}")

    def document(self) -> BrokenDossier:
        """The document is not an object."""
        payload = self.draw(st.sampled_from(([], [self.dossier], "rulekit", 3, True)))
        return self.done("$", f"the dossier is {_shown(payload)}", payload)

    def null_document(self) -> BrokenDossier:
        """The document is null."""
        return BrokenDossier(self.certification, None, "$", "the dossier is null", self.as_of)

    def unknown(self) -> BrokenDossier:
        """A field the format does not have."""
        where = self.draw(st.sampled_from(("", "learner", *self.keys)))
        if where == "":
            self.dossier["comment"] = "hors format"
            return self.done("comment", "an unknown field")
        if where == "learner":
            self.dossier["learner"]["email"] = "fictif@example.org"
            return self.done("learner.email", "an unknown learner field")
        index, item = self.item(where)
        item["colour"] = "bleu"
        return self.done(f"{where}[{index}].colour", "an unknown item field")

    def not_an_object(self) -> BrokenDossier:
        """An item that is not an object."""
        key = self.draw(st.sampled_from(self.keys))
        index, _ = self.item(key)
        self.dossier[key][index] = self.draw(st.sampled_from(("x", 1, None, [])))
        return self.done(f"{key}[{index}]", "an item is not an object")

    def too_many(self) -> BrokenDossier:
        """A list longer than the validator allows."""
        key = self.draw(st.sampled_from(self.keys))
        self.dossier[key] = [_valid_item(key, self.certification, self.as_of)] * (MAX_ITEMS + 1)
        return self.done(key, f"more than {MAX_ITEMS} items")

    def period_order(self) -> BrokenDossier:
        """A period ending before it starts."""
        key = self.draw(st.sampled_from(("experience", "internships")))
        index, item = self.item(key)
        start = date.fromisoformat(item["start"])
        item["end"] = iso(start - self.draw(day_offsets(1, 400)) * DAY)
        return self.done(f"{key}[{index}].end", "a period ends before it starts")

    def undated(self) -> BrokenDossier:
        """A unit passed or failed, with no date."""
        index, item = self.item("units")
        item["result"] = self.draw(st.sampled_from(("passed", "failed")))
        if self.draw(st.booleans()):
            item.pop("date", None)
        else:
            item["date"] = None
        return self.done(f"units[{index}].date", "a unit passed or failed without a date")

    def unknown_requirement(self) -> BrokenDossier:
        """A waiver of a requirement the certification does not have."""
        index, item = self.item("waivers")
        known = all_requirement_ids(self.certification)
        names = [n for n in ("no_such_requirement", "diploma", "units_extra") if n not in known]
        item["requirement"] = self.draw(st.sampled_from(names))
        return self.done(f"waivers[{index}].requirement", "a waiver of an unknown requirement")

    def text(self) -> BrokenDossier:
        """JSON text that does not parse, reported at ``$``."""
        text = json.dumps(self.dossier, ensure_ascii=False)
        data = text.encode()
        way = self.draw(st.sampled_from(sorted(_TEXT_WAYS)))
        payload = _TEXT_WAYS[way](text, data, self.draw)
        return self.done("$", f"JSON text: {way}", payload)


_TEXT_WAYS: dict[str, Callable[[str, bytes, st.DrawFn], bytes]] = {
    "truncated": lambda text, data, draw: data[: draw(st.integers(0, len(data) - 1))],
    "duplicate key": lambda text, data, draw: (text[:-1] + ', "format": "x"}').encode(),
    "NaN": lambda text, data, draw: (text[:-1] + ', "grade": NaN}').encode(),
    "not UTF-8": lambda text, data, draw: b"\xff\xfe" + data,
    "empty": lambda text, data, draw: b"",
    "too large": lambda text, data, draw: data + b" " * (MAX_BYTES + 1 - len(data)),
    "nested too deeply": lambda text, data, draw: b"[" * 100_000 + b"]" * 100_000,
}
"""JSON texts the parser refuses as a whole: each is reported at ``$``."""

FAMILIES: dict[str, Callable[[_Breaker], BrokenDossier]] = {
    "field": _Breaker.field,
    "document": _Breaker.document,
    "null document": _Breaker.null_document,
    "unknown field": _Breaker.unknown,
    "item not an object": _Breaker.not_an_object,
    "too many items": _Breaker.too_many,
    "period order": _Breaker.period_order,
    "undated unit": _Breaker.undated,
    "unknown requirement": _Breaker.unknown_requirement,
    "JSON text": _Breaker.text,
}
"""Every kind of defect :func:`broken_dossiers` makes; fields are the most numerous."""


@st.composite
def broken_dossiers(draw: st.DrawFn, certification: Certification) -> BrokenDossier:
    """A dossier of ``certification`` broken once, and the JSON path its error must carry."""
    breaker = _Breaker(draw, certification)
    family = draw(st.sampled_from(["field"] * 6 + sorted(FAMILIES)))
    return FAMILIES[family](breaker)
