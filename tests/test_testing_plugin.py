"""rulekit's pytest plugin and Hypothesis profiles (rulekit.testing.pytest_plugin, .profiles).

The plugin is checked from the outside: pytest runs in a subprocess on a scratch project
that uses ``conformance_suite`` as a plugin author would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.errors import InvalidArgument

import rulekit.testing
from rulekit.testing import profiles
from rulekit.testing.pytest_plugin import conformance_suite

ROOT = Path(__file__).resolve().parent.parent
CASE = (
    ROOT
    / "specs"
    / "conformance"
    / "casp_36625"
    / "01-national-complete-in-field-exactly-18-months.json"
)


@pytest.fixture
def restore_profile() -> Iterator[None]:
    """Put the Hypothesis profile back as it was."""
    name = settings.get_current_profile_name()
    yield
    settings.load_profile(name)


def test_registered_as_a_pytest11_entry_point() -> None:
    """The pytest plugin is found through the entry point of the rulekit distribution."""
    found = {point.name: point.value for point in entry_points(group="pytest11")}
    assert found.get("rulekit") == "rulekit.testing.pytest_plugin"


def test_conformance_suite_is_offered_by_rulekit_testing() -> None:
    """``from rulekit.testing import conformance_suite`` is the plugin's helper."""
    assert rulekit.testing.conformance_suite is conformance_suite


@pytest.mark.usefixtures("restore_profile")
def test_profiles_fast_and_ci() -> None:
    """``fast`` runs few examples, ``ci`` many; neither has a deadline."""
    profiles.load_profile(profiles.FAST)
    fast = settings()
    profiles.load_profile(profiles.CI)
    deep = settings()
    assert fast.max_examples < deep.max_examples
    assert fast.deadline is None
    assert deep.deadline is None
    with pytest.raises(InvalidArgument):
        profiles.load_profile("no-such-profile")


def test_profile_chosen_by_option_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """An option beats $HYPOTHESIS_PROFILE, which beats the default ``fast``."""
    monkeypatch.delenv(profiles.PROFILE_VARIABLE, raising=False)
    assert profiles.chosen_profile() == profiles.FAST
    monkeypatch.setenv(profiles.PROFILE_VARIABLE, "ci")
    assert profiles.chosen_profile() == "ci"
    assert profiles.chosen_profile("fast") == "fast"


def _scratch_project(root: Path) -> None:
    """A plugin-like project: conformance cases, and tests replaying them in one line."""
    cases = root / "specs" / "conformance"
    cases.mkdir(parents=True)
    good = json.loads(CASE.read_text(encoding="utf-8"))
    (cases / "good.json").write_text(json.dumps(good), encoding="utf-8")
    wrong = {**good, "name": "wrong", "expect": {**good["expect"], "outcome": "not_eligible"}}
    (cases / "sub").mkdir()
    (cases / "sub" / "wrong.json").write_text(json.dumps(wrong), encoding="utf-8")
    (cases / "malformed.json").write_text('{"format": "rulekit.conformance/1"}', encoding="utf-8")
    (root / "specs" / "empty").mkdir()
    tests = root / "tests"
    tests.mkdir()
    line = (
        "from rulekit.testing import conformance_suite\n\n"
        "test_conformance = conformance_suite({!r})\n"
    )
    (tests / "test_cases.py").write_text(line.format("specs/conformance"), encoding="utf-8")
    (tests / "test_empty.py").write_text(line.format("specs/empty"), encoding="utf-8")
    (tests / "test_missing.py").write_text(line.format("specs/nowhere"), encoding="utf-8")


def _pytest(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != profiles.PROFILE_VARIABLE}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_conformance_suite_replays_each_case_as_a_test(tmp_path: Path) -> None:
    """One test per case: conforming ones pass, others fail saying why; empty dirs skip."""
    _scratch_project(tmp_path)
    done = _pytest(tmp_path, "tests")
    out = done.stdout
    assert "rulekit: hypothesis profile 'fast'" in out
    assert "PASSED tests/test_cases.py::test_conformance[good]" in out
    assert "FAILED tests/test_cases.py::test_conformance[sub/wrong]" in out
    assert "outcome: expected not_eligible, got eligible" in out
    assert "FAILED tests/test_cases.py::test_conformance[malformed]" in out
    assert "field 'name' is missing" in out
    assert "SKIPPED" in out
    assert "no conformance case under" in out
    assert "FAILED tests/test_missing.py::test_conformance[no-case]" in out
    assert "no directory specs/nowhere" in out
    assert done.returncode == 1


def test_profile_option_and_unknown_profile(tmp_path: Path) -> None:
    """``--rulekit-profile ci`` loads ci; an unknown profile is a usage error naming ours."""
    (tmp_path / "test_nothing.py").write_text(
        'def test_nothing() -> None:\n    """Nothing."""\n', encoding="utf-8"
    )
    chosen = _pytest(tmp_path, "--rulekit-profile", "ci")
    assert "rulekit: hypothesis profile 'ci'" in chosen.stdout
    assert chosen.returncode == 0
    unknown = _pytest(tmp_path, "--rulekit-profile", "nope")
    assert unknown.returncode == pytest.ExitCode.USAGE_ERROR
    assert "unknown Hypothesis profile 'nope'; rulekit's: fast, ci" in unknown.stderr
