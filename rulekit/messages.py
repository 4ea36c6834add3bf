"""Sentences for jury staff and learners, in French and English.

Every requirement's ``message`` is built here, so wording can change (a recorded text
version) without touching the rules. French follows :mod:`rulekit.french`: agreement with
the noun (« unité validée », « bloc acquis »), singular for one item, a narrow no-break
space before « : » and « ; », dates in words (« 1er juillet 2023 »).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from attrs import frozen

from rulekit.decision import Measure, Message
from rulekit.dossier import Waiver
from rulekit.french import colon, day, semicolon


def months_text(value: float, lang: str) -> str:
    """Return a number of months as a language's reader expects it (``17,96`` in French)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def codes(items: Iterable[str]) -> str:
    """Return codes joined by commas."""
    return ", ".join(items)


def _plural(count: int, singular: str, plural: str) -> str:
    """The form agreeing with ``count`` (French: singular for 0 and 1)."""
    return singular if count <= 1 else plural


def waived(waiver: Waiver) -> Message:
    """The requirement is met by a waiver: who, when and why."""
    return Message(
        fr=f"Exigence levée par dérogation accordée par {waiver.granted_by} le "
        f"{day(waiver.date, 'fr')}{colon('fr')} {waiver.reason}",
        en=f"Requirement waived by {waiver.granted_by} on {day(waiver.date, 'en')}: "
        f"{waiver.reason}",
    )


def attested(unit: str, what_fr: str, what_en: str) -> Message:
    """The requirement is attested by a passed unit (``what_fr``: a feminine noun phrase)."""
    return Message(
        fr=f"{what_fr} attestée par la validation de l'unité {unit}.",
        en=f"{what_en} attested by passed unit {unit}.",
    )


def units_met(count: int, exemptions: int) -> Message:
    """Every mandatory unit is held."""
    extra_fr = f", dont {exemptions} par dispense" if exemptions else ""
    extra_en = f", {exemptions} of them by exemption" if exemptions else ""
    if count == 1:
        extra_en = " by exemption" if exemptions else ""
        return Message(
            fr=f"L'unité obligatoire est validée{' par dispense' if exemptions else ''}.",
            en=f"The mandatory unit is passed{extra_en}.",
        )
    return Message(
        fr=f"Les {count} unités obligatoires sont validées{extra_fr}.",
        en=f"All {count} mandatory units are passed{extra_en}.",
    )


def units_missing(missing: list[str]) -> Message:
    """Some mandatory units are not held."""
    many = len(missing) > 1
    noun = "Unités obligatoires non validées" if many else "Unité obligatoire non validée"
    return Message(
        fr=f"{noun}{colon('fr')} {codes(missing)}.",
        en=f"Mandatory {'units' if many else 'unit'} not passed: {codes(missing)}.",
    )


def choice_met(chosen: list[str]) -> Message:
    """Every choice group is filled."""
    many = len(chosen) > 1
    return Message(
        fr=f"{_plural(len(chosen), 'Unité au choix validée', 'Unités au choix validées')}"
        f"{colon('fr')} {codes(chosen)}.",
        en=f"Optional {'units' if many else 'unit'} passed: {codes(chosen)}.",
    )


def choice_missing(groups: list[tuple[int, list[str]]]) -> Message:
    """Some choice groups are not filled: ``(count, among)`` per group."""
    fr = semicolon("fr").join(
        f"{n} {_plural(n, 'unité', 'unités')} à choisir parmi {codes(among)}" for n, among in groups
    )
    en = "; ".join(
        f"{n} {'unit' if n == 1 else 'units'} to choose from {codes(among)}" for n, among in groups
    )
    return Message(fr=f"Il manque{colon('fr')} {fr}.", en=f"Still needed: {en}.")


@frozen
class MonthsWording:
    """What a months requirement counts, as its messages name it in French and English.

    ``short_fr`` agrees with the French noun (« Stage insuffisant », « Expérience
    professionnelle insuffisante »).
    """

    fr: str
    en: str
    short_fr: str
    short_en: str


EXPERIENCE = MonthsWording(
    "Expérience professionnelle",
    "Professional experience",
    "Expérience professionnelle insuffisante",
    "Professional experience too short",
)
INTERNSHIP = MonthsWording("Stage", "Internship", "Stage insuffisant", "Internship too short")

_NNBSP = "\u202f"
"""Narrow no-break space: before « : » and between thousands in French."""


