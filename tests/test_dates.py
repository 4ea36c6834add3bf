"""Eligible from, eligible until: exact, checked against the engine on the days around them.

specs/core.md, "Eligible from, eligible until": evaluating on ``eligible_from`` gives an
eligible decision and on the day before a not-eligible one; evaluating on
``eligible_until`` gives an eligible decision and on the day after a not-eligible one.
The property tests check this on generated dossiers of every installed certification,
with the rule set pinned and, for the installed titles, with the rule set in force on each
day; the cases under tests/data/dates/ pin the dates worked out by hand.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from rulekit.api import evaluate
from rulekit.calendar import add_years, parse_iso_date
from rulekit.codec import decision_from_dict, decision_to_dict, decision_to_json
from rulekit.dates import HORIZON_YEARS, change_days
from rulekit.decision import Decision
from rulekit.dossier_io import load_dossier
from rulekit.registry import Registry, default_registry
from rulekit.schemas import load_schema
from rulekit.testing import strategies as rks
from rulekit.testing.scenarios import Scenario
from tests.conftest import EXAMPLES
from tests.helpers import registry_of
from tests.plugins import fictitious, fictitious_versions

DAY = timedelta(days=1)
CERTIFICATIONS = default_registry().declarations()
CASES_DIR = Path(__file__).parent / "data" / "dates"
CASES = sorted(CASES_DIR.glob("*.json"))
DECISION_SCHEMA = jsonschema.Draft202012Validator(load_schema("decision"))


def _at(
    scenario: Scenario, day: date, *, pinned: bool, registry: Registry | None = None
) -> Decision:
    return evaluate(
        scenario.dossier,
        certification=scenario.certification.id,
        as_of=day,
        ruleset_version=scenario.certification.version if pinned else None,
        registry=registry,
    )


def _check_dates(scenario: Scenario, *, pinned: bool, registry: Registry | None = None) -> None:
    """The dates said hold when the engine is evaluated on them and next to them."""
    decision = evaluate(
        scenario.dossier,
        certification=scenario.certification.id,
        as_of=scenario.as_of,
        ruleset_version=scenario.certification.version if pinned else None,
        registry=registry,
        dates=True,
    )
    plain = _at(scenario, scenario.as_of, pinned=pinned, registry=registry)
    declarations = (
        [scenario.certification]
        if pinned
        else [
            c.declaration for c in (registry or default_registry()).versions(plain.certification.id)
        ]
    )
    assert decision_to_dict(decision) == {
        **decision_to_dict(plain),
        **{k: v for k, v in decision_to_dict(decision).items() if k.startswith("eligible_")},
    }
    DECISION_SCHEMA.validate(decision_to_dict(decision))
    event(
        f"{decision.outcome.value}, from {'set' if decision.eligible_from else 'none'}, "
        f"until {'set' if decision.eligible_until else 'none'}"
    )
    if decision.eligible:
        assert decision.eligible_from is None
        until = decision.eligible_until
        if until is None:
            assert not decision.eligible_until_reasons
            dossier = load_dossier(json.dumps(scenario.dossier))
            for day in change_days(dossier, declarations):
                if day > scenario.as_of:
                    assert _at(scenario, day, pinned=pinned, registry=registry).eligible, day
            return
        assert until >= scenario.as_of
        assert decision.eligible_until_reasons
        assert _at(scenario, until, pinned=pinned, registry=registry).eligible
        assert not _at(scenario, until + DAY, pinned=pinned, registry=registry).eligible
        return
    assert decision.eligible_until is None
    assert not decision.eligible_until_reasons
    start = decision.eligible_from
    if start is None:
        # Not within the horizon: neither on any day something changes, nor at its end.
        horizon = add_years(scenario.as_of, HORIZON_YEARS)
        dossier = load_dossier(json.dumps(scenario.dossier))
        days = [d for d in change_days(dossier, declarations) if d <= horizon]
        for day in [*days, horizon]:
            if day > scenario.as_of:
                assert not _at(scenario, day, pinned=pinned, registry=registry).eligible, day
        return
    assert scenario.as_of < start <= add_years(scenario.as_of, HORIZON_YEARS)
    assert _at(scenario, start, pinned=pinned, registry=registry).eligible
    assert not _at(scenario, start - DAY, pinned=pinned, registry=registry).eligible


@pytest.mark.parametrize("certification", CERTIFICATIONS, ids=lambda c: f"{c.id}-{c.version}")
@settings(max_examples=60)
@given(data=st.data())
def test_dates_hold_on_generated_dossiers(certification: Any, data: st.DataObject) -> None:
    """On generated dossiers of each rule set, the dates are exactly where the engine says."""
    _check_dates(data.draw(rks.scenarios(certification)), pinned=True)


@pytest.mark.parametrize(
    "certification",
    [c for c in CERTIFICATIONS if c.id in ("casp_36625", "aip_12976")],
    ids=lambda c: c.id,
)
@settings(max_examples=60)
@given(data=st.data())
def test_dates_hold_with_the_rule_set_in_force(certification: Any, data: st.DataObject) -> None:
    """CASP and AIP with the rule set in force on each day, as ``rulekit evaluate`` takes it."""
    _check_dates(data.draw(rks.scenarios(certification)), pinned=False)


FICTITIOUS = registry_of(fictitious)
VERSIONS = fictitious_versions.registry()


@settings(max_examples=60)
@given(data=st.data())
def test_dates_hold_on_a_fictitious_title_with_an_award_deadline(data: st.DataObject) -> None:
    """Two tracks, blocs valid 2 years, a registration window and an award deadline."""
    scenario = data.draw(rks.scenarios(fictitious.DEMO))
    _check_dates(scenario, pinned=False, registry=FICTITIOUS)


@settings(max_examples=60)
@given(
    data=st.data(),
    version=st.sampled_from((fictitious_versions.VERSION_1, fictitious_versions.VERSION_2)),
)
def test_dates_hold_across_rule_set_versions(data: st.DataObject, version: Any) -> None:
    """A rule set taking effect on a day is a change day: the dates hold across it."""
    _check_dates(data.draw(rks.scenarios(version)), pinned=False, registry=VERSIONS)


def _fictitious(**fields: Any) -> dict[str, Any]:
    return {"format": "rulekit.dossier/1", "learner": {"id": "F1"}, **fields}


def test_award_deadline_ends_a_transitional_eligibility() -> None:
    """The award deadline ends a transitional eligibility.

    Enrolled while registered (to 2022-12-31), everything held and valid through
    2024-06-01: eligible as of 2023-03-01 by the transitional rule until the award
    deadline, 2023-12-31 (Code du travail, art. L6113-9; specs/core.md, Registration).
    """
    held = [
        {"code": c, "result": "passed", "date": "2022-06-01"}
        for c in ("AAA001", "AAA002", "BBB001")
    ]
    dossier = _fictitious(
        certification="demo_00000",
        enrolled_on="2021-01-01",
        units=held,
        blocks=[{"code": "RNCP00000BC01", "result": "passed", "date": "2022-06-01"}],
        experience=[{"start": "2021-01-01", "end": "2021-12-31", "in_field": True}],
    )
    decision = evaluate(dossier, as_of=date(2023, 3, 1), registry=FICTITIOUS, dates=True)
    assert decision.eligible
    assert decision.eligible_until == date(2023, 12, 31)
    assert [(r.requirement, r.reason) for r in decision.eligible_until_reasons] == [
        ("registration", "award_deadline_passed")
    ]


def test_a_new_rule_set_ends_an_eligibility() -> None:
    """A new rule set ends an eligibility on the day it takes effect.

    Version 1 asks 12 months of experience, version 2 (from 2023-09-01) 18 and FIC104: a
    dossier meeting version 1 only is eligible until 2023-08-31, and says why.
    """
    units = [
        {"code": c, "result": "passed", "date": "2022-06-01"}
        for c in ("FIC101", "FIC102", "FIC103", "FIC201")
    ]
    dossier = _fictitious(
        certification=fictitious_versions.CERTIFICATION_ID,
        units=units,
        experience=[{"start": "2021-01-01", "end": "2021-12-31", "in_field": True}],
    )
    decision = evaluate(dossier, as_of=date(2023, 6, 1), registry=VERSIONS, dates=True)
    assert decision.eligible
    assert decision.eligible_until == date(2023, 8, 31)
    assert [(r.requirement, r.reason) for r in decision.eligible_until_reasons] == [
        (None, "ruleset_changed")
    ]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_pinned_dates(path: Path) -> None:
    """Each hand-worked case: the outcome, both dates and why the eligibility ends."""
    case = json.loads(path.read_text(encoding="utf-8"))
    expect = case["expect"]
    decision = evaluate(
        case["dossier"],
        certification=case["certification"],
        track=case.get("track"),
        as_of=parse_iso_date(case["as_of"]),
        dates=True,
    )
    body = decision_to_dict(decision)
    DECISION_SCHEMA.validate(body)
    assert body["outcome"] == expect["outcome"]
    assert body.get("eligible_from") == expect.get("eligible_from")
    assert body.get("eligible_until") == expect.get("eligible_until")
    assert body.get("eligible_until_reasons", []) == expect.get("eligible_until_reasons", [])
    # Day by day up to each date: the change is exactly there.
    if "eligible_from" in expect:
        first = parse_iso_date(expect["eligible_from"])
        for offset in range(-3, 1):
            when = first + offset * DAY
            if when >= decision.as_of:
                assert _eligible_on(case, when) == (offset == 0), when
    if "eligible_until" in expect:
        last = parse_iso_date(expect["eligible_until"])
        for offset in range(-3, 2):
            when = last + offset * DAY
            if when >= decision.as_of:
                assert _eligible_on(case, when) == (offset <= 0), when


def _eligible_on(case: dict[str, Any], when: date) -> bool:
    return evaluate(case["dossier"], certification=case["certification"], as_of=when).eligible


def test_dates_are_omitted_unless_asked() -> None:
    """Without ``dates=True`` the decision's bytes are those of every earlier release."""
    dossier = (EXAMPLES / "casp_national.json").read_bytes()
    plain = evaluate(dossier, as_of=date(2023, 1, 1))
    asked = evaluate(dossier, as_of=date(2023, 1, 1), dates=True)
    assert "eligible_from" not in decision_to_json(plain)
    assert asked.eligible_from is not None
    assert decision_to_dict(asked)["eligible_from"] == asked.eligible_from.isoformat()


def test_dates_round_trip_through_json() -> None:
    """A decision with its dates and reasons reads back as the same decision."""
    path = CASES_DIR / "01-aip-leap-day-bloc-until-28-february.json"
    case = json.loads(path.read_text(encoding="utf-8"))
    decision = evaluate(case["dossier"], as_of=parse_iso_date(case["as_of"]), dates=True)
    assert decision.eligible_until_reasons
    assert decision_from_dict(decision_to_dict(decision)) == decision
