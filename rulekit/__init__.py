"""rulekit: decides, with reasons, whether a learner's dossier meets a certification.

The Python API in one page (details in README.md):

- :func:`evaluate` -> :class:`~rulekit.decision.Decision`;
- :func:`load_dossier`, :func:`read_dossier` (JSON -> validated dossier),
  :func:`decision_to_json`, :func:`decision_from_dict` (cattrs-based JSON helpers);
- :data:`hookimpl` for plugins; :mod:`rulekit.declaration` for what they declare.
"""

from rulekit.api import evaluate, today
from rulekit.batch import evaluate_many as evaluate_many
from rulekit.codec import decision_from_dict, decision_to_dict, decision_to_json
from rulekit.decision import Decision, Outcome
from rulekit.dossier import Dossier
from rulekit.dossier_io import load_dossier, read_dossier
from rulekit.errors import DossierError, RulekitError, UnknownCertification, UnknownTrack
from rulekit.hookspecs import hookimpl
from rulekit.version import ENGINE_VERSION

__version__ = ENGINE_VERSION

__all__ = [
    "Decision",
    "Dossier",
    "DossierError",
    "Outcome",
    "RulekitError",
    "UnknownCertification",
    "UnknownTrack",
    "__version__",
    "decision_from_dict",
    "decision_to_dict",
    "decision_to_json",
    "evaluate",
    "hookimpl",
    "load_dossier",
    "read_dossier",
    "today",
]
