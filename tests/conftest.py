"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulekit.registry import Registry, load_registry

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def installed() -> Registry:
    """The registry of installed plugins (CASP 36625 and AIP 12976 in this repository)."""
    return load_registry()
