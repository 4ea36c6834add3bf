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
from datetime import date
from typing import Any

import attrs
import cattrs
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
)
from rulekit.dossier import BlockResult, Dossier, Experience, Internship, UnitResult, Waiver
from rulekit.ordering import sorted_items

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


def make_converter() -> cattrs.Converter:
    """Return the converter for dossiers, decisions and declarations (rules in module doc)."""
    converter = cattrs.Converter()
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(date, lambda value, _: parse_iso_date(value))

    for item_cls in (UnitResult, BlockResult, Waiver, Enrolment):
        converter.register_unstructure_hook(
            item_cls,
            make_dict_unstructure_fn(item_cls, converter, _cattrs_omit_if_default=True),
        )
    # A period's ``end: null`` means "ongoing": it is said, never left implicit.
    for period_cls in (Experience, Internship):
        converter.register_unstructure_hook(
            period_cls,
            make_dict_unstructure_fn(
                period_cls,
                converter,
                _cattrs_omit_if_default=True,
                end=override(omit_if_default=False),
            ),
        )
    # Dossier fields that default to None still belong in the canonical dossier.
    converter.register_unstructure_hook(Dossier, make_dict_unstructure_fn(Dossier, converter))

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

    for cls in (Missing, NotCounted):
        converter.register_unstructure_hook(
            cls, make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True)
        )
    converter.register_unstructure_hook(
        RequirementResult,
        make_dict_unstructure_fn(
            RequirementResult,
            converter,
            measure=override(omit_if_default=True),
            not_counted=override(omit_if_default=True),
        ),
    )
    converter.register_unstructure_hook(
        Flag, make_dict_unstructure_fn(Flag, converter, evidence=override(omit_if_default=True))
    )
    converter.register_unstructure_hook(
        Decision,
        make_dict_unstructure_fn(
            Decision,
            converter,
            other_tracks=override(omit_if_default=True),
            flags=override(omit_if_default=True),
        ),
    )
    converter.register_structure_hook(Decision, make_dict_structure_fn(Decision, converter))
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


def decision_to_json(decision: Decision, *, indent: int | None = None) -> str:
    """Return the decision as JSON text ending in a newline.

    Compact by default: these are the bytes recorded and compared on replay. ``indent``
    gives the same content laid out for people (the CLI uses 2).
    """
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(
        decision_to_dict(decision),
        ensure_ascii=False,
        indent=indent,
        separators=separators,
        allow_nan=False,
    )
    return text + "\n"


def dossier_to_dict(dossier: Dossier) -> dict[str, Any]:
    """Return the JSON object of a dossier, every field present."""
    result: dict[str, Any] = CONVERTER.unstructure(dossier, Dossier)
    return result


def canonical_dossier(dossier: Dossier) -> dict[str, Any]:
    """Return the dossier's JSON with every list in canonical order (input order ignored)."""
    ordered = attrs.evolve(
        dossier,
        units=tuple(sorted_items(dossier.units)),
        blocks=tuple(sorted_items(dossier.blocks)),
        experience=tuple(sorted_items(dossier.experience)),
        internships=tuple(sorted_items(dossier.internships)),
        waivers=tuple(sorted_items(dossier.waivers)),
    )
    return dossier_to_dict(ordered)


def input_digest(dossier: Dossier) -> str:
    """Return the digest of the dossier's canonical form (independent of list order)."""
    return sha256_digest(canonical_json(canonical_dossier(dossier)))
