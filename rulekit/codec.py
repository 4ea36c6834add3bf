"""JSON <-> objects for dossiers and decisions, and the canonical JSON behind every digest.

One :func:`make_converter` builds the cattrs converter; its rules:

- dates are ISO ``YYYY-MM-DD`` strings; enums are their values; tuples are JSON lists;
- an evidence item is the dossier item's own fields plus ``"type"`` (``unit``, ``block``,
  ``experience``, ``internship``, ``waiver``, ``enrolment``), so that an auditor can find it
  in the dossier;
- in decisions, optional fields left at their default (``None``, empty) are omitted, except
  the fields the decision format promises (``basis``, ``missing``, ``evidence``...).

Structuring expects JSON that :mod:`rulekit.dossier_io` has validated; on its own it does
not produce friendly errors.
"""

from __future__ import annotations

import hashlib
import json
import math
import weakref
from collections.abc import Callable
from datetime import date
from typing import Any

import cattrs
import msgspec
import orjson
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from rulekit.calendar import parse_iso_date
from rulekit.decision import (
    Decision,
    Enrolment,
    Evidence,
    EvidenceItem,
    Flag,
    Missing,
    NotCounted,
    RequirementResult,
    UntilReason,
)
from rulekit.dossier import BlockResult, Dossier, Experience, Internship, UnitResult, Waiver

EVIDENCE_TYPES: dict[str, type[EvidenceItem]] = {
    "unit": UnitResult,
    "block": BlockResult,
    "experience": Experience,
    "internship": Internship,
    "waiver": Waiver,
    "enrolment": Enrolment,
}
EVIDENCE_TYPE_OF: dict[type[EvidenceItem], str] = {
    cls: name for name, cls in EVIDENCE_TYPES.items()
}


def _when_used(
    converter: cattrs.Converter, cls: type, make: Callable[[], Any], *, structure: bool = False
) -> None:
    """Register the hook ``make()`` builds for ``cls``, built on the first use of ``cls``.

    cattrs compiles each generated hook: building them when first needed keeps them out of
    the start-up of commands that never write a decision (``rulekit evaluate`` as a report).
    """

    def factory(_: Any) -> Any:
        return make()

    def matches(candidate: Any) -> bool:
        return candidate is cls

    if structure:
        converter.register_structure_hook_factory(matches, factory)
    else:
        converter.register_unstructure_hook_factory(matches, factory)


def make_converter() -> cattrs.Converter:
    """Return the converter for dossiers, decisions and declarations (rules in module doc)."""
    converter = cattrs.Converter()
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(date, lambda value, _: parse_iso_date(value))

    def omitting(cls: type, **overrides: Any) -> Callable[[], Any]:
        return lambda: make_dict_unstructure_fn(
            cls, converter, _cattrs_omit_if_default=True, **overrides
        )

    for item_cls in (
        UnitResult,
        BlockResult,
        Waiver,
        Enrolment,
        Missing,
        NotCounted,
        UntilReason,
    ):
        _when_used(converter, item_cls, omitting(item_cls))
    # A period's ``end: null`` means "ongoing": it is said, never left implicit.
    for period_cls in (Experience, Internship):
        _when_used(converter, period_cls, omitting(period_cls, end=override(omit_if_default=False)))
    # Dossier fields that default to None still belong in the canonical dossier.
    _when_used(converter, Dossier, lambda: make_dict_unstructure_fn(Dossier, converter))

    def unstructure_evidence(evidence: Evidence) -> dict[str, Any]:
        body: dict[str, Any] = converter.unstructure(evidence.item, type(evidence.item))
        if evidence.title is not None:
            return {"type": evidence.type, "title": evidence.title, **body}
        return {"type": evidence.type, **body}

    def structure_evidence(value: dict[str, Any], _: object) -> Evidence:
        body = dict(value)
        kind = body.pop("type")
        title = body.pop("title", None)
        return Evidence(kind, converter.structure(body, EVIDENCE_TYPES[kind]), title)

    converter.register_unstructure_hook(Evidence, unstructure_evidence)
    converter.register_structure_hook(Evidence, structure_evidence)

    _when_used(
        converter,
        RequirementResult,
        lambda: make_dict_unstructure_fn(
            RequirementResult,
            converter,
            measure=override(omit_if_default=True),
            not_counted=override(omit_if_default=True),
        ),
    )
    _when_used(
        converter,
        Flag,
        lambda: make_dict_unstructure_fn(Flag, converter, evidence=override(omit_if_default=True)),
    )
    _when_used(
        converter,
        Decision,
        lambda: make_dict_unstructure_fn(
            Decision,
            converter,
            other_tracks=override(omit_if_default=True),
            flags=override(omit_if_default=True),
            eligible_from=override(omit_if_default=True),
            eligible_until=override(omit_if_default=True),
            eligible_until_reasons=override(omit_if_default=True),
        ),
    )
    _when_used(
        converter,
        Decision,
        lambda: make_dict_structure_fn(Decision, converter),
        structure=True,
    )
    return converter


CONVERTER = make_converter()


def canonical_json(value: Any) -> bytes:
    """Return the canonical bytes of a JSON value: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def sha256_digest(data: bytes) -> str:
    """Return ``"sha256:<hex>"`` for ``data``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """Return the JSON object of a decision."""
    result: dict[str, Any] = CONVERTER.unstructure(decision, Decision)
    return result


