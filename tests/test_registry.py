"""Plugin loading: one by one, broken plugins reported by name, custom rule types."""

from __future__ import annotations

from collections.abc import Generator
from datetime import date
from pathlib import Path

import pytest

from rulekit import evaluate, hookimpl, kinds
from rulekit import registry as registry_module
from rulekit.decision import Outcome
from rulekit.declaration import Certification
from rulekit.kit.check import check_plugins
from rulekit.registry import PluginInfo, Registry, load_registry
from tests.helpers import dossier, passed, registry_of
from tests.plugins import broken, custom_rule, fictitious, grade_rule


def test_installed_plugins_found(installed: Registry) -> None:
    """Both bundled plugins are found through entry points, with their distributions."""
    assert {"casp_36625", "aip_12976"} <= set(installed.ids())
    ref = installed.certification("casp_36625", date(2024, 1, 1)).ref
    assert ref.plugin == "rulekit-casp-36625" and ref.plugin_version


def test_broken_plugins_reported_others_work() -> None:
    """Each broken plugin is reported by name; the good plugin still evaluates."""
    registry = registry_of(
        fictitious, broken.RaisingPlugin(), broken.TracklessPlugin(), broken.BadChoicePlugin()
    )
    assert registry.ids() == ["demo_00000"]
    problems = {p.plugin: p.error for p in registry.problems}
    assert "fictitious failure" in problems["RaisingPlugin"]
    assert "no track" in problems["TracklessPlugin"]
    assert "cannot choose 3" in problems["BadChoicePlugin"]


def test_duplicate_declaration_reported() -> None:
    """One distribution declaring a version twice (two entry points): the first one is kept."""
    registry = Registry.from_plugins(
        [
            PluginInfo("demo_a", "rulekit-demo-fictitious", "1.0", fictitious),
            PluginInfo("demo_b", "rulekit-demo-fictitious", "1.0", _Twin()),
        ]
    )
    assert registry.ids() == ["demo_00000"]
    assert [(p.plugin, p.error) for p in registry.problems] == [
        ("demo_b", "demo_00000 version 1 declared twice")
    ]


class _Twin:
    """A second plugin declaring the fictitious certification again."""

    @hookimpl
    def rulekit_certifications(self) -> list[object]:
        """Declare a duplicate."""
        return [fictitious.DEMO]


def test_custom_rule_type_from_plugin() -> None:
    """A plugin-added rule type is compiled and evaluated like the core's."""
    registry = registry_of(custom_rule)
    value = dossier(certification="demo_custom", units=[passed("AAA001", "2021-01-01", grade=15)])
    decision = evaluate(value, as_of=date(2022, 1, 1), registry=registry)
    assert decision.outcome is Outcome.ELIGIBLE
    assert [r.id for r in decision.requirements] == ["units", "report_grade"]
    low = dossier(certification="demo_custom", units=[passed("AAA001", "2021-01-01", grade=12)])
    assert not evaluate(low, as_of=date(2022, 1, 1), registry=registry).eligible


def test_unknown_rule_kind_is_plugin_problem() -> None:
    """A declaration using a rule kind no plugin provides is refused, named."""
    registry = registry_of(_CustomOnly())
    assert registry.ids() == []
    assert "unknown kind 'minimum_grade'" in registry.problems[0].error


class _CustomOnly:
    """Declares the custom-rule certification without providing its rule type."""

    @hookimpl
    def rulekit_certifications(self) -> list[object]:
        """Declare it."""
        return [fictitious.WITH_CUSTOM]


def test_entry_point_import_failure_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin whose module fails to import is reported; installed plugins still load."""
    info = tmp_path / "rulekit_broken_demo-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: rulekit-broken-demo\nVersion: 1.0\n"
    )
    (info / "entry_points.txt").write_text("[rulekit]\nbroken_demo = rulekit_no_such_module\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = load_registry()
    assert "casp_36625" in registry.ids()
    problem = next(p for p in registry.problems if p.plugin == "broken_demo")
    assert problem.distribution == "rulekit-broken-demo" and problem.version == "1.0"
    assert "import failed" in problem.error


# --- Loading through pluggy -------------------------------------------------------------


def _info(name: str, plugin: object) -> PluginInfo:
    return PluginInfo(name, f"rulekit-{name}-fictitious", "0.0.1", plugin)


def test_builtin_kinds_registered_first_and_always() -> None:
    """The core's rulekit.kinds is the first plugin of every registry, even an empty one."""
    assert [p.name for p in Registry.from_plugins([]).plugins] == ["rulekit.kinds"]
    registry = registry_of(fictitious)
    assert [(p.name, p.distribution) for p in registry.plugins] == [
        ("rulekit.kinds", "rulekit-rncp"),
        ("tests.plugins.fictitious", "tests-tests.plugins.fictitious"),
    ]
    assert registry.plugins[0].plugin is kinds


