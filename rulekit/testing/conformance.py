"""Conformance cases: a dossier, an as-of date and the decision the specs expect.

A case is one JSON file (format ``rulekit.conformance/1``)::

    {"format": "rulekit.conformance/1",
     "name": "national-experience-exactly-18-months",
     "description": "Why this case matters, in a sentence.",
     "rule": "specs/casp_36625.md#experience",      # the spec section it exercises
     "certification": "casp_36625",
     "track": null,                                  # optional: evaluate one track only
     "as_of": "2023-07-01",
     "dossier": { ... rulekit.dossier/1 ... },
     "expect": {"outcome": "eligible",               # or "not_eligible", or "error"
                "track": "national",                 # optional
                "unmet": [],                         # ids of unmet requirements, any order
                "basis": {"experience": "attestation"},   # optional, per requirement
                "missing": {"units": ["AST002"]},    # optional: codes listed as missing
                "measure": {"experience": {"counted_days": 546, "required_days": 546}},
                                                     # optional: fields of a measure
                "not_counted": {"units": {"UA211G": "route_not_accepted"}},
                                                     # optional: why a code did not count
                "flags": ["track_chosen"],           # optional: the flags' codes, any order
                "error_paths": ["experience[0].end"]}}   # with outcome "error" only

Cases are data so that certifiers write them from the specs without reading engine code,
and one parametrised test replays them all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from attrs import frozen

from rulekit.api import evaluate
from rulekit.calendar import parse_iso_date
from rulekit.decision import Decision
from rulekit.errors import DossierError, UnknownCertification, UnknownTrack
from rulekit.registry import Registry

CONFORMANCE_FORMAT = "rulekit.conformance/1"


@frozen
class ConformanceCase:
    """One conformance case, read from ``path``."""

    path: Path
    name: str
    certification: str
    as_of: date
    dossier: dict[str, Any]
    expect: dict[str, Any]
    track: str | None = None
    description: str = ""
    rule: str = ""


def load_case(path: Path) -> ConformanceCase:
    """Read one case file.

    :raises ValueError: naming the file and the field, when the case itself is malformed.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read conformance case: {exc}") from None
    if not isinstance(raw, dict) or raw.get("format") != CONFORMANCE_FORMAT:
        raise ValueError(f"{path}: format must be {CONFORMANCE_FORMAT}")
    for key in ("name", "certification", "as_of", "dossier", "expect"):
        if key not in raw:
            raise ValueError(f"{path}: field {key!r} is missing")
    outcome = raw["expect"].get("outcome")
    if outcome not in ("eligible", "not_eligible", "error"):
        raise ValueError(f"{path}: expect.outcome must be eligible, not_eligible or error")
    return ConformanceCase(
        path=path,
        name=raw["name"],
        certification=raw["certification"],
        as_of=parse_iso_date(raw["as_of"]),
        dossier=raw["dossier"],
        expect=raw["expect"],
        track=raw.get("track"),
        description=raw.get("description", ""),
        rule=raw.get("rule", ""),
    )


def find_cases(directory: Path) -> Iterator[ConformanceCase]:
    """Yield every case under ``directory`` (``*.json``, recursively), sorted by path."""
    for path in sorted(directory.rglob("*.json")):
        yield load_case(path)


def _error_paths(exc: DossierError | UnknownCertification | UnknownTrack) -> list[str]:
    """The JSON paths an error is about; unknown names are about the dossier field naming them."""
    if isinstance(exc, DossierError):
        return [error.path for error in exc.errors]
    return ["certification"] if isinstance(exc, UnknownCertification) else ["track"]


def check_case(case: ConformanceCase, registry: Registry | None = None) -> list[str]:
    """Replay ``case``; return the differences from what it expects (empty: it conforms)."""
    expect = case.expect
    try:
        decision = evaluate(
            case.dossier,
            certification=case.certification,
            track=case.track,
            as_of=case.as_of,
            registry=registry,
        )
    except (DossierError, UnknownCertification, UnknownTrack) as exc:
        if expect["outcome"] != "error":
            return [f"expected a decision, got errors: {exc}"]
        got = sorted(_error_paths(exc))
        want = sorted(expect.get("error_paths", got))
        return [] if got == want else [f"error paths: expected {want}, got {got}"]
    problems: list[str] = []
    if expect["outcome"] == "error":
        return [f"expected errors, got outcome {decision.outcome.value}"]
    if decision.outcome.value != expect["outcome"]:
        problems.append(f"outcome: expected {expect['outcome']}, got {decision.outcome.value}")
    unmet = sorted(r.id for r in decision.requirements if not r.met)
    if "unmet" in expect and sorted(expect["unmet"]) != unmet:
        problems.append(f"unmet: expected {sorted(expect['unmet'])}, got {unmet}")
    if "track" in expect and expect["track"] != decision.track:
        problems.append(f"track: expected {expect['track']}, got {decision.track}")
    problems.extend(_details(decision, expect))
    return problems


def _details(decision: Decision, expect: dict[str, Any]) -> list[str]:
    """The differences in bases, missing codes, measures, not-counted reasons and flags."""
    problems: list[str] = []
    for requirement_id, basis in expect.get("basis", {}).items():
        got_basis = decision.requirement(requirement_id).basis
        value = got_basis.value if got_basis else None
        if value != basis:
            problems.append(f"basis of {requirement_id}: expected {basis}, got {value}")
    for requirement_id, codes in expect.get("missing", {}).items():
        listed = sorted(m.code for m in decision.requirement(requirement_id).missing if m.code)
        if listed != sorted(codes):
            problems.append(f"missing of {requirement_id}: expected {sorted(codes)}, got {listed}")
    for requirement_id, fields in expect.get("measure", {}).items():
        measure = decision.requirement(requirement_id).measure
        got_fields = {k: getattr(measure, k, None) for k in fields} if measure else None
        if got_fields != fields:
            problems.append(f"measure of {requirement_id}: expected {fields}, got {got_fields}")
    for requirement_id, reasons in expect.get("not_counted", {}).items():
        got_reasons = {
            getattr(n.evidence.item, "code", ""): n.reason
            for n in decision.requirement(requirement_id).not_counted
        }
        wanted = {code: got_reasons.get(code) for code in reasons}
        if wanted != reasons:
            problems.append(f"not_counted of {requirement_id}: expected {reasons}, got {wanted}")
    if "flags" in expect:
        flags = sorted(flag.code for flag in decision.flags)
        if flags != sorted(expect["flags"]):
            problems.append(f"flags: expected {sorted(expect['flags'])}, got {flags}")
    return problems
