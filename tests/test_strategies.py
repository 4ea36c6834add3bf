"""The strategies of rulekit.testing do what they claim.

Valid dossiers are valid and mean what they claim; invalid ones are refused exactly where
they claim; generated tracks share units.

Checked on both installed certifications and on the fictitious DEMO certification of
tests/plugins/fictitious.py, which uses what they do not (expiring components, an award
deadline, shared units between mandatory and choice slots).
"""

from __future__ import annotations

import copy
from datetime import date

import pytest
import rulekit_aip_12976
import rulekit_casp_36625
from hypothesis import find, given
from hypothesis import strategies as st

from rulekit.api import evaluate
from rulekit.calendar import add_years
from rulekit.declaration import Certification
from rulekit.dossier_io import dossier_from_dict, load_dossier, validate
from rulekit.engine.compiled import compile_certification
from rulekit.errors import DossierError
from rulekit.kinds import CORE_KINDS
from rulekit.registry import Registry
from rulekit.testing import strategies as rks
from rulekit.testing.broken import _TEXT_WAYS, FIELD_WAYS, REMOVE
from rulekit.testing.dates import dates_between, first_counting_day
from rulekit.testing.scenarios import LIST_KEYS, Scenario
from tests.helpers import registry_of
from tests.plugins import fictitious, skeleton

REGISTRY: Registry = registry_of(rulekit_casp_36625, rulekit_aip_12976, fictitious, skeleton)
CERTIFICATIONS = [
    rulekit_casp_36625.CASP_36625,
    rulekit_aip_12976.AIP_12976,
    fictitious.DEMO,
    skeleton.SKELETON,
]
IDS = [certification.id for certification in CERTIFICATIONS]
BREAKABLE = CERTIFICATIONS[:-1]
"""Certifications with a requirement a near-complete dossier can miss (not the skeleton)."""


def unmet_on_its_track(scenario: Scenario) -> frozenset[str]:
    decision = evaluate(
        scenario.dossier,
        certification=scenario.certification.id,
        track=scenario.track,
        as_of=scenario.as_of,
        registry=REGISTRY,
    )
    return frozenset(r.id for r in decision.requirements if not r.met)


@pytest.mark.parametrize("certification", CERTIFICATIONS, ids=IDS)
@given(data=st.data())
def test_scenarios_are_valid_dossiers(certification: Certification, data: st.DataObject) -> None:
    """Every generated dossier passes validation and evaluates."""
    scenario = data.draw(rks.scenarios(certification))
    assert validate(scenario.dossier) == []
    decision = evaluate(
        scenario.dossier, certification=certification.id, as_of=scenario.as_of, registry=REGISTRY
    )
    assert decision.as_of == scenario.as_of


@pytest.mark.parametrize("certification", CERTIFICATIONS, ids=IDS)
@given(data=st.data())
def test_complete_scenarios_meet_every_requirement(
    certification: Certification, data: st.DataObject
) -> None:
    """A complete dossier leaves nothing unmet on the track it was built for."""
    scenario = data.draw(rks.complete_scenarios(certification))
    assert unmet_on_its_track(scenario) == scenario.expect_unmet == frozenset()


@pytest.mark.parametrize("certification", BREAKABLE, ids=IDS[:-1])
@given(data=st.data())
def test_near_complete_scenarios_miss_exactly_their_defect(
    certification: Certification, data: st.DataObject
) -> None:
    """A near-complete dossier leaves exactly the requirement its defect breaks unmet."""
    scenario = data.draw(rks.near_complete_scenarios(certification))
    assert scenario.expect_unmet is not None
    assert len(scenario.expect_unmet) == 1
    assert unmet_on_its_track(scenario) == scenario.expect_unmet, scenario.defect


@pytest.mark.parametrize("certification", CERTIFICATIONS, ids=IDS)
@given(data=st.data())
def test_additions_keep_a_dossier_valid(certification: Certification, data: st.DataObject) -> None:
    """Adding a generated piece of evidence to a valid dossier keeps it valid."""
    scenario = data.draw(rks.arbitrary_scenarios(certification))
    addition = data.draw(rks.additions(certification, scenario.as_of))
    value = copy.deepcopy(scenario.dossier)
    value.setdefault(addition.key, []).append(addition.item)
    assert validate(value) == []


@pytest.mark.parametrize("certification", CERTIFICATIONS, ids=IDS)
@given(data=st.data())
def test_broken_dossiers_are_refused_where_they_claim(
    certification: Certification, data: st.DataObject
) -> None:
    """Each broken dossier is refused with errors at the path the strategy gives, only there.

    A waiver's malformed ``requirement`` gets two messages at that one path: malformed, and
    not a requirement of the certification.
    """
    broken = data.draw(rks.broken_dossiers(certification))
    with pytest.raises(DossierError) as raised:
        evaluate(
            broken.payload, certification=certification.id, as_of=broken.as_of, registry=REGISTRY
        )
    assert {error.path for error in raised.value.errors} == {broken.path}, broken.defect


