"""The decision (JSON format ``rulekit.decision/1``): outcome, each requirement, reasons."""

from __future__ import annotations

from datetime import date
from enum import Enum

from attrs import frozen

from rulekit.dossier import BlockResult, Experience, Internship, Learner, UnitResult, Waiver

DECISION_FORMAT = "rulekit.decision/1"


class Outcome(Enum):
    """Whether the dossier meets every requirement of the certification."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"


class Basis(Enum):
    """How a met requirement was met."""

    EVIDENCE = "evidence"
    """Dossier items (units, periods, blocs) prove it."""
    ATTESTATION = "attestation"
    """A passed unit attests it as a whole (e.g. CASP's UASO03 for experience)."""
    WAIVER = "waiver"
    """A jury waived it; the waiver is cited with who, when and why."""
    NOT_REQUIRED = "not_required"
    """The rule does not apply to this dossier; the evidence shows why."""
    REGISTERED = "registered"
    """The as-of date falls inside the RNCP registration window."""
    TRANSITIONAL = "transitional"
    """Code du travail L6113-9: enrolled while the title was registered."""
    ROUTE_OPEN = "route_open"
    """The dossier's route of access is open for the title on the as-of date."""


@frozen
class Message:
    """A sentence for jury staff and learners, in French and English."""

    fr: str
    en: str


@frozen
class Enrolment:
    """The dossier's enrolment date, cited as evidence by the registration rule."""

    enrolled_on: date


EvidenceItem = UnitResult | BlockResult | Experience | Internship | Waiver | Enrolment


@frozen
class Evidence:
    """A dossier item a requirement relied on; in JSON, the item's fields plus ``type``.

    ``title``: the unit's or bloc's title as the declaration gives it (JSON ``title``,
    omitted when the declaration has none), so that a reader need not look codes up.
    """

    type: str
    item: EvidenceItem
    title: str | None = None


@frozen
class Missing:
    """Something still needed by a requirement.

    A unit or bloc ``code`` (with its declared ``title``), ``count`` units ``among`` a
    group, ``months`` of some period kind, or a registration condition; ``reason`` and
    ``date`` say why a held component does not count (``expired`` on ``date``) or why
    the title cannot be awarded.
    """

    kind: str
    code: str | None = None
    title: str | None = None
    count: int | None = None
    among: tuple[str, ...] | None = None
    months: float | None = None
    reason: str | None = None
    date: date | None = None


@frozen
class NotCounted:
    """A dossier item relevant to a requirement that did not count, and why."""

    evidence: Evidence
    reason: str


@frozen
class Measure:
    """What a months requirement counted, in days, and the months those make for reading.

    The rule is in days (specs/core.md, Months): ``required_days`` is D(k), the fewest days
    any ``required`` (k) consecutive calendar months hold; ``counted_days`` the
    full-time-equivalent days the periods prove, floored to 1/100 day. Internships stating
    their hours of presence count ``presence_days`` instead (one per 7 hours, 22 a month:
    Code de l'éducation, art. D124-6). ``counted`` is the months these make of the
    requirement, k × counted days / D(k) plus presence days / 22, floored to 1/100 month,
    so it reaches ``required`` exactly when the requirement is met by them.
    """

    required: float
    counted: float
    required_days: int = 0
    counted_days: float = 0.0
    presence_days: int = 0


@frozen
class RequirementResult:
    """One requirement of the certification, met or not, with its reasons."""

    id: str
    met: bool
    basis: Basis | None
    missing: tuple[Missing, ...]
    evidence: tuple[Evidence, ...]
    message: Message
    measure: Measure | None = None
    not_counted: tuple[NotCounted, ...] = ()


@frozen
class Flag:
    """An observation for the jury that never changes the outcome (specs/core.md, "Flags").

    ``code`` is stable for tools (``transitional_award``…); ``evidence`` the dossier items
    it points at.
    """

    code: str
    message: Message
    evidence: tuple[Evidence, ...] = ()


@frozen
class CertificationRef:
    """Which rules decided: enough to find and replay the exact rule set."""

    id: str
    rncp: str
    title: str
    plugin: str
    plugin_version: str
    ruleset_version: str
    ruleset_digest: str


@frozen
class TrackSummary:
    """The outcome another track of the certification would have given."""

    track: str
    outcome: Outcome
    unmet: tuple[str, ...]


@frozen
class UntilReason:
    """Why an eligible decision stops being eligible the day after its ``eligible_until``.

    ``requirement``: the requirement that becomes unmet (``None`` when the rule set in force
    changes that day); ``reason``: ``expired`` (a unit or bloc reaches the end of its
    validity: ``kind`` ``unit`` or ``block``, its ``code`` and declared ``title``),
    ``registration_ended``, ``award_deadline_passed``, ``ruleset_changed``, or
    ``no_longer_met`` for a requirement of a plugin's kind that says no more
    (specs/core.md, "Eligible from, eligible until").
    """

    requirement: str | None
    reason: str
    kind: str | None = None
    code: str | None = None
    title: str | None = None


@frozen(kw_only=True)
class Decision:
    """The reasoned answer for one dossier, certification, track and as-of date."""

    format: str = DECISION_FORMAT
    learner: Learner
    as_of: date
    track: str
    outcome: Outcome
    certification: CertificationRef
    engine_version: str
    text_version: str
    input_digest: str
    requirements: tuple[RequirementResult, ...]
    other_tracks: tuple[TrackSummary, ...] = ()
    flags: tuple[Flag, ...] = ()
    eligible_from: date | None = None
    """Not eligible: the first later day it would be, by time alone (asked for; else None)."""
    eligible_until: date | None = None
    """Eligible: the last day it stays so if nothing else happens (asked for; else None)."""
    eligible_until_reasons: tuple[UntilReason, ...] = ()
    """Why it is no longer eligible the day after ``eligible_until``."""

    @property
    def eligible(self) -> bool:
        """Whether the outcome is ``eligible``."""
        return self.outcome is Outcome.ELIGIBLE

    def requirement(self, requirement_id: str) -> RequirementResult:
        """Return the requirement with this id.

        :raises KeyError: when the certification has no such requirement.
        """
        for requirement in self.requirements:
            if requirement.id == requirement_id:
                return requirement
        raise KeyError(requirement_id)
