"""A small local dossier strategy for the audit tests (rulekit.testing's is written apart).

It draws valid ``rulekit.dossier/1`` JSON objects for CASP 36625 and for the fictitious
two-version certification: units among the declared codes (passed, failed, in progress,
exempted), experience and internship periods (overlapping, part-time, ongoing), waivers,
with or without a track; and an as-of date. Learner names are fictitious.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st
from rulekit_casp_36625.declaration import ECTS_NOUVELLE_AQUITAINE, NATIONAL_CHOICE
from rulekit_casp_36625.declaration import NATIONAL_MANDATORY as CASP_NATIONAL

CERTIFICATIONS: dict[str, tuple[tuple[str, ...], tuple[str | None, ...]]] = {
    "casp_36625": (
        (*CASP_NATIONAL, *NATIONAL_CHOICE, *ECTS_NOUVELLE_AQUITAINE, "UASO03"),
        (None, "national", "nouvelle-aquitaine"),
    ),
    "fictitious_title": (
        ("FIC101", "FIC102", "FIC103", "FIC104", "FIC201", "FIC202"),
        (None, "main"),
    ),
}

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2025, 12, 31))


@st.composite
def _unit(draw: st.DrawFn, codes: tuple[str, ...]) -> dict[str, Any]:
    result = draw(st.sampled_from(("passed", "passed", "passed", "failed", "in_progress")))
    unit: dict[str, Any] = {"code": draw(st.sampled_from(codes)), "result": result}
    if result != "in_progress" or draw(st.booleans()):
        unit["date"] = draw(days).isoformat()
    if draw(st.booleans()):
        unit["grade"] = draw(st.sampled_from((8, 10, 12.5, 15.25)))
    if result == "passed" and draw(st.integers(0, 5)) == 0:
        unit["via"] = "exemption"
    return unit


@st.composite
def _period(draw: st.DrawFn, experience: bool) -> dict[str, Any]:
    start = draw(days)
    period: dict[str, Any] = {"start": start.isoformat(), "in_field": draw(st.booleans())}
    if draw(st.integers(0, 4)) == 0:
        period["end"] = None
    else:
        period["end"] = (start + timedelta(days=draw(st.integers(0, 900)))).isoformat()
    if experience:
        period["fte"] = draw(st.sampled_from((1.0, 0.5, 0.8, 0.1)))
        period["employer"] = "Fictitious employer"
    return period


@st.composite
def dossiers(draw: st.DrawFn) -> tuple[dict[str, Any], date]:
    """Return a valid dossier (JSON object) and an as-of date."""
    certification = draw(st.sampled_from(sorted(CERTIFICATIONS)))
    codes, tracks = CERTIFICATIONS[certification]
    dossier: dict[str, Any] = {
        "format": "rulekit.dossier/1",
        "learner": {
            "id": draw(st.from_regex(r"[A-Z][0-9]{3,6}", fullmatch=True)),
            "name": draw(st.sampled_from((None, "Fictitious Learner", "Élodie Fictive"))),
        },
        "certification": certification,
        "units": draw(st.lists(_unit(codes), max_size=18)),
        "experience": draw(st.lists(_period(True), max_size=3)),
        "internships": draw(st.lists(_period(False), max_size=2)),
    }
    track = draw(st.sampled_from(tracks))
    if track is not None:
        dossier["track"] = track
    if draw(st.booleans()):
        dossier["enrolled_on"] = draw(days).isoformat()
    if draw(st.integers(0, 3)) == 0:
        dossier["waivers"] = [
            {
                "requirement": draw(st.sampled_from(("experience", "internship"))),
                "granted_by": "Fictitious jury",
                "date": draw(days).isoformat(),
                "reason": 'Fictitious reason <b>& "quotes"</b>',
            }
        ]
    return dossier, draw(days)
