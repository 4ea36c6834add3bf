"""Plugin loading: one by one, broken plugins reported by name, custom rule types."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rulekit import evaluate, hookimpl
from rulekit.decision import Outcome
from rulekit.registry import Registry, load_registry
from tests.helpers import dossier, passed, registry_of
from tests.plugins import broken, custom_rule, fictitious


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
    """The same certification version declared twice is a problem; the first one is kept."""
    registry = registry_of(fictitious, _Twin())
    assert registry.ids() == ["demo_00000"]
    assert any("declared twice" in p.error for p in registry.problems)


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