def decision_from_dict(value: dict[str, Any]) -> Decision:
    """Return the decision a JSON object describes (the inverse of :func:`decision_to_dict`)."""
    return CONVERTER.structure(value, Decision)


_DIGITS = frozenset(b"0123456789")


def _orjson_may_differ(data: bytes) -> bool:
    """Whether orjson's bytes may differ from :func:`json.dumps`'s: a float below 1e-4.

    Python writes those with an exponent (``1e-05``), orjson not always alike (``0.00001``,
    ``1e-5``): they show as ``.0000`` or as a digit followed by ``e-``. Text may hold these
    too; that only costs the slower path. Searched with ``bytes.find`` (a regular
    expression over the whole decision costs more than orjson itself).
    """
    if b".0000" in data:
        return True
    at = data.find(b"e-")
    while at != -1:
        if at and data[at - 1] in _DIGITS:
            return True
        at = data.find(b"e-", at + 2)
    return False


def _json_dumps(value: Any, indent: int | None) -> str:
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(
        value, ensure_ascii=False, indent=indent, separators=separators, allow_nan=False
    )


def decision_to_json(decision: Decision, *, indent: int | None = None) -> str:
    """Return the decision as JSON text ending in a newline.

    Compact by default: these are the bytes recorded and compared on replay. ``indent``
    gives the same content laid out for people (the CLI uses 2; orjson lays out only by 2,
    other widths take :func:`json.dumps`).

    The text is exactly what ``json.dumps(..., ensure_ascii=False, allow_nan=False)`` gives
    (compact separators, or ``", "``/``": "`` with ``indent``): orjson writes it, many
    times faster, and :func:`json.dumps` does whenever orjson could differ (a float written
    with a negative exponent) or refuses (a lone surrogate, a huge integer).
    """
    value = decision_to_dict(decision)
    if indent not in (None, 2) or not _finite(decision):
        return _json_dumps(value, indent) + "\n"
    try:
        data = orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent == 2 else 0)
    except orjson.JSONEncodeError:
        return _json_dumps(value, indent) + "\n"
    if _orjson_may_differ(data):
        return _json_dumps(value, indent) + "\n"
    return data.decode("utf-8") + "\n"


def _finite(decision: Decision) -> bool:
    """Whether the decision's measures are finite (orjson writes NaN as null, json refuses)."""
    for result in decision.requirements:
        measure = result.measure
        if measure is not None and not (
            math.isfinite(measure.required) and math.isfinite(measure.counted)
        ):
            return False
    return True


def dossier_to_dict(dossier: Dossier) -> dict[str, Any]:
    """Return the JSON object of a dossier, every field present."""
    result: dict[str, Any] = CONVERTER.unstructure(dossier, Dossier)
    return result


INPUT_FORMAT = "rulekit.input/2"
"""The name of the canonical form below; a change of that form changes its name."""

_ENCODER = msgspec.json.Encoder()
_LIST_FIELDS = ("units", "blocks", "experience", "internships", "waivers")
_DIGESTS: dict[int, tuple[weakref.ref[Dossier], str]] = {}


def canonical_input(dossier: Dossier) -> bytes:
    """Return the canonical bytes of a dossier, whose SHA-256 is its input digest.

    A JSON object: ``"input"`` (:data:`INPUT_FORMAT`), then the dossier's fields, every
    field of every object present (``null`` when absent, defaults filled in), enums as
    their values, dates ``YYYY-MM-DD``, numbers as typed (a ``grade`` of 11 is ``11.0``),
    compact UTF-8 as msgspec writes it: each object's keys in an order fixed by its class,
    never by the input, and nothing that depends on the machine, locale or hash seed. Each
    list's items are in the byte order of their own encodings, so the order of items in
    the dossier does not matter, nor does the order of keys in its JSON text.
    """
    lists = {}
    for name in _LIST_FIELDS:
        items = getattr(dossier, name)
        if items:
            lines = _ENCODER.encode_lines(items).split(b"\n")[:-1]
            lines.sort()
            lists[name] = msgspec.Raw(b"[" + b",".join(lines) + b"]")
        else:
            lists[name] = msgspec.Raw(b"[]")
    return _ENCODER.encode(
        {
            "input": INPUT_FORMAT,
            "format": dossier.format,
            "learner": dossier.learner,
            "certification": dossier.certification,
            "track": dossier.track,
            "enrolled_on": dossier.enrolled_on,
            # Absent when not given, so that the digests of dossiers without it never change.
            **({"route": dossier.route.value} if dossier.route is not None else {}),
            **lists,
        }
    )


def input_digest(dossier: Dossier) -> str:
    """Return the digest of the dossier's canonical form (:func:`canonical_input`).

    Computed once per dossier object and remembered while the object lives (dossiers are
    frozen), so evaluating one dossier several times, for several tracks or by replay,
    hashes it once.
    """
    key = id(dossier)
    known = _DIGESTS.get(key)
    if known is not None and known[0]() is dossier:
        return known[1]
    digest = sha256_digest(canonical_input(dossier))

    def forget(_: weakref.ref[Dossier]) -> None:
        _DIGESTS.pop(key, None)

    _DIGESTS[key] = (weakref.ref(dossier, forget), digest)
    return digest
