"""Test support for rulekit and its plugins (extra ``rulekit-rncp[testing]``).

- :mod:`rulekit.testing.conformance`: conformance cases (dossier in, decision out) stored
  as JSON under a plugin's ``specs/``, and the check that replays them;
- :func:`conformance_suite` (from :mod:`rulekit.testing.pytest_plugin`): replays them in one
  line of a test module;
- :mod:`rulekit.testing.invariants`: :class:`~rulekit.testing.invariants.InvariantSuite`,
  the property-based invariants every certification must keep, to subclass in one line;
- :mod:`rulekit.testing.strategies`: Hypothesis strategies generating valid and invalid
  dossiers from a certification's declaration alone;
- :mod:`rulekit.testing.profiles`: the ``fast`` and ``ci`` Hypothesis profiles.

Only :mod:`rulekit.testing.conformance` works without the extra; the other modules import
pytest or Hypothesis, so they are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rulekit.testing.pytest_plugin import conformance_suite

__all__ = ["conformance_suite"]


def __getattr__(name: str) -> Any:
    """Import :func:`conformance_suite` on first use (it needs pytest)."""
    if name == "conformance_suite":
        from rulekit.testing.pytest_plugin import conformance_suite  # noqa: PLC0415

        return conformance_suite
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