@lru_cache(maxsize=4096)
def number_text(value: float, lang: str) -> str:
    """Return a number of days or months to 1/100 as a reader expects it.

    French: decimal comma, thousands apart by a narrow no-break space (``1\u202f096,5``);
    English: ``1,096.5``. Trailing zeros of the decimals are dropped.
    """
    whole, _, decimals = f"{value:,.2f}".partition(".")
    decimals = decimals.rstrip("0")
    if lang == "fr":
        whole = whole.replace(",", _NNBSP)
        return f"{whole},{decimals}" if decimals else whole
    return f"{whole}.{decimals}" if decimals else whole


def _days(value: float, lang: str, what_fr: str = "justifié", what_en: str = "proven") -> str:
    """« 547 jours justifiés » / ``547 days proven``; French singular under 2 (« 1 jour »)."""
    if lang == "fr":
        plural = "s" if value >= 2 else ""
        return f"{number_text(value, 'fr')} jour{plural} {what_fr}{plural}"
    return f"{number_text(value, 'en')} day{'' if value == 1 else 's'} {what_en}"


def _presence(days: int, lang: str) -> str:
    """« 66 jours de présence » / ``66 days of presence``."""
    if lang == "fr":
        return f"{number_text(days, 'fr')} jour{'s' if days >= 2 else ''} de présence"
    return f"{number_text(days, 'en')} day{'' if days == 1 else 's'} of presence"


def _counted(measure: Measure, lang: str) -> str:
    """What the periods proved, and the months it makes."""
    parts = []
    if measure.presence_days == 0 or measure.counted_days > 0:
        parts.append(_days(measure.counted_days, lang))
    if measure.presence_days > 0:
        parts.append(_presence(measure.presence_days, lang))
    joined = (" et " if lang == "fr" else " and ").join(parts)
    months = number_text(measure.counted, lang)
    return f"{joined}, soit {months} mois" if lang == "fr" else f"{joined}, that is {months} months"


def _required(measure: Measure, lang: str) -> str:
    """What the requirement asks: « 546 jours requis (18 mois) », or months alone with hours."""
    months = number_text(measure.required, lang)
    if measure.presence_days > 0:
        return f"{months} mois requis" if lang == "fr" else f"{months} months required"
    days = number_text(measure.required_days, lang)
    if lang == "fr":
        return f"{days} jours requis ({months} mois)"
    return f"{days} days required ({months} months)"


def months_met(wording: MonthsWording, measure: Measure) -> Message:
    """A months requirement is proved by periods: days proven, the months they make."""
    return Message(
        fr=f"{wording.fr}{_NNBSP}: {_counted(measure, 'fr')}, pour {_required(measure, 'fr')}.",
        en=f"{wording.en}: {_counted(measure, 'en')}, of {_required(measure, 'en')}.",
    )


def months_missing(wording: MonthsWording, measure: Measure) -> Message:
    """A months requirement is not reached: days proven against days required."""
    return Message(
        fr=f"{wording.short_fr}{_NNBSP}: {_counted(measure, 'fr')}, "
        f"pour {_required(measure, 'fr')}.",
        en=f"{wording.short_en}: {_counted(measure, 'en')}, of {_required(measure, 'en')}.",
    )


def internship_required(days: float, threshold_days: int, threshold: int) -> Message:
    """Why an internship is required: the experience in the field is under the threshold."""
    return Message(
        fr=f"Le stage est requis parce que l'expérience dans le champ "
        f"({_days(days, 'fr')}) n'atteint pas {threshold} mois "
        f"({number_text(threshold_days, 'fr')} jours).",
        en=f"An internship is required because the experience in the field "
        f"({_days(days, 'en')}) is under {threshold} months "
        f"({number_text(threshold_days, 'en')} days).",
    )


def internship_not_required(
    days: float, months: float, threshold_days: int, threshold: int
) -> Message:
    """No internship is needed: the experience in the field reaches the threshold."""
    return Message(
        fr=f"Stage non requis{_NNBSP}: {_days(days, 'fr')} d'expérience dans le champ, "
        f"soit {number_text(months, 'fr')} mois, pour un seuil de "
        f"{number_text(threshold_days, 'fr')} jours ({threshold} mois).",
        en=f"No internship required: {number_text(days, 'en')} days of experience in the "
        f"field proven, that is {number_text(months, 'en')} months, against a threshold of "
        f"{number_text(threshold_days, 'en')} days ({threshold} months).",
    )


