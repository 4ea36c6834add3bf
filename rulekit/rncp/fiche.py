"""One RNCP fiche, as much of it as a declaration can use."""

from __future__ import annotations

from datetime import date

from attrs import frozen


@frozen
class Coded:
    """A code and its label (NSF, ROME, bloc)."""

    code: str
    label: str


@frozen
class FicheRoute:
    """One ``SI_JURY_*`` element of a fiche: a route of access and its jury, as written.

    ``tag`` is the element (``SI_JURY_FI``, ``SI_JURY_CA``, ``SI_JURY_FC``, ``SI_JURY_CQ``,
    ``SI_JURY_CL``, ``SI_JURY_VAE``); ``active`` its ``ACTIF`` (``Oui`` or ``Non``) as
    written; ``composition`` its ``COMPOSITION`` prose as written (stripped at both ends:
    the export separates its lines with runs of spaces);
    ``modified`` its ``DATE_DERNIERE_MODIFICATION``, the last change of the element (not
    the day the route opened).
    """

    tag: str
    active: str | None
    composition: str | None
    modified: date | None = None


@frozen
class Fiche:
    """What rulekit reads from one ``FICHE`` of the export.

    Every field is copied from the fiche; a field the fiche leaves out is ``None`` or empty,
    never guessed. Dates come from ``dd/mm/yyyy`` text.
    """

    number: str
    """``NUMERO_FICHE`` of the fiche itself (RNCPnnnnn), never one of ``CORRESPONDANCES``."""
    title: str | None
    level: int | None
    """From ``NOMENCLATURE_EUROPE/NIVEAU`` (``NIV5`` is 5)."""
    level_text: str | None
    """``NIVEAU`` as written, kept when it is not of the form ``NIVn``."""
    active: str | None
    state: str | None
    certifiers: tuple[str, ...]
    nsf: tuple[Coded, ...]
    rome: tuple[Coded, ...]
    blocs: tuple[Coded, ...]
    effective: date | None
    """``DATE_EFFET``: first day of the registration."""
    registered_until: date | None
    """``DATE_FIN_ENREGISTREMENT``: last day of the registration."""
    award_deadline: date | None
    """``DATE_LIMITE_DELIVRANCE``: last day the title may be awarded."""
    former: tuple[str, ...]
    """``ANCIENNES_CERTIFICATIONS``: the fiches this one succeeds."""
    new: tuple[str, ...]
    """``NOUVELLES_CERTIFICATIONS``: the fiches that succeed this one."""
    published: date | None = None
    """``DATE_DE_PUBLICATION``."""
    routes: tuple[FicheRoute, ...] = ()
    """The fiche's ``SI_JURY_*`` elements, in the export's order (FI, CA, FC, CQ, CL, VAE)."""
