"""The invariant suite (rulekit/testing/invariants.py) with the reference evaluator.

It runs on the installed titles and on fictitious ones.
"""

from __future__ import annotations

from rulekit.testing.invariants import InvariantSuite
from tests.helpers import registry_of
from tests.plugins import credits, fictitious, skeleton


class TestInvariants(InvariantSuite):
    """Every invariant, for CASP 36625 and AIP 12976 as installed."""

    certifications = ("casp_36625", "aip_12976")


class TestInvariantsOnFictitiousTitles(InvariantSuite):
    """Every invariant, for what the installed titles do not use.

    DEMO has components that expire, an award deadline, a unit both mandatory and in a
    choice group, an attesting unit that can expire; the skeleton has no requirement at all;
    CREDITS asks for a minimum of ECTS credits (core kind ``ects``).
    """

    certifications = ("demo_00000", "skeleton_00000", "credits_00000")
    registry = registry_of(fictitious, skeleton, credits)
