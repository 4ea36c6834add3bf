"""rulekit.kit.witness: the smallest eligible dossier of each track, or why none exists."""

from __future__ import annotations

from datetime import date

import pytest

from rulekit.api import evaluate
from rulekit.declaration import Certification, ExperienceRule, Registration, Track
from rulekit.kit.witness import TrackWitness, build_witness, build_witnesses
from rulekit.registry import PluginInfo, Registry
from tests.plugins import grade_rule
from tests.plugins.kit_declarations import (
    CLEAN,
    CUSTOM,
    WITH_PERIODS,
    FictitiousPlugin,
    certification,
    group,
    track,
)


def _registry(*certifications: Certification, rule_types: bool = False) -> Registry:
    plugins = [PluginInfo("fict", "rulekit-fict", "0.0.1", FictitiousPlugin(*certifications))]
    if rule_types:
        plugins.append(PluginInfo("grade", "rulekit-grade", "0.0.1", grade_rule))
    registry = Registry.from_plugins(plugins)
    assert registry.problems == ()
    return registry


def _witness(declared: Certification, track_id: str = "main", **kw: bool) -> TrackWitness:
    registry = _registry(declared, **kw)
    return build_witness(registry.certification(declared.id, date(2024, 1, 1)), track_id, registry)


def _eligible(witness: TrackWitness, registry: Registry) -> bool:
    return evaluate(
        witness.dossier,
        certification=witness.certification,
        track=witness.track,
        as_of=witness.as_of,
        registry=registry,
    ).eligible


def test_witness_fills_every_slot_with_one_unit() -> None:
    """Two mandatory units and one of a group: a three-unit dossier, eligible."""
    witness = _witness(CLEAN)
    assert witness.found
    assert [u["code"] for u in witness.dossier["units"]] == ["FIC001", "FIC002", "FIC010"]
    assert witness.size == 3
    assert _eligible(witness, _registry(CLEAN))


def test_witness_is_minimal_each_item_is_needed() -> None:
    """Dropping any single item of a witness makes the dossier not eligible."""
    registry = _registry(WITH_PERIODS)
    witness = build_witness(
        registry.certification("fict_99002", date(2024, 1, 1)), "main", registry
    )
    assert witness.found
    for key in ("units", "blocks", "experience", "internships"):
        for index in range(len(witness.dossier.get(key, []))):
            smaller = dict(witness.dossier)
            smaller[key] = [item for i, item in enumerate(smaller[key]) if i != index]
            less = TrackWitness(
                witness.certification,
                witness.version,
                witness.track,
                witness.as_of,
                smaller,
                (),
            )
            assert not _eligible(less, registry), (key, index)


def test_witness_uses_the_attesting_unit_when_it_is_smaller() -> None:
    """Experience 12 months and an internship unless 24 in the field, both attested by FICEXP.

    Periods need one in-field period of 24 months (1 item); the attestation needs one unit
    (1 item): equal sizes, so the periods are kept, and the as-of is the registration start.
    """
    witness = _witness(WITH_PERIODS)
    assert witness.as_of == date(2020, 1, 31)
    assert witness.dossier["experience"] == [
        {"start": "2018-02-01", "end": "2020-01-31", "in_field": True}
    ]
    assert "internships" not in witness.dossier
    assert [b["code"] for b in witness.dossier["blocks"]] == ["RNCP99002BC01"]


def test_witness_uses_the_transitional_rule_when_effective_after_registration() -> None:
    """A rule set taking effect after the registration ended: enrolment inside the window."""
    declared = certification(
        registration=Registration(date(2020, 1, 1), date(2022, 12, 31), date(2024, 12, 31)),
        effective_from=date(2023, 6, 1),
    )
    witness = _witness(declared)
    assert witness.found
    assert witness.as_of == date(2023, 6, 1)
    assert witness.dossier["enrolled_on"] == "2020-01-01"


def test_no_witness_for_an_unsatisfiable_group() -> None:
    """Choose 2 among FIC001 (mandatory) and FIC010: proven impossible, group named."""
    declared = certification(tracks=(track("FIC001", choices=(group(2, "FIC001", "FIC010"),)),))
    witness = _witness(declared)
    assert not witness.found
    assert witness.proven_impossible
    assert [(u.requirement, u.proven) for u in witness.unmet] == [("choice", True)]
    assert (
        "group 0 asks for 2 among 2 units (FIC001, FIC010) but at most 1" in witness.unmet[0].reason
    )


def test_no_witness_for_a_malformed_unit_code() -> None:
    """A mandatory code no dossier can hold: the units requirement can never be met."""
    witness = _witness(certification(tracks=(track("FIC001", "fic_2"),)))
    assert witness.proven_impossible
    assert witness.unmet[0].requirement == "units"
    assert "'fic_2' is malformed" in witness.unmet[0].reason


def test_no_witness_when_validity_is_negative() -> None:
    """Validity -1 year: every unit has expired before it is acquired.

    (0 years would still count on the day of acquisition, through date + 0 years inclusive.)
    """
    witness = _witness(certification(validity_years=-1))
    assert witness.proven_impossible
    assert {u.requirement for u in witness.unmet} == {"units", "choice"}
    assert all("expired before it is acquired" in u.reason for u in witness.unmet)


def test_no_witness_for_an_empty_registration_window() -> None:
    """registered_until before registered_from: registration can never be met."""
    declared = certification(registration=Registration(date(2025, 1, 1), date(2024, 1, 1)))
    witness = _witness(declared)
    assert [u.requirement for u in witness.unmet] == ["registration"]
    assert "registration window is empty" in witness.unmet[0].reason


def test_plugin_rule_type_is_undetermined_not_impossible() -> None:
    """The builder cannot make evidence for a plugin rule: unmet, but not a proof."""
    witness = _witness(CUSTOM, rule_types=True)
    assert not witness.found
    assert not witness.proven_impossible
    assert witness.unmet[0].requirement == "grade"
    assert "'fict_grade'" in witness.unmet[0].reason


def test_witnesses_of_installed_titles_are_eligible(installed: Registry) -> None:
    """CASP 36625 (both tracks) and AIP 12976 each have an eligible witness."""
    witnesses = {(w.certification, w.track): w for w in build_witnesses(installed)}
    assert witnesses[("casp_36625", "national")].found
    assert witnesses[("casp_36625", "nouvelle-aquitaine")].found
    aip = witnesses[("aip_12976", "default")]
    assert aip.found
    assert aip.as_of == date(2004, 6, 25)
    assert len(aip.dossier["blocks"]) == 4


@pytest.mark.parametrize("months", [1, 18, 24])
def test_experience_period_is_exactly_the_months_required(months: int) -> None:
    """The witness period counts the months asked for and a day less would not."""
    declared = certification(
        tracks=(Track(id="main", title="Experience only"),),
        experience=ExperienceRule(months=months),
        registration=Registration(date(2021, 3, 31), date(2026, 1, 1)),
    )
    registry = _registry(declared)
    witness = build_witness(registry.certification(declared.id, date(2024, 1, 1)), "main", registry)
    assert witness.found
    period = witness.dossier["experience"][0]
    shorter = dict(witness.dossier)
    start = date.fromisoformat(period["start"])
    shorter["experience"] = [{**period, "start": start.replace(day=start.day + 1).isoformat()}]
    less = TrackWitness(declared.id, "1", "main", witness.as_of, shorter, ())
    assert not _eligible(less, registry)
