"""Hypothesis profiles for rulekit's property tests, registered in this one place.

- ``fast`` (the default): what the README test command runs; few examples per property
  so that the whole invariant suite stays within a minute or two on two cores.
- ``ci``: the deeper run, many more examples, for a nightly job or before a release.

Choose one with ``HYPOTHESIS_PROFILE=ci`` or ``pytest --rulekit-profile ci`` (the pytest
plugin, :mod:`rulekit.testing.pytest_plugin`, loads it); Hypothesis's own
``--hypothesis-profile`` also works and wins. Registering ``ci`` replaces the profile
Hypothesis loads by itself when a ``CI`` variable is set, but the pytest plugin always
loads the profile chosen here explicitly, so CI runs ``fast`` unless asked otherwise.

Neither profile has a deadline: timings on a loaded two-core CI machine vary too much for
a per-example deadline to mean anything, and the suite's total time is watched instead.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FAST = "fast"
CI = "ci"
DEFAULT_PROFILE = FAST
PROFILE_VARIABLE = "HYPOTHESIS_PROFILE"
PROFILES = (FAST, CI)

_SLOW_IS_FINE = (HealthCheck.too_slow,)
"""Generated dossiers are rich objects; drawing one takes a few milliseconds by design."""


def register_profiles() -> None:
    """Register the ``fast`` and ``ci`` profiles (idempotent)."""
    settings.register_profile(
        FAST,
        max_examples=40,
        deadline=None,
        suppress_health_check=_SLOW_IS_FINE,
        print_blob=True,
    )
    settings.register_profile(
        CI,
        max_examples=400,
        deadline=None,
        suppress_health_check=_SLOW_IS_FINE,
        print_blob=True,
    )


def chosen_profile(option: str | None = None) -> str:
    """Return the profile to load: ``option``, else ``$HYPOTHESIS_PROFILE``, else ``fast``."""
    return option or os.environ.get(PROFILE_VARIABLE) or DEFAULT_PROFILE


def load_profile(name: str) -> None:
    """Register rulekit's profiles and load ``name`` (any registered Hypothesis profile).

    :raises hypothesis.errors.InvalidArgument: when no profile has that name.
    """
    register_profiles()
    settings.load_profile(name)
