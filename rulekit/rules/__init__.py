"""The rule primitives the core offers; each turns a declaration part into requirements.

A rule has a stable ``id`` (the requirement id in decisions) and evaluates one dossier in a
:class:`~rulekit.engine.context.Context`. Plugins add rule types through the
``rulekit_rule_types`` hook when these do not fit.
"""

from __future__ import annotations

from typing import Protocol

from rulekit.decision import RequirementResult
from rulekit.declaration import Certification, CustomRequirement
from rulekit.engine.context import Context


class Rule(Protocol):
    """A compiled requirement: evaluates a dossier into a :class:`RequirementResult`."""

    @property
    def id(self) -> str:
        """The requirement id, stable across versions (``units``, ``experience``...)."""
        ...

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Return whether the dossier in ``ctx`` meets this requirement, and why."""
        ...


class RuleType(Protocol):
    """A kind of requirement a plugin adds; builds rules from :class:`CustomRequirement`."""

    @property
    def kind(self) -> str:
        """The ``kind`` named by :attr:`CustomRequirement.kind`."""
        ...

    def build(self, requirement: CustomRequirement, certification: Certification) -> Rule:
        """Return the rule for one custom requirement of ``certification``.

        :raises ValueError: when ``requirement.params`` do not fit this rule type.
        """
        ...
