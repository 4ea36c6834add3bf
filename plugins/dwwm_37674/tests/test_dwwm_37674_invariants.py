"""The invariant suite of rulekit.testing (determinism, monotonic evidence...) on dwwm_37674."""

from rulekit.testing.invariants import InvariantSuite


class TestInvariants(InvariantSuite):
    """Every invariant property, for every rule-set version of dwwm_37674."""

    certifications = ("dwwm_37674",)
