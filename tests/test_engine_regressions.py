"""Engine bugs found by the invariant suite (rulekit.testing.invariants), one example each."""

from __future__ import annotations

from datetime import date

import rulekit
from rulekit.decision import Basis, RequirementResult
from rulekit.dossier import Result, UnitResult
from tests.helpers import dossier, job, registry_of
from tests.plugins import fictitious


def test_a_part_time_period_listed_twice_counts_once() -> None:
    """Invariant 5: the same half-time item listed twice is one half-time job, not full time."""
    once = job("2020-01-01", "2020-12-31", in_field=False, fte=0.5)
    as_of = date(2021, 6, 30)

    def counted(*items: dict[str, object]) -> float | None:
        decision = rulekit.evaluate(
            dossier(experience=list(items)), certification="casp_36625", as_of=as_of
        )
        measure = decision.requirement("experience").measure
        return None if measure is None else measure.counted_days

    assert counted(once) == 183.0  # 366 days of 2020 at half time
    assert counted(once, dict(once)) == 183.0
    other_employer = {**once, "employer": "Fictitious employer B"}
    assert counted(once, other_employer) == 366.0, "two half-time jobs still make full time"


def test_an_expired_attestation_says_it_expired() -> None:
    """Invariant 4: experience lost when its attesting unit expires says why (not_counted)."""
    value = dossier(units=[{"code": "XXX001", "result": "passed", "date": "2021-01-10"}])
    registry = registry_of(fictitious)

    def experience(day: date) -> RequirementResult:
        decision = rulekit.evaluate(
            value, certification="demo_00000", track="beta", as_of=day, registry=registry
        )
        return decision.requirement("experience")

    assert experience(date(2023, 1, 10)).basis is Basis.ATTESTATION  # through date + 2 years
    lost = experience(date(2023, 1, 11))
    assert not lost.met
    assert [(n.evidence.item, n.reason) for n in lost.not_counted] == [
        (UnitResult("XXX001", Result.PASSED, date(2021, 1, 10)), "expired")
    ]
