"""RNCP registration (requirement ``registration``): may the title be awarded on a date.

Inside the registration window (both ends inclusive) it can. Outside it, Code du travail
art. L6113-9 still lets it be awarded to a learner who enrolled inside the window, up to
the award deadline when one is set.
"""

from __future__ import annotations

from attrs import frozen

from rulekit import messages
from rulekit.decision import Basis, Enrolment, Missing, RequirementResult
from rulekit.declaration import Registration
from rulekit.engine.context import Context, evidence


@frozen
class RegisteredOnDate:
    """The title is registered on the as-of date, or the transitional rule applies."""

    window: Registration
    id: str = "registration"

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Return the ``registration`` requirement."""
        window, as_of = self.window, ctx.as_of
        start, end, deadline = (
            window.registered_from,
            window.registered_until,
            window.award_deadline,
        )
        if start <= as_of <= end:
            return RequirementResult(
                id=self.id,
                met=True,
                basis=Basis.REGISTERED,
                missing=(),
                evidence=(),
                message=messages.registration_open(start, end),
            )
        enrolled = ctx.dossier.enrolled_on
        cited = (evidence(Enrolment(enrolled)),) if enrolled is not None else ()
        if as_of < start:
            reason = "not_yet_registered"
        elif enrolled is None or not start <= enrolled <= end:
            reason = "registration_ended"
        elif deadline is not None and as_of > deadline:
            reason = "award_deadline_passed"
        else:
            assert enrolled is not None
            return RequirementResult(
                id=self.id,
                met=True,
                basis=Basis.TRANSITIONAL,
                missing=(),
                evidence=cited,
                message=messages.registration_transitional(enrolled, deadline),
            )
        limit = {"not_yet_registered": start, "registration_ended": end}.get(reason, deadline)
        return RequirementResult(
            id=self.id,
            met=False,
            basis=None,
            missing=(Missing(kind="registration", reason=reason, date=limit),),
            evidence=cited,
            message=messages.registration_closed(reason, start, end, deadline),
        )
