"""The core's own requirement kinds, registered through the same hook a plugin uses.

Like datasette's default plugins, the core ships its kinds as a plugin module: the
registry registers this module before any installed plugin, and compiling, lint,
witnesses, replay, the reference evaluator and the strategies loop over the kinds
registered (:mod:`rulekit.kinds.base` says what a kind declares). Their order here is
the order of requirements in a decision.
"""

from __future__ import annotations

from collections.abc import Sequence

from rulekit.hookspecs import hookimpl
from rulekit.kinds import (
    blocks,
    choice,
    ects,
    experience,
    internship,
    registration,
    route,
    units,
)
from rulekit.kinds.base import Kind

CORE_KINDS: tuple[Kind, ...] = (
    units.KIND,
    choice.KIND,
    experience.KIND,
    internship.KIND,
    blocks.KIND,
    registration.KIND,
    route.KIND,
    ects.KIND,
)
"""The core's kinds, in decision order."""


@hookimpl
def rulekit_rule_types() -> Sequence[Kind]:
    """Return the core's requirement kinds."""
    return CORE_KINDS
