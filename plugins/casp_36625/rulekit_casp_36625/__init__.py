"""rulekit plugin: Chargé d'accompagnement social et professionnel (RNCP 36625)."""

from __future__ import annotations

from collections.abc import Sequence

from rulekit import hookimpl
from rulekit.declaration import Certification
from rulekit_casp_36625.declaration import CASP_36625

__all__ = ["CASP_36625", "rulekit_certifications"]


@hookimpl
def rulekit_certifications() -> Sequence[Certification]:
    """Declare CASP 36625 (one rule-set version)."""
    return [CASP_36625]