def test_builtin_kinds_take_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    """A built-in kind wins over a plugin's of the same kind, whatever the plugin's name."""
    monkeypatch.setattr(registry_module, "BUILTIN_PLUGINS", ("rulekit.kinds", grade_rule.__name__))
    registry = Registry.from_plugins([_info("a_first", _SecondGrade())])
    assert [(p.plugin, p.error) for p in registry.problems] == [
        ("a_first", "rule kind 'fict_grade' declared twice")
    ]


class _SecondGrade:
    @hookimpl
    def rulekit_rule_types(self) -> list[grade_rule.MinimumGradeType]:
        return [grade_rule.MinimumGradeType()]


class _Typo:
    """A fictitious plugin that misspells the hook (no trailing s)."""

    @hookimpl
    def rulekit_certification(self) -> list[Certification]:
        return [fictitious.DEMO]


def test_unknown_hook_is_a_named_problem() -> None:
    """check_pending(): a plugin defining rulekit_certification is refused, named; others load."""
    registry = Registry.from_plugins([_info("typo", _Typo()), _info("good", custom_rule)])
    assert registry.ids() == ["demo_custom"]
    (problem,) = registry.problems
    assert (problem.plugin, problem.distribution) == ("typo", "rulekit-typo-fictitious")
    assert problem.error.startswith(
        "unknown hook 'rulekit_certification' (did you mean 'rulekit_certifications'?)"
    )
    assert problem.error.endswith("plugin not loaded")
    assert [p.name for p in registry.plugins] == ["rulekit.kinds", "good"]


class _Counting:
    """Counts its calls: a plugin registered twice would be called twice."""

    def __init__(self) -> None:
        self.calls = 0

    @hookimpl
    def rulekit_certifications(self) -> list[Certification]:
        self.calls += 1
        return [fictitious.DEMO]


def test_plugin_check_registers_each_plugin_once() -> None:
    """``rulekit plugin check`` lints and compiles from one registration: one call per plugin."""
    counting = _Counting()
    report = check_plugins([_info("counting", counting)], witnesses=False)
    assert counting.calls == 1
    assert {f.certification for f in report.findings} <= {"demo_00000"}


class _Wrapper:
    """A fictitious hook wrapper (pluggy ``wrapper=True``): sees every plugin's call."""

    def __init__(self) -> None:
        self.seen: list[list[str]] = []

    @hookimpl(wrapper=True)
    def rulekit_certifications(self) -> Generator[None, list[list[Certification]], object]:
        result = yield
        self.seen.append([c.id for declared in result for c in declared])
        return result


def test_hooks_are_called_through_pluggy() -> None:
    """Hooks go through pm.hook: a wrapper wraps each plugin's call; a raising one is named."""
    wrapper = _Wrapper()
    registry = Registry.from_plugins(
        [_info("wrap", wrapper), _info("b_demo", fictitious), _info("a_raise", _Raising())]
    )
    assert registry.ids() == ["demo_00000"]
    assert wrapper.seen == [["demo_00000"]]  # a_raise's call raised through the wrapper
    assert [p.plugin for p in registry.problems] == ["a_raise"]


class _Raising:
    @hookimpl
    def rulekit_certifications(self) -> list[Certification]:
        raise RuntimeError("fictitious failure")


class _BrokenWrapper:
    @hookimpl(wrapper=True)
    def rulekit_certifications(self) -> Generator[None, object, object]:
        yield
        raise RuntimeError("fictitious wrapper failure")


def test_failing_wrapper_is_blamed_not_the_plugin_it_wraps() -> None:
    """An exception raised by a wrapper is the wrapper's plugin's problem, reported once."""
    registry = Registry.from_plugins([_info("wrap", _BrokenWrapper()), _info("demo", fictitious)])
    assert [(p.plugin, "fictitious wrapper failure" in p.error) for p in registry.problems] == [
        ("wrap", True)
    ]


def test_load_plugins_variable_restricts_loading() -> None:
    """RULEKIT_LOAD_PLUGINS names the entry points that load; empty loads none but built-ins."""
    only = load_registry({"RULEKIT_LOAD_PLUGINS": " aip_12976 ,"})
    assert only.ids() == ["aip_12976"] and only.problems == ()
    assert [p.name for p in only.plugins] == ["rulekit.kinds", "aip_12976"]
    none = load_registry({"RULEKIT_LOAD_PLUGINS": ""})
    assert none.ids() == [] and [p.name for p in none.plugins] == ["rulekit.kinds"]
    typo = load_registry({"RULEKIT_LOAD_PLUGINS": "casp_36625,casp36625"})
    assert typo.ids() == ["casp_36625"]
    assert [(p.plugin, p.error) for p in typo.problems] == [
        ("casp36625", "RULEKIT_LOAD_PLUGINS names 'casp36625': no such plugin installed")
    ]
    assert set(load_registry({}).ids()) >= {"aip_12976", "casp_36625", "dwwm_37674"}
