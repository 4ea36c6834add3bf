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

Dates and numbers follow CLDR for ``fr_FR`` and ``en_GB`` as Babel ships it, never the
machine's locale, so the same decision gives the same text everywhere. They need only the
month names (:data:`MONTHS`) and two signs (:data:`_SYMBOLS`), held here as Babel gives
them: loading Babel's locale data was a sixth of the instructions of ``rulekit evaluate
FILE``, for twelve words and two signs a language. tests/test_french.py checks both
functions against Babel's ``format_date`` and ``format_decimal`` (every date of a 400-year
cycle, generated numbers), so Babel is a test dependency of this module only.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    PARIS: ZoneInfo
    """The time zone jury staff read recording times in (loaded on first use)."""

NNBSP = "\u202f"
"""Narrow no-break space (espace fine insécable)."""

PARIS_KEY = "Europe/Paris"
"""The IANA name of the time zone jury staff read recording times in."""

MONTHS: dict[str, tuple[str, ...]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
"""The months as dates write them (CLDR's wide format names, Babel's ``MMMM``), by language."""


def __getattr__(name: str) -> Any:
    """:data:`PARIS` on first use (PEP 562): loading a time zone is left to what shows one."""
    if name == "PARIS":
        from zoneinfo import ZoneInfo  # noqa: PLC0415

        return ZoneInfo(PARIS_KEY)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    """Return a number to 1/100, trailing zeros dropped: ``12,5`` / ``12.5``, ``1 096``.

    What Babel's ``format_decimal(value, format="#,##0.##")`` gives for ``fr_FR`` and
    ``en_GB``, by the same steps (``NumberPattern.apply``): the number as the decimal its
    ``str`` writes, quantized to 1/100 in the current :mod:`decimal` context (half to even),
    thousands grouped by 3, trailing zeros of the decimals dropped, ``-`` before a negative
    one (``-0`` included), ``∞`` for an infinity.
    """
    from decimal import Decimal  # noqa: PLC0415 - only numbers in words need it

    point, group = _SYMBOLS[lang]
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    sign = "-" if exact.is_signed() else ""
    exact = abs(exact).normalize()
    if exact.is_infinite():
        return f"{sign}∞"
    whole, _, decimals = f"{exact.quantize(Decimal(10) ** -2):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    decimals = decimals.rstrip("0")
    return sign + group.join([whole, *groups]) + (point + decimals if decimals else "")


_SYMBOLS = {"fr": (",", NNBSP), "en": (".", ",")}
"""The decimal sign and the thousands separator of CLDR ``fr_FR`` and ``en_GB``."""


def percent(fraction: float, lang: str) -> str:
    """Return a fraction as a percentage: « 50 % » (narrow no-break space) or ``50%``."""
    shown = number(round(fraction * 100, 2), lang)
    return f"{shown}{NNBSP}%" if lang == "fr" else f"{shown}%"


@functools.lru_cache(maxsize=4096)
def day(value: date, lang: str) -> str:
    """Return a date in words: « 1er juillet 2023 », « 14 mars 2024 », "1 July 2023".

    What Babel's ``format_date(value, format="d MMMM y")`` gives for ``fr_FR`` and ``en_GB``
    (day and year unpadded), with « 1er » for the first of the month in French.
    """
    month = MONTHS[lang][value.month - 1]
    if lang == "fr" and value.day == 1:
        return f"1er {month} {value.year}"
    return f"{value.day} {month} {value.year}"


def moment(value: datetime, lang: str) -> str:
    """Return an instant as jury staff in France read it, in Europe/Paris local time.

    « 2 décembre 2026 à 14 h 05 » in French; "2 December 2026 at 14:05 (Paris time)" in
    English. A naive ``value`` is taken as UTC.
    """
    from zoneinfo import ZoneInfo  # noqa: PLC0415 - only what shows an instant loads zones

    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    local = value.astimezone(ZoneInfo(PARIS_KEY))
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