def test_no_near_complete_dossier_without_requirements() -> None:
    """A declaration with no requirement has no near-complete dossier: said at once."""
    with pytest.raises(ValueError, match="no requirement that a dossier could miss"):
        rks.near_complete_scenarios(skeleton.SKELETON)


def _one_of_each() -> dict[str, object]:
    """A valid dossier with one item in each list, to break field by field."""
    return {
        "format": "rulekit.dossier/1",
        "learner": {"id": "L1", "name": "Apprenant fictif"},
        "certification": "demo_00000",
        "track": "alpha",
        "enrolled_on": "2021-01-04",
        "units": [{"code": "AAA001", "result": "passed", "date": "2021-06-30", "grade": 12}],
        "blocks": [{"code": "RNCP00000BC01", "result": "passed", "date": "2021-06-30"}],
        "experience": [{"start": "2020-01-01", "end": "2020-12-31", "in_field": True}],
        "internships": [{"start": "2021-03-01", "end": None, "in_field": True}],
        "waivers": [
            {"requirement": "units", "granted_by": "Jury", "date": "2021-07-01", "reason": "r"}
        ],
    }


def test_every_way_of_breaking_every_field_is_refused_at_its_path() -> None:
    """The whole catalogue of field defects: each one refused, at its path, alone."""
    assert validate(_one_of_each()) == []
    wrong = []
    count = 0
    for where, fields in FIELD_WAYS.items():
        for name, ways in fields.items():
            for way in ways:
                value = _one_of_each()
                target = value if where == "" else value["learner"] if where == "learner" else None
                path = name if where == "" else f"{where}.{name}"
                if target is None:
                    target = value[where][0]  # type: ignore[index]
                    path = f"{where}[0].{name}"
                assert isinstance(target, dict)
                if way is REMOVE:
                    target.pop(name, None)
                else:
                    target[name] = way
                paths = [error.path for error in validate(value)]
                count += 1
                if paths != [path]:
                    wrong.append(f"{path} = {way!r}: errors at {paths}")
    assert not wrong, "\n".join(wrong)
    assert count > 200
    assert set(FIELD_WAYS) == {"", "learner", *LIST_KEYS}


@pytest.mark.parametrize("way", sorted(_TEXT_WAYS))
def test_every_broken_text_is_refused_as_a_whole(way: str) -> None:
    """Text that is not a JSON dossier (truncated, NaN, not UTF-8...) is refused at ``$``."""
    text = '{"format": "rulekit.dossier/1", "learner": {"id": "L1"}}'
    data = _TEXT_WAYS[way](text, text.encode(), lambda strategy: 1)  # type: ignore[arg-type]
    with pytest.raises(DossierError) as raised:
        load_dossier(data)
    assert [error.path for error in raised.value.errors] == ["$"]


@given(rks.small_certifications())
def test_small_certifications_compile(certification: Certification) -> None:
    """Every generated declaration is one the engine compiles."""
    compiled = compile_certification(
        certification,
        plugin="generated",
        plugin_version="0",
        rule_types={kind.kind: kind for kind in CORE_KINDS},
    )
    assert compiled.tracks[0].rules


def test_small_tracks_share_units_between_mandatory_and_choice_slots() -> None:
    """The generated tracks include ones where a mandatory unit also fills a choice group."""

    def shared(track: object) -> bool:
        mandatory = {unit.code for unit in getattr(track, "mandatory", ())}
        groups = [group.codes for group in getattr(track, "choices", ())]
        return any(mandatory & codes for codes in groups) and len(groups) >= 2

    track = find(rks.small_tracks(), shared)
    assert shared(track)


@given(st.dates(date(1996, 1, 1), date(2040, 12, 31)), st.integers(1, 10), st.data())
def test_first_counting_day_is_the_validity_boundary(
    as_of: date, years: int, data: st.DataObject
) -> None:
    """A component counts on as-of iff acquired on or after first_counting_day."""
    first = first_counting_day(as_of, years)
    assert first is not None
    acquired = data.draw(dates_between(add_years(first, -1), as_of))
    assert (as_of <= add_years(acquired, years)) == (acquired >= first)


@given(st.dates(date(1990, 1, 1), date(2040, 1, 1)), st.integers(0, 5000), st.data())
def test_dates_between_stay_between(low: date, days: int, data: st.DataObject) -> None:
    """Boundary-leaning dates never leave their interval."""
    high = date.fromordinal(low.toordinal() + days)
    assert low <= data.draw(dates_between(low, high)) <= high


@given(rks.complete_scenarios(fictitious.DEMO))
def test_fictitious_data_only(scenario: Scenario) -> None:
    """Generated dossiers name fictitious learners, employers, hosts and juries."""
    for period in scenario.dossier.get("experience", []):
        assert "fictif" in period.get("employer", "fictif")
    for stay in scenario.dossier.get("internships", []):
        assert "fictive" in stay.get("host", "fictive")
    for waiver in scenario.dossier.get("waivers", []):
        assert "fictif" in waiver["granted_by"]
    assert dossier_from_dict(scenario.dossier).learner.id.startswith("L")
