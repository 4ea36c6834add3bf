"""A learner's dossier (JSON format ``rulekit.dossier/1``) as frozen objects.

Only :mod:`rulekit.dossier_io` builds these from JSON, after validation, so an instance
always holds consistent data: dates are real, periods end on or after they start, ``fte``
lies in (0, 1].
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from attrs import frozen

from rulekit.declaration import Route

DOSSIER_FORMAT = "rulekit.dossier/1"


class Result(Enum):
    """The result of a unit or bloc."""

    PASSED = "passed"
    FAILED = "failed"
    IN_PROGRESS = "in_progress"


class Via(Enum):
    """How a unit was obtained."""

    EXAM = "exam"
    EXEMPTION = "exemption"
    """Dispense: counts as passed, and is cited as an exemption."""
    VAE = "vae"
    VES = "ves"


@frozen
class Learner:
    """Who the dossier is about."""

    id: str
    name: str | None = None


@frozen
class UnitResult:
    """A learner's result in one course unit (UE)."""

    code: str
    result: Result
    date: date | None = None
    grade: float | None = None
    ects: float | None = None
    via: Via = Via.EXAM
    reference: str | None = None


@frozen
class BlockResult:
    """A learner's result in one bloc de compétences."""

    code: str
    result: Result
    date: date


@frozen
class Experience:
    """A period of professional experience; ``end`` ``None`` means still ongoing."""

    start: date
    in_field: bool
    end: date | None = None
    fte: float = 1.0
    employer: str | None = None
    role: str | None = None


@frozen
class Internship:
    """An internship (stage); ``end`` ``None`` means still ongoing.

    ``hours``: the hours of effective presence its attestation states (Code de l'éducation,
    art. L124-1 and D124-6), when given; the internship is then counted by presence rather
    than by its days (specs/core.md, Internship).
    """

    start: date
    in_field: bool
    end: date | None = None
    host: str | None = None
    hours: int | None = None


@frozen
class Waiver:
    """A jury's decision that a requirement is met without the usual evidence."""

    requirement: str
    granted_by: str
    date: date
    reason: str


@frozen(kw_only=True)
class Dossier:
    """Everything a learner submits for the award of a title."""

    format: str = DOSSIER_FORMAT
    learner: Learner
    certification: str | None = None
    track: str | None = None
    enrolled_on: date | None = None
    route: Route | None = None
    """The route of access (voie d'accès) the learner takes, when the dossier says."""
    units: tuple[UnitResult, ...] = ()
    blocks: tuple[BlockResult, ...] = ()
    experience: tuple[Experience, ...] = ()
    internships: tuple[Internship, ...] = ()
    waivers: tuple[Waiver, ...] = ()
