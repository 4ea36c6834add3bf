"""Each hook of rulekit/hookspecs.py, exercised through the registry with fake plugins.

tests/test_docs.py requires a ``test_hook_<name>`` here (or anywhere in tests/) for every
hook, as datasette does.
"""

from __future__ import annotations

from datetime import date

from rulekit import hookimpl
from rulekit.api import evaluate
from rulekit.declaration import Certification
from rulekit.dossier import UnitResult
from rulekit.registry import PluginInfo, Registry
from tests.plugins import grade_rule
from tests.plugins.kit_declarations import CLEAN, CUSTOM, FictitiousPlugin, certification

UNITS: list[dict[str, object]] = [
    {"code": "FIC001", "result": "passed", "date": "2023-06-01", "grade": 14},
    {"code": "FIC002", "result": "passed", "date": "2023-06-01", "grade": 9},
    {"code": "FIC010", "result": "passed", "date": "2023-06-01"},
]
DOSSIER = {"format": "rulekit.dossier/1", "learner": {"id": "fictitious-1"}, "units": UNITS}


def _info(name: str, plugin: object) -> PluginInfo:
    return PluginInfo(name, f"rulekit-{name}", "0.0.1", plugin)


class _Raising:
    @hookimpl
    def rulekit_certifications(self) -> list[Certification]:
        raise RuntimeError("fictitious failure")


def test_hook_rulekit_certifications() -> None:
    """Declared certifications are compiled; versions kept; a raising plugin is isolated."""
    second = certification(version="2", effective_from=date(2024, 9, 1))
    registry = Registry.from_plugins(
        [_info("fict", FictitiousPlugin(CLEAN, second)), _info("broken", _Raising())]
    )
    assert registry.ids() == ["fict_99001"]
    assert [c.declaration.version for c in registry.versions("fict_99001")] == ["1", "2"]
    assert registry.certification("fict_99001", date(2024, 1, 1)).declaration.version == "1"
    assert registry.certification("fict_99001", date(2024, 9, 1)).declaration.version == "2"
    assert [p.plugin for p in registry.problems] == ["broken"]
    assert "fictitious failure" in registry.problems[0].error


def test_hook_rulekit_rule_types() -> None:
    """A plugin rule type is built from a CustomRequirement and decides its requirement."""
    registry = Registry.from_plugins(
        [_info("fict", FictitiousPlugin(CUSTOM)), _info("grade", grade_rule)]
    )
    assert registry.problems == ()
    decision = evaluate(
        DOSSIER, certification="fict_99003", as_of=date(2024, 1, 1), registry=registry
    )
    grade = decision.requirement("grade")
    assert grade.met
    cited = grade.evidence[0].item
    assert isinstance(cited, UnitResult)
    assert cited.code == "FIC001"
    assert decision.eligible
    low = {**DOSSIER, "units": [{**u, "grade": 9} for u in UNITS]}
    assert (
        not evaluate(low, certification="fict_99003", as_of=date(2024, 1, 1), registry=registry)
        .requirement("grade")
        .met
    )


def test_rule_kind_declared_twice_is_a_problem() -> None:
    """Two plugins adding the same kind: the second is reported, the first is used."""
    registry = Registry.from_plugins(
        [
            _info("a_grade", grade_rule),
            _info("b_grade", _SecondGrade()),
            _info("fict", FictitiousPlugin(CUSTOM)),
        ]
    )
    assert [p.plugin for p in registry.problems] == ["b_grade"]
    assert "rule kind 'fict_grade' declared twice" in registry.problems[0].error
    assert registry.ids() == ["fict_99003"]


class _SecondGrade:
    @hookimpl
    def rulekit_rule_types(self) -> list[grade_rule.MinimumGradeType]:
        return [grade_rule.MinimumGradeType()]
