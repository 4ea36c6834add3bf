"""French and English typography for what jury staff read: dates, numbers, names.

One place for the rules of French typography the messages, the text report and the
decision page follow (Imprimerie nationale, *Lexique des règles typographiques en usage
à l'Imprimerie nationale*; the CLDR data Babel ships for ``fr_FR``):

- a narrow no-break space (U+202F) before « : », « ; », « ! », « ? » and inside
  « guillemets », so that a line never starts with the sign;
- a decimal comma (« note 12,5 ») and a narrow no-break space before « % » and between
  thousands (« 1 096 jours »);
- dates in words with the ordinal « 1er » for the first of the month
  (« 1er juillet 2023 »); English dates as "1 July 2023".

Dates and month names come from Babel with an explicit locale, never from the machine's
locale, so the same decision gives the same text everywhere. Babel is imported on first
use: ``import rulekit`` stays light for the command line's start-up.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from zoneinfo import ZoneInfo

NNBSP = "\u202f"
"""Narrow no-break space (espace fine insécable)."""

PARIS = ZoneInfo("Europe/Paris")
"""The time zone jury staff read recording times in."""

_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def colon(lang: str) -> str:
    """The colon as ``lang`` writes it: « \u202f: » in French, ``:`` in English."""
    return f"{NNBSP}:" if lang == "fr" else ":"


def label(text: str, lang: str) -> str:
    """Return ``text`` followed by a colon (« Parcours\u202f: »)."""
    return text + colon(lang)


def semicolon(lang: str) -> str:
    """The separator of a list of clauses: « \u202f; » in French, ``;`` in English."""
    return f"{NNBSP}; " if lang == "fr" else "; "


def typeset(text: str, lang: str) -> str:
    """Return text from elsewhere (a declared title) with French spacing before « : ; ! ? ».

    A plain space, or none, before those signs becomes a narrow no-break space; English
    text is returned as it is.
    """
    if lang != "fr":
        return text
    out: list[str] = []
    for char in text:
        if char in ":;!?" and out:
            while out and out[-1] in (" ", "\u00a0"):
                out.pop()
            if out and out[-1] != NNBSP:
                out.append(NNBSP)
        out.append(char)
    return "".join(out)


def quoted(text: str, lang: str) -> str:
    """Return ``text`` in quotation marks: « \u202ftexte\u202f » or “text”."""
    return f"«{NNBSP}{text}{NNBSP}»" if lang == "fr" else f"\u201c{text}\u201d"


def number(value: float, lang: str) -> str:
    """Return a number to 1/100, trailing zeros dropped: ``12,5`` / ``12.5``, ``1 096``."""
    from babel.numbers import format_decimal  # noqa: PLC0415 (Babel loads on first use)

    return format_decimal(value, format="#,##0.##", locale=_LOCALES[lang])


def percent(fraction: float, lang: str) -> str:
    """Return a fraction as a percentage: « 50 % » (narrow no-break space) or ``50%``."""
    shown = number(round(fraction * 100, 2), lang)
    return f"{shown}{NNBSP}%" if lang == "fr" else f"{shown}%"


@functools.lru_cache(maxsize=4096)
def day(value: date, lang: str) -> str:
    """Return a date in words: « 1er juillet 2023 », « 14 mars 2024 », "1 July 2023"."""
    from babel.dates import format_date  # noqa: PLC0415 (Babel loads on first use)

    text = format_date(value, format="d MMMM y", locale=_LOCALES[lang])
    if lang == "fr" and value.day == 1:
        text = "1er" + text[1:]
    return text


def moment(value: datetime, lang: str) -> str:
    """Return an instant as jury staff in France read it, in Europe/Paris local time.

    « 2 décembre 2026 à 14 h 05 » in French; "2 December 2026 at 14:05 (Paris time)" in
    English. A naive ``value`` is taken as UTC.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    local = value.astimezone(PARIS)
    if lang == "fr":
        return f"{day(local.date(), 'fr')} à {local.hour}{NNBSP}h{NNBSP}{local.minute:02d}"
    return f"{day(local.date(), 'en')} at {local.hour:02d}:{local.minute:02d} (Paris time)"


def unit_noun(code: str) -> str:
    """The French noun for a unit: « UE » for a course unit, « unité » for a Cnam ``UA`` unit.

    Seed 000 lists the courses of the CASP title under « Enseignements » and asks for
    « Une UE à choisir parmi »; the codes beginning with ``UA`` (UASO03 for the professional
    experience, UASO04 for the workshop, UA211G for the experience report) are not courses
    but the Cnam's activity units, so they are « unités », never « UE ».
    """
    return "unité" if code.startswith("UA") else "UE"


def the_unit(code: str, lang: str) -> str:
    """« l'UE TET099 », « l'unité UA211G » / "unit TET099"."""
    if lang == "fr":
        return f"l'{unit_noun(code)} {code}"
    return f"unit {code}"


REQUIREMENTS: dict[str, tuple[str, str]] = {
    "units": ("Unités obligatoires", "Mandatory units"),
    "choice": ("Unités au choix", "Optional units"),
    "experience": ("Expérience professionnelle", "Professional experience"),
    "internship": ("Stage", "Internship"),
    "blocks": ("Blocs de compétences", "Skill blocks"),
    "registration": ("Enregistrement au RNCP", "RNCP registration"),
    "ects": ("Crédits ECTS", "ECTS credits"),
    "route": ("Voie d'accès", "Route of access"),
}
"""The name of each requirement (by id, or by kind for a custom requirement)."""


def requirement_name(requirement_id: str, lang: str, kind: str | None = None) -> str:
    """Return a requirement's name in words; an unknown one is quoted after « Exigence »."""
    names = REQUIREMENTS.get(requirement_id) or (REQUIREMENTS.get(kind) if kind else None)
    if names is not None:
        return names[0] if lang == "fr" else names[1]
    prefix = "Exigence" if lang == "fr" else "Requirement"
    return f"{prefix} {quoted(requirement_id, lang)}"
