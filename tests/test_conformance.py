"""Replays the conformance cases of specs/conformance/ against the installed plugins.

Each case is a dossier, an as-of date and the decision the specs expect, worked out by hand
(specs/core.md, "Conformance cases"). A case whose expectation is known to disagree with the
engine, pending a decision, carries ``xfail_reason``; it is then a strict expected failure,
so that fixing either side is noticed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import rulekit
from rulekit.registry import Registry
from rulekit.testing.conformance import ConformanceCase, check_case, find_cases
from tests.conftest import ROOT, SPECS

CASES_DIR = SPECS / "conformance"
CASES = list(find_cases(CASES_DIR))
MIN_CASES = 15
"""Project rule: at least 15 cases per certification (specs/core.md, "Conformance cases")."""
DOSSIER_SCHEMA = Path(rulekit.__file__).parent / "schemas" / "dossier.schema.json"
FICTITIOUS_FIELDS = ("name", "employer", "host", "granted_by")
"""Dossier fields naming people or organisations; in cases they must be marked fictitious."""


def _raw(case: ConformanceCase) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(case.path.read_text(encoding="utf-8"))
    return value


def _param(case: ConformanceCase) -> Any:
    reason = _raw(case).get("xfail_reason")
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_case_conforms(case: ConformanceCase, installed: Registry) -> None:
    """The engine's decision (or errors) for the case's dossier is the one the specs expect."""
    problems = check_case(case, installed)
    assert not problems, f"{case.path.relative_to(ROOT)}: " + "; ".join(problems)


def test_every_certification_has_enough_cases(installed: Registry) -> None:
    """Each installed certification has at least 15 conformance cases."""
    counts = Counter(case.certification for case in CASES)
    assert installed.ids(), "no certification installed"
    for certification in installed.ids():
        assert counts[certification] >= MIN_CASES, (certification, counts[certification])


def test_cases_are_filed_and_named_consistently() -> None:
    """Cases live in the directory of their certification and have unique, prefixed names."""
    names = Counter(case.name for case in CASES)
    assert [name for name, n in names.items() if n > 1] == []
    for case in CASES:
        assert case.path.parent.name == case.certification, case.path
        assert case.name.startswith(case.certification.split("_")[0] + "-"), case.name
        assert case.description.strip(), case.name


def _anchors(markdown: Path) -> set[str]:
    """Return the anchors GitHub derives from the headings of a Markdown file."""
    anchors = set()
    for line in markdown.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^#{1,6}\s+(.*)$", line)
        if heading:
            text = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower())
            anchors.add(text.replace(" ", "-"))
    return anchors


def test_every_case_links_to_an_existing_spec_section() -> None:
    """Each case's ``rule`` names a file of specs/ and one of its section headings."""
    for case in CASES:
        document, _, anchor = case.rule.partition("#")
        path = ROOT / document
        assert path.is_file() and path.parent == SPECS, (case.name, case.rule)
        assert anchor in _anchors(path), (case.name, case.rule)


def _people(value: Any) -> list[str]:
    """Return every string under a field that names a person or organisation."""
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k in FICTITIOUS_FIELDS and isinstance(v, str)]
        return found + [s for v in value.values() for s in _people(v)]
    if isinstance(value, list):
        return [s for item in value for s in _people(item)]
    return []


def test_people_and_organisations_are_marked_fictitious() -> None:
    """Learners, employers, hosts and jury names in cases say they are fictitious."""
    for case in CASES:
        for text in _people(case.dossier):
            assert "fictitious" in text.lower(), (case.name, text)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.expect["outcome"] != "error"], ids=lambda c: c.name
)
def test_case_dossier_matches_published_schema(case: ConformanceCase) -> None:
    """Every valid case dossier validates against the published dossier JSON Schema."""
    if not DOSSIER_SCHEMA.is_file():
        pytest.skip("rulekit/schemas/dossier.schema.json is not published yet")
    schema = json.loads(DOSSIER_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(case.dossier)
