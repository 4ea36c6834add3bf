"""Lawful juries: a jury file compared with the composition a certification declares.

- :func:`load_jury`, :func:`read_jury`: a jury file (JSON ``rulekit.jury/1``, schema in
  ``rulekit/schemas/jury.schema.json``) -> :class:`Jury`;
- :func:`check` -> :class:`JuryCheck` (``lawful``, ``findings`` in French and English);
- ``rulekit jury check JURY.json --certification ID [--route R]`` on the command line.
"""

from __future__ import annotations

from rulekit.jury.check import CHECK_FORMAT, JuryCheck, JuryCheckError, JuryFinding, check, compare
from rulekit.jury.io import JuryFileError, jury_from_dict, load_jury, read_jury, validate_jury
from rulekit.jury.model import JURY_FORMAT, Jury, Member

__all__ = [
    "CHECK_FORMAT",
    "JURY_FORMAT",
    "Jury",
    "JuryCheck",
    "JuryCheckError",
    "JuryFileError",
    "JuryFinding",
    "Member",
    "check",
    "compare",
    "jury_from_dict",
    "load_jury",
    "read_jury",
    "validate_jury",
]
