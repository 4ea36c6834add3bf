"""The core's own requirement kinds, registered through the same hook a plugin uses.

Like datasette's default plugins, the core ships its kinds (units, choice, experience,
internship, blocks, registration) as a plugin module: the registry registers this module
before any installed plugin, and compiling, lint, witnesses, replay and the reference
evaluator loop over the kinds registered, never over a list written elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from rulekit.hookspecs import hookimpl
from rulekit.rules import RuleType


@hookimpl
def rulekit_rule_types() -> Sequence[RuleType]:
    """Return the core's requirement kinds."""
    return ()
