"""Streaming read of the RNCP export: one ``FICHE`` at a time, in constant memory.

The national export (``export_fiches_RNCP_V4_1_YYYY-MM-DD.xml``) holds every fiche and
weighs several hundred MB, so it is never loaded whole: ``iterparse`` builds one fiche,
the fiche is read, then cleared and detached from the root. Children of a fiche that a
declaration never uses (partners, statistics, long texts) are cleared as soon as they end,
so a fiche with thousands of partners costs no more than one without.

Hostile XML is refused: the export is downloaded from the web and may be tampered with on
the way. ``defusedxml`` parses with entity declarations, external entities and DTDs
forbidden (the real export has none), which closes entity-expansion bombs (billion laughs,
quadratic blow-up) and external-entity file or network reads, none of which the standard
library's parser refuses on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from rulekit.errors import RulekitError
from rulekit.rncp.fiche import Coded, Fiche, FicheRoute

ROOT = "FICHES"
FICHE = "FICHE"
SUPPORTED_VERSION = "4."
"""Versions of the export format read (``VERSION_FLUX``): 4.x, documented on data.gouv.fr."""

ROUTE_TAGS = (
    "SI_JURY_FI",
    "SI_JURY_CA",
    "SI_JURY_FC",
    "SI_JURY_CQ",
    "SI_JURY_CL",
    "SI_JURY_VAE",
)
"""The elements of a fiche giving a route of access and its jury, in the export's order."""

USED = frozenset(
    {
        *ROUTE_TAGS,
        "NUMERO_FICHE",
        "INTITULE",
        "ACTIF",
        "ETAT_FICHE",
        "NOMENCLATURE_EUROPE",
        "CERTIFICATEURS",
        "CODES_NSF",
        "CODES_ROME",
        "BLOCS_COMPETENCES",
        "DATE_EFFET",
        "DATE_FIN_ENREGISTREMENT",
        "DATE_LIMITE_DELIVRANCE",
        "DATE_DE_PUBLICATION",
        "ANCIENNES_CERTIFICATIONS",
        "NOUVELLES_CERTIFICATIONS",
    }
)
"""Children of ``FICHE`` read; the others are cleared as soon as they are parsed."""

FICHE_NUMBER = re.compile(r"^(RNCP|RS)[0-9]{1,6}$")
_DATE = re.compile(r"^([0-9]{2})/([0-9]{2})/([0-9]{4})$")
_LEVEL = re.compile(r"^NIV([1-8])$")


class RncpError(RulekitError):
    """The export cannot be read, or a fiche holds a value that is not what V4.1 says."""


def _text(element: Element | None) -> str | None:
    """The element's text with runs of white space made one space; None when empty."""
    if element is None or element.text is None:
        return None
    text = " ".join(element.text.split())
    return text or None


def _as_written(element: Element | None) -> str | None:
    """The element's text as written, only stripped at both ends; None when empty.

    Jury compositions keep their inner spacing: the export separates the lines of a
    composition with runs of spaces, which collapsing would run together.
    """
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def _date(fiche: Element, number: str, tag: str, parent: str = "") -> date | None:
    text = _text(fiche.find(tag))
    if text is None:
        return None
    where = f"{parent}/{tag}" if parent else tag
    match = _DATE.match(text)
    if match is None:
        raise RncpError(f"{number} {where}: {text!r} is not a date dd/mm/yyyy")
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise RncpError(f"{number} {where}: {text!r} is not a real calendar date") from None


def _coded(fiche: Element, path: str) -> tuple[Coded, ...]:
    items = []
    for item in fiche.findall(path):
        code = _text(item.find("CODE"))
        if code is not None:
            items.append(Coded(code, _text(item.find("LIBELLE")) or ""))
    return tuple(items)


def _numbers(fiche: Element, path: str) -> tuple[str, ...]:
    return tuple(text for e in fiche.findall(path) if (text := _text(e)) is not None)


def _routes(fiche: Element, number: str) -> tuple[FicheRoute, ...]:
    routes = []
    for tag in ROUTE_TAGS:
        element = fiche.find(tag)
        if element is None:
            continue
        routes.append(
            FicheRoute(
                tag=tag,
                active=_text(element.find("ACTIF")),
                composition=_as_written(element.find("COMPOSITION")),
                modified=_date(element, number, "DATE_DERNIERE_MODIFICATION", tag),
            )
        )
    return tuple(routes)


