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
