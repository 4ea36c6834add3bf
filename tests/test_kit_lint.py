"""rulekit.kit.lint: each mistake a declaration can hide is found, named and placed."""

from __future__ import annotations

from datetime import date

import pytest

from rulekit.declaration import (
    Bloc,
    Certification,
    CustomRequirement,
    ExperienceRule,
    InternshipRule,
    Registration,
    Track,
)
from rulekit.kit.lint import Finding, lint_certification, lint_declared, lint_versions
from rulekit.registry import PluginInfo, PluginProblem, load_registry
from tests.plugins.kit_declarations import CLEAN, WITH_PERIODS, certification, group, track, unit


def _codes(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.where, f.code) for f in findings]


def _info(distribution: str) -> PluginInfo:
    return PluginInfo(distribution, distribution, "0.0.1", object())


def test_clean_declarations_have_no_finding() -> None:
    """A well-formed declaration (with every kind of rule) gives no finding."""
    assert lint_certification(CLEAN) == []
    assert lint_certification(WITH_PERIODS) == []


def test_installed_plugins_are_clean(installed_declarations: list[Certification]) -> None:
    """CASP 36625 and AIP 12976, as installed, pass the lint."""
    for declaration in installed_declarations:
        assert lint_certification(declaration) == [], declaration.id


@pytest.fixture
def installed_declarations() -> list[Certification]:
    """The installed declarations (CASP, AIP and any other installed plugin)."""
    return load_registry().declarations()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"id": "Fict-1"}, [("id", "malformed-id")]),
        ({"rncp": "99001"}, [("rncp", "malformed-rncp")]),
        ({"level": 9}, [("level", "malformed-level")]),
        ({"tracks": (track("FIC001", id="Main Track"),)}, [("tracks[Main Track]", "malformed-id")]),
        (
            {"tracks": (track("FIC001"), track("FIC002"))},
            [("tracks[main]", "duplicate-track")],
        ),
    ],
)
def test_identity_findings(changes: dict[str, object], expected: list[tuple[str, str]]) -> None:
    """Ids, RNCP numbers, levels and track ids that no dossier or registry can use."""
    assert _codes(lint_certification(certification(**changes))) == expected


def test_malformed_unit_code_is_unreachable() -> None:
    """A unit code the dossier validator refuses can never be held: found where it is."""
    findings = lint_certification(certification(tracks=(track("FIC001", "fic-2"),)))
    assert _codes(findings) == [("tracks[main].mandatory[1]", "malformed-unit-code")]
    assert "'fic-2'" in findings[0].message
    assert "never be met" in findings[0].message


def test_duplicate_mandatory_unit() -> None:
    """A mandatory unit listed twice can only count once: the second slot never fills."""
    findings = lint_certification(certification(tracks=(track("FIC001", "FIC001"),)))
    assert _codes(findings) == [("tracks[main].mandatory[1]", "duplicate-unit")]


def test_unit_both_mandatory_and_in_choice_group() -> None:
    """A mandatory unit also offered in a group never fills the group."""
    chosen = group(1, "FIC001", "FIC010")
    findings = lint_certification(certification(tracks=(track("FIC001", choices=(chosen,)),)))
    assert _codes(findings) == [("tracks[main].choices[0].units[0]", "duplicate-unit")]


def test_unit_twice_in_one_group() -> None:
    """The same code twice in a group is reported (and the group is then short)."""
    chosen = group(2, "FIC010", "FIC010")
    findings = lint_certification(certification(tracks=(track("FIC001", choices=(chosen,)),)))
    assert _codes(findings) == [
        ("tracks[main].choices[0].units[1]", "duplicate-unit"),
        ("tracks[main].choices[0]", "unsatisfiable-choice"),
    ]


def test_group_emptied_by_mandatory_unit_is_unsatisfiable() -> None:
    """Choosing 2 among 2 where one is mandatory: at most 1 can fill it."""
    chosen = group(2, "FIC001", "FIC010")
    findings = lint_certification(certification(tracks=(track("FIC001", choices=(chosen,)),)))
    unsatisfiable = [f for f in findings if f.code == "unsatisfiable-choice"]
    assert len(unsatisfiable) == 1
    assert "cannot choose 2 among 2 units (FIC001, FIC010)" in unsatisfiable[0].message
    assert "at most 1 can fill" in unsatisfiable[0].message