def read_fiche(fiche: Element) -> Fiche:
    """Return what rulekit uses of one ``FICHE`` element.

    Only paths below the fiche itself are read (``FICHE/NUMERO_FICHE``,
    ``FICHE/BLOCS_COMPETENCES/BLOC_COMPETENCES``), never the fiche numbers and bloc codes
    of the other fiches that ``CORRESPONDANCES`` mentions.

    :raises RncpError: when the fiche has no number or a date is malformed.
    """
    number = _text(fiche.find("NUMERO_FICHE"))
    if number is None:
        raise RncpError("a FICHE has no NUMERO_FICHE")
    level_text = _text(fiche.find("NOMENCLATURE_EUROPE/NIVEAU"))
    level_match = _LEVEL.match(level_text or "")
    return Fiche(
        number=number,
        title=_text(fiche.find("INTITULE")),
        level=int(level_match.group(1)) if level_match else None,
        level_text=level_text,
        active=_text(fiche.find("ACTIF")),
        state=_text(fiche.find("ETAT_FICHE")),
        certifiers=_numbers(fiche, "CERTIFICATEURS/CERTIFICATEUR/NOM_CERTIFICATEUR"),
        nsf=_coded(fiche, "CODES_NSF/NSF"),
        rome=_coded(fiche, "CODES_ROME/ROME"),
        blocs=_coded(fiche, "BLOCS_COMPETENCES/BLOC_COMPETENCES"),
        effective=_date(fiche, number, "DATE_EFFET"),
        registered_until=_date(fiche, number, "DATE_FIN_ENREGISTREMENT"),
        award_deadline=_date(fiche, number, "DATE_LIMITE_DELIVRANCE"),
        former=_numbers(
            fiche, "ANCIENNES_CERTIFICATIONS/ANCIENNE_CERTIFICATION/ID_FICHE_ANCIENNE_CERTIFICATION"
        ),
        new=_numbers(
            fiche, "NOUVELLES_CERTIFICATIONS/NOUVELLE_CERTIFICATION/ID_FICHE_NOUVELLE_CERTIFICATION"
        ),
        published=_date(fiche, number, "DATE_DE_PUBLICATION"),
        routes=_routes(fiche, number),
    )


def _fiche_elements(path: Path) -> Iterator[Element]:
    """Yield each ``FICHE`` element once complete; it is cleared when the caller resumes."""
    depth = 0
    root: Element | None = None
    try:
        for event, element in iterparse(str(path), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                if depth == 0:
                    if element.tag != ROOT:
                        raise RncpError(
                            f"{path}: root element is {element.tag}, expected {ROOT} "
                            "(RNCP export, format V4.1)"
                        )
                    root = element
                depth += 1
                continue
            depth -= 1
            if depth == 1 and element.tag == FICHE:
                yield element
                element.clear()
                if root is not None:
                    root.remove(element)
            elif depth == 1 and element.tag == "VERSION_FLUX":
                version = _text(element) or ""
                if not version.startswith(SUPPORTED_VERSION):
                    raise RncpError(
                        f"{path}: VERSION_FLUX {version!r} is not a 4.x export; "
                        "rulekit reads format V4.1"
                    )
            elif depth == 2 and element.tag not in USED:
                element.clear()
    except ParseError as exc:
        raise RncpError(f"{path}: not well-formed XML ({exc})") from None
    except DefusedXmlException as exc:
        raise RncpError(
            f"{path}: refused ({exc}): the RNCP export declares no DTD or entity, and one "
            "here could expand without bound or read other files"
        ) from None
    except OSError as exc:
        raise RncpError(f"{path}: cannot read ({exc.strerror or exc})") from None


def iter_fiches(path: Path) -> Iterator[Fiche]:
    """Yield every fiche of the export at ``path``, in file order.

    :raises RncpError: when the file cannot be read, is not well-formed, declares a DTD or
        entities, is not an RNCP export V4.x, or holds a malformed date.
    """
    for element in _fiche_elements(path):
        yield read_fiche(element)


def find_fiche(path: Path, number: str) -> Fiche | None:
    """Return fiche ``number`` (``RNCP37674``) of the export at ``path``, or None.

    Reading stops at the fiche; fiches before it are only checked for their number, so a
    malformed date elsewhere in the export does not stop the import.
    """
    for element in _fiche_elements(path):
        if _text(element.find("NUMERO_FICHE")) == number:
            return read_fiche(element)
    return None
