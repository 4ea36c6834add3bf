"""rulekit: decides, with reasons, whether a learner's dossier meets a certification.

The Python API in one page (details in README.md):

- :func:`evaluate` -> :class:`~rulekit.decision.Decision` (``dates=True``: from when, until
  when it is eligible); :func:`whatif`: the decision as if a plan happened;
- :func:`load_dossier`, :func:`read_dossier` (JSON -> validated dossier),
  :func:`decision_to_json`, :func:`decision_from_dict` (cattrs-based JSON helpers);
- :data:`hookimpl` for plugins; :mod:`rulekit.declaration` for what they declare.
"""

from __future__ import annotations

from rulekit.version import ENGINE_VERSION

TYPE_CHECKING = False
"""True for type checkers only (they read it as :data:`typing.TYPE_CHECKING`): importing
:mod:`typing` was most of what ``import rulekit`` cost."""
if TYPE_CHECKING:
    from typing import Any

    from rulekit.api import evaluate, today
    from rulekit.batch import evaluate_many
    from rulekit.catalogue_of import catalogue
    from rulekit.codec import decision_from_dict, decision_to_dict, decision_to_json
    from rulekit.decision import Decision, Outcome
    from rulekit.dossier import Dossier
    from rulekit.dossier_io import load_dossier, read_dossier
    from rulekit.errors import (
        DossierError,
        InvalidArgument,
        RulekitError,
        UnknownCertification,
        UnknownTrack,
    )
    from rulekit.hookspecs import hookimpl
    from rulekit.what_if import whatif

__version__ = ENGINE_VERSION

_PUBLIC = {
    "evaluate": "rulekit.api",
    "today": "rulekit.api",
    "evaluate_many": "rulekit.batch",
    "catalogue": "rulekit.catalogue_of",
    "decision_from_dict": "rulekit.codec",
    "decision_to_dict": "rulekit.codec",
    "decision_to_json": "rulekit.codec",
    "Decision": "rulekit.decision",
    "Outcome": "rulekit.decision",
    "Dossier": "rulekit.dossier",
    "load_dossier": "rulekit.dossier_io",
    "read_dossier": "rulekit.dossier_io",
    "DossierError": "rulekit.errors",
    "InvalidArgument": "rulekit.errors",
    "RulekitError": "rulekit.errors",
    "UnknownCertification": "rulekit.errors",
    "UnknownTrack": "rulekit.errors",
    "hookimpl": "rulekit.hookspecs",
    "whatif": "rulekit.what_if",
}
"""Each public name and its module, imported on first use: ``import rulekit`` stays cheap
(the command line starts faster, a plugin importing ``hookimpl`` loads no engine)."""


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'rulekit' has no attribute {name!r}")
    import importlib  # noqa: PLC0415

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])


__all__ = [
    "Decision",
    "Dossier",
    "DossierError",
    "InvalidArgument",
    "Outcome",
    "RulekitError",
    "UnknownCertification",
    "UnknownTrack",
    "__version__",
    "catalogue",
    "decision_from_dict",
    "decision_to_dict",
    "decision_to_json",
    "evaluate",
    "evaluate_many",
    "hookimpl",
    "load_dossier",
    "read_dossier",
    "today",
    "whatif",
]