def test_groups_sharing_units_are_unsatisfiable_together() -> None:
    """Two groups of 1 among the same single unit: the matching fills only one."""
    groups = (group(1, "FIC010"), group(1, "FIC010"))
    findings = lint_certification(certification(tracks=(track("FIC001", choices=groups),)))
    assert _codes(findings) == [("tracks[main].choices[1]", "unsatisfiable-choice")]


def test_groups_sharing_units_but_satisfiable_are_clean() -> None:
    """Shared units are fine when some assignment fills every group (matching, not greedy)."""
    groups = (group(1, "FIC010", "FIC011"), group(1, "FIC010"))
    assert lint_certification(certification(tracks=(track("FIC001", choices=groups),))) == []


def test_choose_zero_is_an_empty_group() -> None:
    """A group asking for no unit is reported."""
    findings = lint_certification(
        certification(tracks=(track("FIC001", choices=(group(0, "FIC010"),)),))
    )
    assert _codes(findings) == [("tracks[main].choices[0]", "empty-choice")]


def test_empty_track_without_other_requirement() -> None:
    """A track requiring nothing in a certification requiring nothing else: everyone passes."""
    findings = lint_certification(certification(tracks=(Track(id="main", title="Empty"),)))
    assert _codes(findings) == [("tracks[main]", "empty-track")]
    assert "every dossier, even an empty one, is eligible" in findings[0].message


def test_empty_track_with_blocs_required_is_fine() -> None:
    """A track without units is fine when the title is awarded on its blocs (AIP-like)."""
    declared = certification(
        tracks=(Track(id="main", title="Blocs"),),
        blocs=(Bloc("RNCP99001BC01", "Bloc fictif"),),
        blocs_required=True,
    )
    assert lint_certification(declared) == []


def test_unit_with_two_titles_or_credits() -> None:
    """One code with two titles (or two ECTS values) across tracks is flagged."""
    one = Track(id="a", title="A", mandatory=(unit("FIC001", "Droit", 6),))
    other = Track(id="b", title="B", mandatory=(unit("FIC001", "Gestion", 4),))
    findings = lint_certification(certification(tracks=(one, other)))
    assert [f.code for f in findings] == ["inconsistent-unit", "inconsistent-unit"]
    assert "'Droit' / 'Gestion'" in findings[0].message
    assert "(4, 6)" in findings[1].message


@pytest.mark.parametrize(
    ("blocs", "expected"),
    [
        ((Bloc("RNCP99001-1", "x"),), [("blocs[0]", "malformed-bloc-code")]),
        ((Bloc("RNCP12345BC01", "x"),), [("blocs[0]", "foreign-bloc")]),
        (
            (Bloc("RNCP99001BC01", "x"), Bloc("RNCP99001BC01", "y")),
            [("blocs[1]", "duplicate-bloc")],
        ),
        ((), [("blocs_required", "empty-blocs")]),
    ],
)
def test_bloc_findings(blocs: tuple[Bloc, ...], expected: list[tuple[str, str]]) -> None:
    """Malformed, foreign and duplicate bloc codes; blocs required but none declared."""
    declared = certification(blocs=blocs, blocs_required=True)
    assert _codes(lint_certification(declared)) == expected


def test_vacuous_period_rules() -> None:
    """Zero months of experience, internship, or a zero threshold ask for nothing."""
    declared = certification(
        experience=ExperienceRule(months=0, attested_by=("bad code",)),
        internship=InternshipRule(months=0, required_below_in_field_months=0),
    )
    assert _codes(lint_certification(declared)) == [
        ("experience.months", "vacuous-rule"),
        ("experience.attested_by", "malformed-unit-code"),
        ("internship.months", "vacuous-rule"),
        ("internship.required_below_in_field_months", "vacuous-rule"),
    ]


@pytest.mark.parametrize("years", [-1, -5])
def test_validity_that_makes_the_title_unreachable(years: int) -> None:
    """A negative validity: date <= as-of <= date + N never holds, nothing ever counts."""
    findings = lint_certification(certification(validity_years=years))
    assert _codes(findings) == [("validity_years", "unreachable-validity")]
    assert "can never be awarded" in findings[0].message


