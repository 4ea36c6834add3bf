"""rulekit plugin: Accompagnateur en insertion professionnelle (RNCP 12976)."""

from __future__ import annotations

from collections.abc import Sequence

from rulekit import hookimpl
from rulekit.declaration import Certification
from rulekit_aip_12976.declaration import AIP_12976

__all__ = ["AIP_12976", "rulekit_certifications"]


@hookimpl
def rulekit_certifications() -> Sequence[Certification]:
    """Declare AIP 12976 (one rule-set version)."""
    return [AIP_12976]
