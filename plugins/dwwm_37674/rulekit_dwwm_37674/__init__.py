"""rulekit plugin: Développeur web et web mobile (RNCP37674)."""

from __future__ import annotations

from collections.abc import Sequence

from rulekit import hookimpl
from rulekit.declaration import Certification
from rulekit_dwwm_37674.declaration import DWWM_37674

__all__ = ["DWWM_37674", "rulekit_certifications"]


@hookimpl
def rulekit_certifications() -> Sequence[Certification]:
    """Declare RNCP37674 (one rule-set version)."""
    return [DWWM_37674]
