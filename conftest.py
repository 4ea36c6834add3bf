"""Collection rules for the whole repository (tests/ and the plugins' own tests).

Each plugin's ``tests/test_<id>_invariants.py`` runs the invariant suite of
``rulekit.testing.invariants``. Where that module is not installed (a branch that predates
it), those files alone are not collected, and the run's header says so; everything else
runs. Once the module is installed this file changes nothing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

INVARIANTS = "rulekit.testing.invariants"


def _invariants_missing() -> bool:
    return importlib.util.find_spec(INVARIANTS) is None


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave out plugins' invariant files when the invariant suite is not installed."""
    if collection_path.name.endswith("_invariants.py") and "plugins" in collection_path.parts:
        return True if _invariants_missing() else None
    return None


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say when plugins' invariant files are left out, and why."""
    if _invariants_missing():
        return f"{INVARIANTS} is not installed: plugins' test_*_invariants.py not collected"
    return None
