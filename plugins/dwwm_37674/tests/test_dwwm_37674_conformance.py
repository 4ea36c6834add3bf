"""The conformance cases of dwwm_37674, replayed against the installed plugin."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulekit.testing.conformance import ConformanceCase, check_case, find_cases

CASES = Path(__file__).resolve().parents[3] / "specs" / "conformance" / "dwwm_37674"


def test_cases_exist() -> None:
    """The spec has conformance cases (an empty folder would replay nothing)."""
    assert list(find_cases(CASES))


@pytest.mark.parametrize("case", list(find_cases(CASES)), ids=lambda case: case.name)
def test_conformance_case(case: ConformanceCase) -> None:
    """The engine gives the decision the case expects."""
    assert case.certification == "dwwm_37674"
    assert check_case(case) == []
