"""The « Recevable jusqu'au » and « Recevable à partir du » sentences, in the report and page.

French and English, with the typography of :mod:`rulekit.french` (a date in words, « 1er »,
the narrow no-break spaces of « guillemets »), checked against the glossary of forbidden
forms of tests/test_french.py.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import rulekit
from rulekit.calendar import parse_iso_date
from rulekit.dates import until_text
from rulekit.decision import Decision
from rulekit.french import NNBSP
from rulekit.log.page import render_page
from rulekit.report import render
from tests.test_french import _record, violations, visible_text

CASES_DIR = Path(__file__).parent / "data" / "dates"
BC01 = "RNCP12976BC01 — Accueillir et informer les publics"


def _case(name: str) -> tuple[Decision, dict[str, Any]]:
    case = json.loads((CASES_DIR / name).read_text(encoding="utf-8"))
    decision = rulekit.evaluate(case["dossier"], as_of=parse_iso_date(case["as_of"]), dates=True)
    return decision, case["dossier"]


EXPECTED = {
    ("01-aip-leap-day-bloc-until-28-february.json", "fr"): "Recevable jusqu'au 28 février "
    f"2013 (expiration du bloc {BC01}).",
    ("01-aip-leap-day-bloc-until-28-february.json", "en"): "Eligible until 28 February 2013 "
    f"(expiry of block {BC01}).",
    ("05-aip-enrolled-transitional-until-blocs-expire.json", "fr"): "Recevable jusqu'au 1er "
    "janvier 2019 (expiration des blocs RNCP12976BC01, RNCP12976BC02, RNCP12976BC03 et "
    "RNCP12976BC04).",
    ("05-aip-enrolled-transitional-until-blocs-expire.json", "en"): "Eligible until 1 January "
    "2019 (expiry of blocks RNCP12976BC01, RNCP12976BC02, RNCP12976BC03 and RNCP12976BC04).",
    ("04-aip-registration-ends-no-enrolment.json", "fr"): "Recevable jusqu'au 7 septembre 2016 "
    "(fin de l'enregistrement du titre au RNCP).",
    ("04-aip-registration-ends-no-enrolment.json", "en"): "Eligible until 7 September 2016 "
    "(end of the title's RNCP registration).",
    ("10-casp-half-time-ongoing-reaches-546-days.json", "fr"): "Recevable à partir du 28 "
    "décembre 2023, si les périodes en cours se poursuivent et que rien d'autre ne change.",
    ("10-casp-half-time-ongoing-reaches-546-days.json", "en"): "Eligible from 28 December "
    "2023, if ongoing periods continue and nothing else changes.",
}


@pytest.mark.parametrize(("name", "lang"), sorted(EXPECTED))
def test_report_and_page_say_the_date(name: str, lang: str) -> None:
    """The text report has the sentence as a line of its own; the page shows it too."""
    decision, dossier = _case(name)
    sentence = EXPECTED[name, lang]
    report = render(decision, lang)
    assert sentence in report.splitlines()
    assert report.splitlines().index(sentence) == 7  # right after the outcome
    page = visible_text(render_page(_record(decision, dossier), lang))
    assert sentence in page
    ours = sentence.replace("Accueillir et informer les publics", "")
    assert violations(ours, lang) == []


def test_without_dates_nothing_is_said() -> None:
    """A decision taken without ``dates=True`` has no such line (its report is unchanged)."""
    case = json.loads((CASES_DIR / "01-aip-leap-day-bloc-until-28-february.json").read_text())
    decision = rulekit.evaluate(case["dossier"], as_of=date(2012, 6, 1))
    assert not any(line.startswith("Recevable ") for line in render(decision, "fr").splitlines())


def test_other_reasons_read_as_sentences() -> None:
    """A unit's expiry, a requirement no longer met, a new rule set, in both languages."""
    unit = {"requirement": "units", "reason": "expired", "kind": "unit", "code": "UA211G"}
    course = {"requirement": "units", "reason": "expired", "kind": "unit", "code": "TET099"}
    custom = {"requirement": "ects", "reason": "no_longer_met"}
    rules = {"requirement": None, "reason": "ruleset_changed"}
    assert until_text("2024-03-01", [unit], "fr") == (
        "Recevable jusqu'au 1er mars 2024 (expiration de l'unité UA211G)."
    )
    assert until_text("2024-03-01", [unit, course], "fr") == (
        "Recevable jusqu'au 1er mars 2024 (expiration de l'unité UA211G et de l'UE TET099)."
    )
    assert until_text("2024-03-01", [custom, rules], "fr") == (
        f"Recevable jusqu'au 1er mars 2024 (la condition «{NNBSP}Crédits ECTS{NNBSP}» cesse "
        "d'être remplie et entrée en vigueur d'un autre jeu de règles)."
    )
    assert until_text("2024-03-01", [unit, course, custom], "en") == (
        "Eligible until 1 March 2024 (expiry of units UA211G and TET099 and the requirement "
        "\u201cECTS credits\u201d is no longer met)."
    )
    for lang in ("fr", "en"):
        assert violations(until_text("2024-03-01", [unit, course, custom, rules], lang), lang) == []
