"""docs/plugins.md documents every hook, with an example that works, and every hook is tested.

Modelled on datasette's tests/test_docs.py: adding a hook to rulekit/hookspecs.py without a
section in the guide, or without a ``test_hook_<name>`` test, fails here.
"""

from __future__ import annotations

import ast
import re
import types
from datetime import date
from pathlib import Path

import pytest
from attrs import evolve

from rulekit import hookspecs
from rulekit import registry as registry_module
from rulekit.api import evaluate
from rulekit.declaration import Certification, CustomRequirement
from rulekit.errors import ContestedCertification
from rulekit.registry import PluginInfo, Registry

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "plugins.md"
HOOK_HEADING = re.compile(r"^### `(rulekit_\w+)`$", re.MULTILINE)


def _hooks() -> list[str]:
    return sorted(
        name
        for name in dir(hookspecs)
        if name.startswith("rulekit_") and hasattr(getattr(hookspecs, name), "rulekit_spec")
    )


def _sections() -> dict[str, str]:
    """Each hook section of the guide, by hook name."""
    text = GUIDE.read_text(encoding="utf-8")
    matches = list(HOOK_HEADING.finditer(text))
    sections = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        sections[match.group(1)] = text[match.end() : end]
    return sections


def _example(hook: str) -> types.ModuleType:
    """The section's Python example, run as a plugin module."""
    blocks = re.findall(r"```python\n(.*?)```", _sections()[hook], re.DOTALL)
    assert len(blocks) == 1, f"{hook}: one python example expected"
    module = types.ModuleType(f"docs_example_{hook}")
    exec(compile(blocks[0], f"docs/plugins.md#{hook}", "exec"), module.__dict__)
    return module


def _test_names() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names.update(node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef))
    return names


def test_hookspecs_are_found() -> None:
    """The hook list is read from rulekit/hookspecs.py (not empty, all prefixed)."""
    assert "rulekit_certifications" in _hooks()


@pytest.mark.parametrize("hook", _hooks())
def test_hook_is_documented(hook: str) -> None:
    """Each hook has its own section in docs/plugins.md, with an example."""
    assert hook in _sections(), f"docs/plugins.md has no section '### `{hook}`'"


@pytest.mark.parametrize("hook", _hooks())
def test_hook_has_a_test(hook: str) -> None:
    """Each hook has a test named test_hook_<name> somewhere in tests/."""
    assert f"test_hook_{hook}" in _test_names()


def test_documented_hooks_exist() -> None:
    """No section documents a hook that rulekit/hookspecs.py does not specify."""
    assert sorted(_sections()) == _hooks()


def test_certifications_example_works() -> None:
    """The rulekit_certifications example loads as a plugin and its title can be awarded."""
    module = _example("rulekit_certifications")
    registry = Registry.from_plugins([PluginInfo("doc", "doc", "0", module)])
    assert registry.problems == ()
    dossier = {
        "format": "rulekit.dossier/1",
        "learner": {"id": "fictitious-1"},
        "blocks": [{"code": "RNCP99001BC01", "result": "passed", "date": "2024-06-01"}],
    }
    decision = evaluate(
        dossier, certification="fict_99001", as_of=date(2024, 7, 1), registry=registry
    )
    assert decision.eligible


def test_rule_types_example_works() -> None:
    """The rulekit_rule_types example builds a rule that decides its requirement."""
    module = _example("rulekit_rule_types")
    declared = _example("rulekit_certifications").EXAMPLE
    assert isinstance(declared, Certification)

    class Graded:
        @hookspecs.hookimpl
        def rulekit_certifications(self) -> list[Certification]:
            custom = CustomRequirement(kind="fict_grade", id="grade", params=(("minimum", 12),))
            return [evolve(declared, custom=(custom,))]

    registry = Registry.from_plugins(
        [PluginInfo("doc", "doc", "0", module), PluginInfo("cert", "cert", "0", Graded())]
    )
    assert registry.problems == ()
    dossier = {
        "format": "rulekit.dossier/1",
        "learner": {"id": "fictitious-1"},
        "blocks": [{"code": "RNCP99001BC01", "result": "passed", "date": "2024-06-01"}],
        "units": [{"code": "FIC001", "result": "passed", "date": "2024-06-01", "grade": 11}],
    }
    as_of = date(2024, 7, 1)
    assert not evaluate(
        dossier, as_of=as_of, certification="fict_99001", registry=registry
    ).eligible
    dossier["units"] = [{"code": "FIC001", "result": "passed", "date": "2024-06-01", "grade": 12}]
    assert evaluate(dossier, as_of=as_of, certification="fict_99001", registry=registry).eligible


def _section(title: str) -> str:
    """The text of the guide's ``## title`` section."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_loading_variables_are_documented() -> None:
    """Each variable the registry reads has a row in the Loading table, and only those."""
    read = {getattr(registry_module, n) for n in dir(registry_module) if n.endswith("_ENV")}
    rows = set(re.findall(r"^\| `(RULEKIT_\w+)` \|", _section("Loading"), re.MULTILINE))
    assert (
        read
        == rows
        == {
            "RULEKIT_LOAD_PLUGINS",
            "RULEKIT_TRUSTED_PLUGINS",
            "RULEKIT_TRUSTED_PLUGINS_FILE",
        }
    )


def test_loading_and_ownership_messages_are_the_real_ones() -> None:
    """The unknown-hook and unavailable-id messages quoted in the guide are what rulekit says."""

    class Typo:
        @hookspecs.hookimpl
        def rulekit_certification(self) -> list[Certification]:
            return []

    loaded = Registry.from_plugins(
        [PluginInfo("casp_36625", "rulekit-casp-36625", "0.2.0", Typo())]
    )
    assert f"   {loaded.problems[0]}\n" in _section("Loading")
    unavailable = ContestedCertification(
        "casp_36625", ["rulekit-casp-36625 0.2.0", "rulekit-other 6.6.6"]
    )
    assert f"\nrulekit: error: {unavailable}\n" in _section("Ownership")
