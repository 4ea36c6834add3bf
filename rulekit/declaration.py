"""What a certification plugin declares: the rules of one title, as frozen data.

A plugin describes a certification with these classes and no evaluation code; the core
compiles the declaration once and evaluates every dossier against it. Everything here is
part of the rule-set digest (see :func:`rulekit.digest.ruleset_digest`), so any change of
substance, a unit, a number or a date, gives a new digest.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import Enum

from attrs import field, frozen

Scalar = str | int | float | bool | None


class ExperienceCounting(Enum):
    """Which experience periods count towards an experience rule."""

    ALL = "all"
    """Every period, in the field of the title or not."""
    IN_FIELD = "in_field"
    """Only periods marked ``in_field``."""


@frozen
class Unit:
    """A course unit (UE) a track asks for, with its ECTS credits where the source gives them."""

    code: str
    title: str = ""
    ects: int | None = None
    acquired_by: tuple[str, ...] = ()
    """How the unit may be acquired (``exam``, ``exemption``, ``vae``, ``ves``: the dossier's
    ``via``); empty: any way. A result acquired another way does not count
    (specs/core.md, "Counting a unit or bloc")."""


@frozen
class ChoiceGroup:
    """``choose`` units to pick among ``units`` (an "UE à choisir parmi")."""

    choose: int
    units: tuple[Unit, ...]

    @property
    def codes(self) -> frozenset[str]:
        """The unit codes that may fill this group."""
        return frozenset(unit.code for unit in self.units)


@frozen
class Track:
    """A curriculum variant of a title: the units it asks for, mandatory and chosen."""

    id: str
    title: str
    mandatory: tuple[Unit, ...] = ()
    choices: tuple[ChoiceGroup, ...] = ()
    source: str = ""
    """Where the unit list comes from (a seed document, an RNCP fiche)."""


@frozen
class ExperienceRule:
    """At least ``months`` months of professional experience (see the months measure).

    ``attested_by`` lists unit codes whose passing attests the experience as a whole (the
    Cnam validates the experience as a unit, e.g. CASP's UASO03).
    """

    months: int
    counting: ExperienceCounting = ExperienceCounting.ALL
    attested_by: tuple[str, ...] = ()
    entry_months: int | None = None
    """Months of experience a source asks for to *enter* training (not for the award): a
    dossier enrolled with less gets the flag ``entry_prerequisite`` (specs/core.md, "Flags")."""


@frozen
class InternshipRule:
    """An internship of at least ``months`` months.

    With ``required_below_in_field_months`` set, the internship is required only when the
    learner's experience in the field is shorter than that many months; otherwise always.
    ``in_field_only``: only internships in the field of the title count.
    """

    months: int
    required_below_in_field_months: int | None = None
    in_field_only: bool = True
    attested_by: tuple[str, ...] = ()


@frozen
class Bloc:
    """A bloc de compétences of the RNCP fiche."""

    code: str
    title: str


@frozen
class Registration:
    """When the title is registered in the RNCP, both dates inclusive.

    ``award_deadline``: last day the title may still be awarded to learners who enrolled
    while it was registered (Code du travail, art. L6113-9); ``None`` when the source sets
    none.
    """

    registered_from: date
    registered_until: date
    award_deadline: date | None = None


def _sorted_params(params: Iterable[tuple[str, Scalar]]) -> tuple[tuple[str, Scalar], ...]:
    """Return ``params`` sorted by name, whatever order (or dict) the plugin built them in."""
    return tuple(sorted(params, key=lambda pair: pair[0]))


@frozen
class CustomRequirement:
    """A requirement of a type a plugin adds (hook ``rulekit_rule_types``).

    ``params`` are ``(name, value)`` pairs, sorted by name on construction, so that the
    declaration stays hashable and its digest does not depend on the order (or the dict)
    they were built from.
    """

    kind: str
    id: str
    params: tuple[tuple[str, Scalar], ...] = field(default=(), converter=_sorted_params)


class Route(Enum):
    """A route of access to a title (voie d'accès), as RNCP fiches list them.

    The names follow the export's ``SI_JURY_*`` elements: ``FI`` initial, ``CA``
    apprenticeship, ``FC`` continuing, ``CQ`` professionalisation, ``CL`` independent,
    ``VAE`` vae.
    """

    INITIAL = "initial"
    """Après un parcours de formation sous statut d'élève ou d'étudiant."""
    APPRENTICESHIP = "apprenticeship"
    """En contrat d'apprentissage."""
    CONTINUING = "continuing"
    """Après un parcours de formation continue."""
    PROFESSIONALISATION = "professionalisation"
    """En contrat de professionnalisation."""
    INDEPENDENT = "independent"
    """Par candidature individuelle (candidat libre)."""
    VAE = "vae"
    """Par expérience (validation des acquis de l'expérience)."""


class JuryRole(Enum):
    """The role a jury member holds in the session."""

    PRESIDENT = "president"
    VICE_PRESIDENT = "vice_president"
    MEMBER = "member"


class TradeRelation(Enum):
    """How a jury member stands to the trade the title leads to.

    The values are the ones fiches use to say who may sit: AIP's seed 003 writes
    « professionnel du métier (salarié, employeur) », « ancien stagiaire », « équipe
    pédagogique ».
    """

    EMPLOYEE = "employee"
    """Salarié du métier."""
    EMPLOYER = "employer"
    """Employeur du métier."""
    FORMER_TRAINEE = "former_trainee"
    """Ancien stagiaire (former learner of the course)."""
    TRADE_PROFESSIONAL = "trade_professional"
    """Professionnel du métier, without saying whether salaried or employer."""
    TEACHING_TEAM = "teaching_team"
    """Représentant de l'équipe pédagogique (the course's teaching staff)."""
    OTHER = "other"
    """Anything else (an official of the certifier, a qualified person)."""


def _sorted_relations(relations: Iterable[TradeRelation]) -> tuple[TradeRelation, ...]:
    """Return ``relations`` without repeats, sorted by value, so the digest ignores order."""
    return tuple(sorted(set(relations), key=lambda relation: relation.value))


@frozen
class JurySeat:
    """One kind of seat of a jury: who may hold it, how many, and whether they vote.

    A member holds the seat when their role is ``role`` and their relation to the trade is
    one of ``relations``. ``minimum`` and ``maximum`` bound how many members hold it
    (``maximum`` ``None``: no upper bound). ``voting``: ``True`` the holders have a
    deliberative voice, ``False`` a consultative one only, ``None`` the fiche does not say.
    ``wording``: the fiche's own line for this seat, for auditors.
    """

    role: JuryRole
    relations: tuple[TradeRelation, ...] = field(converter=_sorted_relations)
    minimum: int = 1
    maximum: int | None = None
    voting: bool | None = None
    wording: str = ""


@frozen
class AccessRoute:
    """Whether a route of access to the title is open, since when, and under which jury.

    ``open_since``: the first day the route is open, where the source gives one (``None``:
    open for as long as the title is registered). ``composition``: the jury composition
    in the source's words. ``seats``: the same composition in structured form, which
    ``rulekit jury check`` compares a jury with; empty when only the prose is known.
    """

    route: Route
    open: bool
    open_since: date | None = None
    composition: str = ""
    seats: tuple[JurySeat, ...] = ()
    source: str = ""


@frozen
class Certification:
    """One rule-set version of a certification, as a plugin declares it.

    ``validity_years``: how long an acquired component (unit or bloc) counts after the date
    it was acquired; ``None`` means it never expires. ``blocs_required``: whether every bloc
    must be held to be awarded the title (titles awarded by blocs, like AIP 12976).
    ``version`` and ``effective_from`` tell successive rule sets of one certification apart.
    """

    id: str
    rncp: str
    title: str
    certifier: str
    level: int
    tracks: tuple[Track, ...]
    registration: Registration | None = None
    experience: ExperienceRule | None = None
    internship: InternshipRule | None = None
    validity_years: int | None = None
    blocs: tuple[Bloc, ...] = ()
    blocs_required: bool = False
    custom: tuple[CustomRequirement, ...] = ()
    version: str = "1"
    effective_from: date | None = None
    sources: tuple[str, ...] = field(default=())
    """The documents the rules come from, for auditors (specs/ holds the sentences)."""
    routes: tuple[AccessRoute, ...] = ()
    """The routes of access the source lists (empty: the source gives none)."""
    waivable: tuple[str, ...] = ()
    """The requirement ids a jury's waiver may meet (none by default); a waiver of any other
    is bad input (specs/core.md, "Waivers")."""
    components_from: date | None = None
    """Units and blocs acquired before this date do not count (reason
    ``before_registration``): components of a title not yet registered."""

    def route(self, route: Route) -> AccessRoute | None:
        """Return the declared access route ``route``, or ``None`` when it is not declared."""
        for declared in self.routes:
            if declared.route is route:
                return declared
        return None