def blocks_met(count: int) -> Message:
    """Every bloc is held and still valid."""
    if count == 1:
        return Message(
            fr="Le bloc de compétences est acquis et en cours de validité.",
            en="The skill block is held and still valid.",
        )
    return Message(
        fr=f"Les {count} blocs de compétences sont acquis et en cours de validité.",
        en=f"All {count} skill blocks are held and still valid.",
    )


def blocks_missing(absent: list[str], expired: list[tuple[str, date]]) -> Message:
    """Some blocs are not held, or have expired (``day``: the first day one no longer counts)."""
    parts_fr, parts_en = [], []
    if absent:
        noun_fr = _plural(len(absent), "bloc non acquis", "blocs non acquis")
        noun_en = "block not held" if len(absent) == 1 else "blocks not held"
        parts_fr.append(f"{noun_fr}{colon('fr')} {codes(absent)}")
        parts_en.append(f"{noun_en}: {codes(absent)}")
    parts_fr.extend(f"bloc {code} expiré le {day(when, 'fr')}" for code, when in expired)
    parts_en.extend(f"block {code} expired on {day(when, 'en')}" for code, when in expired)
    return Message(fr=_sentence(semicolon("fr").join(parts_fr)), en=_sentence("; ".join(parts_en)))


def _sentence(text: str) -> str:
    """Return ``text`` with its first letter upper-cased and a final full stop.

    Unlike :meth:`str.capitalize`, the rest is left alone: codes stay ``RNCP12976BC01``.
    """
    return text[:1].upper() + text[1:] + "."


def registration_open(start: date, end: date) -> Message:
    """The as-of date lies in the registration window."""
    return Message(
        fr=f"Titre enregistré au RNCP à cette date (du {day(start, 'fr')} au {day(end, 'fr')}).",
        en=f"Title registered in the RNCP on that date ({day(start, 'en')} to {day(end, 'en')}).",
    )


def registration_transitional(enrolled: date, deadline: date | None) -> Message:
    """Awardable after the window because the learner enrolled while it was open."""
    until_fr = f" jusqu'au {day(deadline, 'fr')}" if deadline else ""
    until_en = f" until {day(deadline, 'en')}" if deadline else ""
    return Message(
        fr=f"Inscription le {day(enrolled, 'fr')}, pendant l'enregistrement au RNCP{colon('fr')} "
        f"le titre peut être délivré{until_fr} (Code du travail, art. L6113-9).",
        en=f"Enrolled on {day(enrolled, 'en')}, while the title was registered in the RNCP: "
        f"it may be awarded{until_en} (Code du travail, art. L6113-9).",
    )


def registration_closed(
    reason: str, start: date, end: date, deadline: date | None, enrolled: date | None
) -> Message:
    """The title cannot be awarded at that date.

    ``enrolled`` is the dossier's enrolment date: when it is absent the message says so
    rather than claiming the enrolment fell outside the window.
    """
    window_fr = f"du {day(start, 'fr')} au {day(end, 'fr')}"
    window_en = f"{day(start, 'en')} to {day(end, 'en')}"
    if enrolled is None:
        ended_fr = (
            f"Enregistrement au RNCP terminé ({window_fr}) et date d'inscription non "
            f"renseignée{colon('fr')} la délivrance après l'enregistrement (Code du travail, "
            "art. L6113-9) ne peut pas être examinée."
        )
        ended_en = (
            f"RNCP registration ended ({window_en}) and no enrolment date is given: award "
            "after the registration (Code du travail, art. L6113-9) cannot be considered."
        )
    else:
        ended_fr = (
            f"Enregistrement au RNCP terminé ({window_fr}) et inscription le "
            f"{day(enrolled, 'fr')}, hors de cette période."
        )
        ended_en = (
            f"RNCP registration ended ({window_en}) and enrolment on {day(enrolled, 'en')} "
            "is outside it."
        )
    limit_fr = day(deadline, "fr") if deadline else ""
    limit_en = day(deadline, "en") if deadline else ""
    texts = {
        "not_yet_registered": (
            f"Titre pas encore enregistré au RNCP à cette date (enregistrement {window_fr}).",
            f"Title not yet registered in the RNCP on that date (registration {window_en}).",
        ),
        "registration_ended": (ended_fr, ended_en),
        "award_deadline_passed": (
            f"Date limite de délivrance dépassée (le {limit_fr}).",
            f"Award deadline passed ({limit_en}).",
        ),
    }
    fr, en = texts[reason]
    return Message(fr=fr, en=en)
