"""The reference evaluator (rulekit/testing/reference.py) is independent and right.

It shares no engine code, gets the specs' worked examples right, and agrees with the
engine on the fictitious DEMO certification.

Invariant 9 runs it against the installed certifications (tests/test_invariants.py); DEMO
adds what they lack: components that expire, an award deadline, a unit both mandatory and
in a choice group.
"""

from __future__ import annotations

import ast
from datetime import date
from fractions import Fraction
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from rulekit.api import evaluate
from rulekit.kinds import CORE_KINDS
from rulekit.testing import reference as ref
from rulekit.testing import strategies as rks
from tests.helpers import dossier, job, registry_of
from tests.plugins import fictitious

REGISTRY = registry_of(fictitious)
ENGINE_MODULES = (
    "rulekit.engine",
    "rulekit.rules",
    "rulekit.months",
    "rulekit.matching",
    "rulekit.calendar",
    "rulekit.codec",
    "rulekit.ordering",
    "rulekit.api",
)


def test_shares_no_engine_code() -> None:
    """The reference imports nothing from the engine: only the declaration's data classes."""
    tree = ast.parse(Path(ref.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    rulekit_modules = {name for name in imported if name.startswith("rulekit")}
    assert rulekit_modules == {"rulekit.declaration"}
    assert not [m for m in imported if m.startswith(ENGINE_MODULES)]


def test_months_worked_examples_of_the_specs() -> None:
    """specs/core.md, Months: the worked examples, by the reference's own arithmetic."""
    assert (ref.shortest_months(3), ref.shortest_months(12), ref.shortest_months(18)) == (
        89,
        365,
        546,
    )

    def days(first: str, last: str, fraction: Fraction = Fraction(1)) -> Fraction:
        return ref.days_worked([(date.fromisoformat(first), date.fromisoformat(last), fraction)])

    assert days("2021-09-15", "2023-03-14") == 546 and ref.months_reached(Fraction(546), 18)
    assert days("2021-09-15", "2023-03-13") == 545 and not ref.months_reached(Fraction(545), 18)
    assert days("2019-09-02", "2021-02-28") == 546
    assert days("2019-09-01", "2021-02-28") == 547
    half = (date(2019, 9, 1), date(2022, 8, 31), Fraction(1, 2))
    assert ref.days_worked([half]) == 548
    assert ref.days_worked([half, half]) == 1096, "two half-time jobs make full time"
    full = (date(2019, 9, 1), date(2020, 12, 31), Fraction(1))
    later = (date(2020, 6, 1), date(2021, 1, 31), Fraction(1))
    assert ref.days_worked([full, later]) == 519, "overlapping days counted once"


def test_presence_hours_of_internships() -> None:
    """Code de l'éducation D124-6: 462 hours are 3 months; an unfinished internship, nothing."""
    ended = {"start": "2021-01-04", "end": "2021-04-30", "in_field": True, "hours": 462}
    assert ref.presence_of([ended], date(2021, 4, 30), in_field_only=True) == 3
    assert ref.presence_of([ended], date(2021, 4, 29), in_field_only=True) == 0
    assert ref.presence_of([{**ended, "hours": 461}], date(2022, 1, 1), in_field_only=True) < 3
    assert ref.periods_as_of([ended], date(2022, 1, 1), in_field_only=True, with_fte=False) == []


def test_calendar_worked_examples_of_the_specs() -> None:
    """specs/core.md, Calendar arithmetic and Validity: 29 February, through the anniversary."""
    assert ref.plus_years(date(2008, 2, 29), 5) == date(2013, 2, 28)
    assert ref.plus_years(date(2008, 2, 29), 4) == date(2012, 2, 29)
    acquired = {"code": "X", "result": "passed", "date": "2008-02-29"}
    assert ref.component_counts(acquired, date(2013, 2, 28), 5)
    assert not ref.component_counts(acquired, date(2013, 3, 1), 5)
    june = {"code": "X", "result": "passed", "date": "2009-06-20"}
    assert ref.component_counts(june, date(2014, 6, 20), 5)
    assert not ref.component_counts(june, date(2014, 6, 21), 5)


def test_a_duplicated_item_is_one_period() -> None:
    """The same experience item listed twice counts once; two distinct half-time jobs add."""
    half = job("2019-09-01", "2022-08-31", fte=0.5)
    periods = ref.periods_as_of(
        [half, dict(half)], date(2023, 1, 1), in_field_only=False, with_fte=True
    )
    assert ref.days_worked(periods) == 548
    other = {**half, "employer": "Fictitious employer B"}
    periods = ref.periods_as_of([half, other], date(2023, 1, 1), in_field_only=False, with_fte=True)
    assert ref.days_worked(periods) == 1096


def test_best_track_and_waivers() -> None:
    """No track named: the best track; a waiver dated on the as-of date applies."""
    value = dossier(
        units=[{"code": "CCC001", "result": "passed", "date": "2021-03-01"}],
        waivers=[
            {"requirement": name, "granted_by": "Jury fictif", "date": "2021-06-01", "reason": "r"}
            for name in ("experience", "internship", "blocks")
        ],
    )
    verdict = ref.evaluate(fictitious.DEMO, value, date(2021, 6, 1), None, kinds=CORE_KINDS)
    assert (verdict.outcome, verdict.track, verdict.unmet) == ("eligible", "beta", frozenset())
    day_before = ref.evaluate(fictitious.DEMO, value, date(2021, 5, 31), None, kinds=CORE_KINDS)
    assert day_before.unmet == {"experience", "internship", "blocks"}


@given(rks.scenarios(fictitious.DEMO))
def test_agrees_with_the_engine_on_the_fictitious_certification(scenario: rks.Scenario) -> None:
    """Outcome, track and unmet ids of every track: the reference and the engine agree."""
    decision = evaluate(
        scenario.dossier, certification="demo_00000", as_of=scenario.as_of, registry=REGISTRY
    )
    verdict = ref.evaluate(
        fictitious.DEMO, scenario.dossier, scenario.as_of, None, kinds=CORE_KINDS
    )
    unmet = frozenset(r.id for r in decision.requirements if not r.met)
    assert (decision.outcome.value, decision.track, unmet) == (
        verdict.outcome,
        verdict.track,
        verdict.unmet,
    )
    others = {other.track: frozenset(other.unmet) for other in decision.other_tracks}
    assert others == {k: v for k, v in verdict.per_track.items() if k != decision.track}


@given(rks.near_complete_scenarios(fictitious.DEMO), st.sampled_from(("alpha", "beta")))
def test_agrees_on_a_named_track(scenario: rks.Scenario, track: str) -> None:
    """With a track named, the reference and the engine leave the same requirements unmet."""
    decision = evaluate(
        scenario.dossier,
        certification="demo_00000",
        as_of=scenario.as_of,
        track=track,
        registry=REGISTRY,
    )
    verdict = ref.evaluate(
        fictitious.DEMO, scenario.dossier, scenario.as_of, track, kinds=CORE_KINDS
    )
    assert frozenset(r.id for r in decision.requirements if not r.met) == verdict.unmet