def test_inverted_registration_window() -> None:
    """A registration ending before it starts, and a deadline before the end, are inverted."""
    inverted = certification(registration=Registration(date(2025, 1, 1), date(2024, 12, 31)))
    assert _codes(lint_certification(inverted)) == [("registration", "inverted-window")]
    early = certification(
        registration=Registration(date(2020, 1, 1), date(2025, 1, 1), date(2024, 6, 30))
    )
    findings = lint_certification(early)
    assert _codes(findings) == [("registration.award_deadline", "inverted-window")]
    assert "2024-06-30 is before registered_until 2025-01-01" in findings[0].message


def test_rule_set_taking_effect_after_the_award_deadline() -> None:
    """A rule set in force only after registration and deadline can never award."""
    declared = certification(
        registration=Registration(date(2020, 1, 1), date(2022, 1, 1), date(2023, 1, 1)),
        effective_from=date(2023, 1, 2),
    )
    assert _codes(lint_certification(declared)) == [("effective_from", "unreachable-version")]


def test_custom_requirement_ids() -> None:
    """A custom requirement reusing a core id, or malformed, is flagged."""
    declared = certification(
        custom=(
            CustomRequirement(kind="k", id="units"),
            CustomRequirement(kind="k", id="Grade"),
        )
    )
    assert _codes(lint_certification(declared)) == [
        ("custom[0]", "duplicate-requirement"),
        ("custom[1]", "malformed-id"),
    ]


def test_overlapping_versions_and_windows() -> None:
    """Two versions on one date, and two registrations overlapping, are flagged."""
    first = certification(
        version="1",
        effective_from=date(2020, 1, 1),
        registration=Registration(date(2020, 1, 1), date(2024, 12, 31)),
    )
    same_day = certification(
        version="2",
        effective_from=date(2020, 1, 1),
        registration=Registration(date(2020, 1, 1), date(2024, 12, 31)),
    )
    assert _codes(lint_versions([first, same_day])) == [("effective_from", "overlapping-versions")]
    successor = certification(
        version="3",
        rncp="RNCP99009",
        effective_from=date(2024, 6, 1),
        registration=Registration(date(2024, 6, 1), date(2029, 5, 31)),
    )
    findings = lint_versions([first, successor])
    assert _codes(findings) == [("registration", "overlapping-windows")]
    assert "RNCP99009 2024-06-01..2029-05-31 (v3)" in findings[0].message
    adjacent = certification(
        version="3",
        rncp="RNCP99009",
        effective_from=date(2025, 1, 1),
        registration=Registration(date(2025, 1, 1), date(2029, 12, 31)),
    )
    assert lint_versions([first, adjacent]) == []


def test_duplicate_id_across_plugins_and_plugin_problems() -> None:
    """An id declared by two distributions, and every plugin problem, are findings."""
    declared = [(_info("rulekit-a"), CLEAN), (_info("rulekit-b"), CLEAN)]
    problem = PluginProblem("b", "rulekit-b", "0.0.1", "fict_99001 version 1 declared twice")
    findings = lint_declared(declared, [problem])
    assert [f.code for f in findings] == ["plugin-problem", "duplicate-id"]
    assert "rulekit-a 0.0.1, rulekit-b 0.0.1" in findings[1].message
    assert str(findings[0]).startswith("plugins b: plugin b (rulekit-b 0.0.1)")


def test_lint_declared_filters_by_id() -> None:
    """With an id, only that certification's findings (and plugin problems) are kept."""
    broken = certification(id="fict_99005", rncp="RNCP99005", level=0)
    declared = [(_info("rulekit-a"), CLEAN), (_info("rulekit-a"), broken)]
    assert lint_declared(declared, certification="fict_99001") == []
    assert [f.code for f in lint_declared(declared, certification="fict_99005")] == [
        "malformed-level"
    ]


def test_finding_text_names_everything() -> None:
    """A finding reads: certification, version, place, message, code."""
    finding = lint_certification(certification(level=0))[0]
    assert str(finding) == (
        "fict_99001 v1 level: level 0 is outside the levels 1 to 8 [malformed-level]"
    )
