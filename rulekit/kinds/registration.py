"""Kind ``registration``: may the title be awarded on the as-of date (RNCP registration).

Inside the registration window (both ends inclusive) it can. Outside it, Code du travail
art. L6113-9 still lets it be awarded to a learner who enrolled inside the window, up to
the award deadline when one is set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from attrs import frozen

from rulekit import messages
from rulekit.decision import Basis, Enrolment, Flag, Message, Missing, RequirementResult
from rulekit.declaration import Certification, Registration, Track
from rulekit.engine.context import Context, evidence
from rulekit.french import colon, day
from rulekit.kinds.base import Kind, LintIssue
from rulekit.rules import Rule

if TYPE_CHECKING:
    from rulekit.kit.witness import WitnessPlan
    from rulekit.testing.reference import Plain
    from rulekit.testing.scenarios import ScenarioPlan

ID = "registration"
"""The requirement id of this kind."""


@frozen
class RegisteredOnDate:
    """The title is registered on the as-of date, or the transitional rule applies."""

    window: Registration
    id: str = ID

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
            message=messages.registration_closed(reason, start, end, deadline, enrolled=enrolled),
        )


class RegistrationKind(Kind):
    """The RNCP registration window, with the transitional rule of L6113-9."""

    kind = ID
    requirement_ids = (ID,)

    def requirements(self, certification: Certification, track: Track) -> Sequence[Rule]:
        """One ``registration`` rule, shared by every track, when a window is declared."""
        window = certification.registration
        return (RegisteredOnDate(window),) if window is not None else ()

    def asks(self, certification: Certification, track: Track) -> bool:
        """A date window asks for no evidence."""
        return False

    def flags(
        self,
        ctx: Context,
        certification: Certification,
        results: Mapping[str, RequirementResult],
    ) -> Iterable[Flag]:
        """``transitional_award``: awardable only through L6113-9, after the registration."""
        result = results.get(ID)
        window = certification.registration
        if result is None or result.basis is not Basis.TRANSITIONAL or window is None:
            return
        enrolled = ctx.dossier.enrolled_on
        assert enrolled is not None
        yield Flag(
            code="transitional_award",
            message=Message(
                fr="Titre délivrable au seul titre de la règle transitoire (Code du travail, "
                f"art. L6113-9){colon('fr')} l'enregistrement au RNCP a pris fin le "
                f"{day(window.registered_until, 'fr')}, l'inscription date du "
                f"{day(enrolled, 'fr')}.",
                en="Awardable only under the transitional rule (Code du travail, art. "
                f"L6113-9): the RNCP registration ended on {day(window.registered_until, 'en')}, "
                f"the learner enrolled on {day(enrolled, 'en')}.",
            ),
            evidence=(ctx.cite(Enrolment(enrolled)),),
        )

    def fields(self, requirement_id: str) -> tuple[str, ...]:
        """The registration window and award deadline."""
        return ("registration",)

    def lint(self, certification: Certification) -> Iterable[LintIssue]:
        """Inverted windows and deadlines; a rule set in force only when nothing is awardable."""
        window = certification.registration
        if window is None:
            return
        start, end, deadline = (
            window.registered_from,
            window.registered_until,
            window.award_deadline,
        )
        if end < start:
            yield LintIssue(
                "registration",
                "inverted-window",
                f"registered_until {end} is before registered_from {start}: the title is "
                "never registered",
            )
            return
        if deadline is not None and deadline < end:
            yield LintIssue(
                "registration.award_deadline",
                "inverted-window",
                f"award_deadline {deadline} is before registered_until {end}: the deadline "
                "for learners enrolled while registered would end before the registration",
            )
        effective = certification.effective_from
        if effective is not None and deadline is not None and effective > max(end, deadline):
            yield LintIssue(
                "effective_from",
                "unreachable-version",
                f"this rule set takes effect on {effective}, after the registration ended "
                f"({end}) and after the award deadline ({deadline}): it can never award the "
                "title",
            )

    def witness_date(self, plan: WitnessPlan) -> None:
        """The first day the rule set is in force and the title may be awarded.

        With an enrolment date inside the window when only the transitional rule applies.
        """
        window = plan.certification.registration
        if window is None:
            return
        effective = plan.certification.effective_from
        start, end, deadline = (
            window.registered_from,
            window.registered_until,
            window.award_deadline,
        )
        if end < start:
            plan.as_of = start
            plan.proof(
                ID,
                f"the registration window is empty (registered_until {end} is before "
                f"registered_from {start}): the title is never registered",
            )
            return
        first = max(start, effective) if effective is not None else start
        plan.as_of = first
        if first <= end:
            return
        plan.enrolled_on = start
        if deadline is not None and first > deadline:
            plan.proof(
                ID,
                f"the rule set takes effect on {first}, after the registration ended ({end}) "
                f"and after the award deadline ({deadline})",
            )

    def explain(self, plan: WitnessPlan, requirement_id: str, message: str) -> tuple[str, bool]:
        """The dates chosen are the most favourable: an unmet window is the engine's word."""
        return message, False

    def reference(
        self,
        certification: Certification,
        track: Track,
        dossier: Mapping[str, Any],
        as_of: date,
        plain: Plain,
    ) -> Mapping[str, bool] | None:
        """Inside the window (both ends inclusive), or enrolled inside it before the deadline."""
        window = certification.registration
        if window is None:
            return {}
        enrolled = plain.parse(dossier.get("enrolled_on"))
        inside = window.registered_from <= as_of <= window.registered_until
        transitional = (
            as_of > window.registered_until
            and enrolled is not None
            and window.registered_from <= enrolled <= window.registered_until
            and (window.award_deadline is None or as_of <= window.award_deadline)
        )
        return {ID: inside or transitional}

    def defects(self, certification: Certification, track: Track) -> Sequence[tuple[str, str]]:
        """Too early, too late, or past the award deadline."""
        window = certification.registration
        if window is None:
            return []
        found = [(ID, "registration_ended")]
        since = certification.components_from
        if since is None or since < window.registered_from:
            # Before the window no component counts when components count from it: a
            # dossier that early can never miss the registration alone.
            found.insert(0, (ID, "not_yet_registered"))
        if window.award_deadline is not None and window.award_deadline >= window.registered_until:
            found.append((ID, "award_deadline_passed"))
        return found

    def scenario_dates(self, plan: ScenarioPlan) -> tuple[date, date | None] | None:
        """The as-of and enrolment dates: registered, transitional, or the defect's."""
        window = plan.certification.registration
        if window is None or ID in plan.waived:
            return None
        return plan.registration_dates(window, plan.kind if plan.target == ID else None)


KIND = RegistrationKind()
