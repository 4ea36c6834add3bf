"""rulekit-dwwm-37674 loads, and its declaration passes ``rulekit plugin check``."""

from __future__ import annotations

from rulekit.kit.check import check_plugins, describe
from rulekit.registry import discover, load_registry

ID = "dwwm_37674"
DISTRIBUTION = "rulekit-dwwm-37674"


def test_plugin_loads_without_problem() -> None:
    """The installed plugin declares dwwm_37674 and no plugin problem names it."""
    registry = load_registry()
    assert [p for p in registry.problems if p.distribution == DISTRIBUTION] == []
    versions = registry.versions(ID)
    assert versions
    assert {compiled.ref.plugin for compiled in versions} == {DISTRIBUTION}


def test_declaration_passes_plugin_check() -> None:
    """No lint finding, and every track has a dossier the engine finds eligible."""
    plugins, _ = discover()
    report = check_plugins([p for p in plugins if p.distribution == DISTRIBUTION])
    assert [str(finding) for finding in report.findings] == []
    assert [describe(w) for w in report.witnesses if not w.found] == []
