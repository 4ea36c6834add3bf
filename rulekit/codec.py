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

import functools
import hashlib
import json
import weakref
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs
import msgspec

from rulekit.calendar import parse_iso_date
from rulekit.decision import (
    Decision,
    Enrolment,
    Evidence,
    EvidenceItem,
)
from rulekit.dossier import BlockResult, Dossier, Experience, Internship, UnitResult, Waiver
from rulekit.json_objects import OMITTED, STRICT, AwkwardFloat, omitted_fields, to_json_object

if TYPE_CHECKING:
    import cattrs

    CONVERTER: cattrs.Converter
    """The converter :func:`make_converter` builds, made on first use (:func:`shared_converter`)."""

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


def _omitting(converter: cattrs.Converter, cls: type) -> Callable[[], Any]:
    """The factory of ``cls``'s unstructure hook, omitting what :data:`OMITTED` says."""
    from cattrs.gen import make_dict_unstructure_fn, override  # noqa: PLC0415

    omitted = omitted_fields(cls)
    overrides: dict[str, Any] = {
        f.name: override(omit_if_default=f.name in omitted) for f in attrs.fields(cls)
    }
    return lambda: make_dict_unstructure_fn(cls, converter, **overrides)


def make_converter() -> cattrs.Converter:
    """Return the converter for dossiers, decisions and declarations (rules in module doc)."""
    import cattrs  # noqa: PLC0415 - see shared_converter()
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn  # noqa: PLC0415

    converter = cattrs.Converter()
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(date, lambda value, _: parse_iso_date(value))

    # Which fields each class omits when they hold their default: one table, which the
    # generated writers of rulekit.json_objects read too.
    for cls in OMITTED:
        _when_used(converter, cls, _omitting(converter, cls))
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
        Decision,
        lambda: make_dict_structure_fn(Decision, converter),
        structure=True,
    )
    return converter


@functools.cache
def shared_converter() -> cattrs.Converter:
    """Return the process's converter (:data:`CONVERTER`), made on first use.

    Neither a decision's bytes (:mod:`rulekit.json_objects` writes them) nor the text report
    needs cattrs: importing it and building the converter is left to what reads a decision
    back, writes a dossier or a declaration, so that ``rulekit evaluate FILE`` does not pay
    for it at start-up.
    """
    return make_converter()


def __getattr__(name: str) -> Any:
    """:data:`CONVERTER` on first use (PEP 562): ``from rulekit.codec import CONVERTER``."""
    if name == "CONVERTER":
        return globals().setdefault("CONVERTER", shared_converter())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def canonical_json(value: Any) -> bytes:
    """Return the canonical bytes of a JSON value: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def sha256_digest(data: bytes) -> str:
    """Return ``"sha256:<hex>"`` for ``data``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """Return the JSON object of a decision (the converter's, written by generated code)."""
    result: dict[str, Any] = to_json_object(decision)
    return result


def decision_from_dict(value: dict[str, Any]) -> Decision:
    """Return the decision a JSON object describes (the inverse of :func:`decision_to_dict`)."""
    return shared_converter().structure(value, Decision)


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
    times faster, and :func:`json.dumps` does whenever orjson could differ (a float under
    1e-4, which Python writes with an exponent) or refuses (a lone surrogate, a huge
    integer), and refuses itself what JSON cannot hold (NaN, infinities).
    """
    if indent in (None, 2):
        import orjson  # noqa: PLC0415 - only what writes decision bytes imports it

        try:
            value = STRICT.write(decision)
            option = orjson.OPT_APPEND_NEWLINE | (orjson.OPT_INDENT_2 if indent == 2 else 0)
            data = orjson.dumps(value, option=option)
        except (AwkwardFloat, orjson.JSONEncodeError):
            pass
        else:
            return data.decode("utf-8")
    return _json_dumps(decision_to_dict(decision), indent) + "\n"


def decision_to_json_bytes(decision: Decision) -> bytes:
    """Return :func:`decision_to_json` (compact) encoded in UTF-8, without a detour by text.

    orjson writes bytes: taking them as they are spares decoding them into text and
    encoding the text again, for callers that write or store bytes (``rulekit batch``).
    """
    import orjson  # noqa: PLC0415 - only what writes decision bytes imports it

    try:
        return orjson.dumps(STRICT.write(decision), option=orjson.OPT_APPEND_NEWLINE)
    except (AwkwardFloat, orjson.JSONEncodeError):
        return decision_to_json(decision).encode("utf-8")


def dossier_to_dict(dossier: Dossier) -> dict[str, Any]:
    """Return the JSON object of a dossier, every field present."""
    result: dict[str, Any] = shared_converter().unstructure(dossier, Dossier)
    return result


INPUT_FORMAT = "rulekit.input/2"
"""The name of the canonical form below; a change of that form changes its name."""

_ENCODER = msgspec.json.Encoder()
_LIST_FIELDS = ("units", "blocks", "experience", "internships", "waivers")
_LIST_KEYS = tuple((name, f',"{name}":['.encode()) for name in _LIST_FIELDS)
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
    # The object msgspec would write for the header fields, then each list written in
    # place as msgspec writes a Raw value ("key":bytes): the same bytes, built without
    # copying each list twice.
    head = _ENCODER.encode(
        {
            "input": INPUT_FORMAT,
            "format": dossier.format,
            "learner": dossier.learner,
            "certification": dossier.certification,
            "track": dossier.track,
            "enrolled_on": dossier.enrolled_on,
            # Absent when not given, so that the digests of dossiers without it never change.
            **({"route": dossier.route.value} if dossier.route is not None else {}),
        }
    )
    parts = [head[:-1]]
    for name, key in _LIST_KEYS:
        items = getattr(dossier, name)
        if not items:
            parts.append(key + b"]")
        elif len(items) == 1:
            parts += (key, _ENCODER.encode(items[0]), b"]")
        else:
            lines = _ENCODER.encode_lines(items).split(b"\n")
            lines.pop()  # after the last newline
            lines.sort()
            parts += (key, b",".join(lines), b"]")
    parts.append(b"}")
    return b"".join(parts)


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
