"""The hooks a rulekit plugin may implement (pluggy), all prefixed ``rulekit_``.

A plugin is a module (or object) registered under the entry-point group ``rulekit``; it
implements any of these hooks with :data:`rulekit.hookimpl`. The core's own requirement
kinds are a plugin too (:mod:`rulekit.kinds`, registered first). Plugins are loaded one
by one: a plugin that fails to import, whose hook raises, or that implements a hook not
specified here (a misspelt name) is reported by name and version, and the other plugins
keep working. Hooks are called through pluggy, so hook wrappers (``wrapper=True``) apply.
See docs/plugins.md for a guide, the loading rules and examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from rulekit.declaration import Certification
    from rulekit.rules import RuleType

PROJECT = "rulekit"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -------------------------------------------------------------------------
# Declarations
# -------------------------------------------------------------------------


@hookspec
def rulekit_certifications() -> Sequence[Certification]:
    """Return the certifications (rule sets) this plugin declares.

    Called once per plugin when the registry is built, before any dossier is evaluated;
    the declarations are compiled then and never looked up again per dossier.

    Return one :class:`~rulekit.declaration.Certification` per rule-set version; several
    versions of one certification share its ``id`` and differ by ``version`` and
    ``effective_from``. Results of all plugins are collected. An ``id`` belongs to one
    distribution: declared by a second distribution (any version), it is unavailable and
    every plugin declaring it is reported, naming both distributions. Within one
    distribution, an ``id`` and ``version`` declared twice is reported as a plugin problem
    and the later one is ignored.
    """
    raise NotImplementedError


# -------------------------------------------------------------------------
# Rule types
# -------------------------------------------------------------------------


@hookspec
def rulekit_rule_types() -> Sequence[RuleType]:
    """Return requirement types this plugin adds to the core's primitives.

    Called once per plugin when the registry is built, before declarations are compiled.
    Each :class:`~rulekit.rules.RuleType` has a ``kind``; a declaration uses it through a
    :class:`~rulekit.declaration.CustomRequirement` of that kind, and the rule type's
    ``build`` turns it into a rule at compile time. A ``kind`` declared twice is reported as
    a plugin problem and the later one is ignored; the core's kinds come first, so a plugin
    cannot replace one.
    """
    raise NotImplementedError
