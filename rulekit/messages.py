"""Sentences for jury staff and learners, in French and English.

Every requirement's ``message`` is built here, so wording can change (a recorded text
version) without touching the rules; numbers are formatted per language.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from attrs import frozen

from rulekit.decision import Measure, Message
from rulekit.dossier import Waiver


def months_text(value: float, lang: str) -> str:
    """Return a number of months as a language's reader expects it (``17,96`` in French)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def codes(items: Iterable[str]) -> str:
    """Return codes joined by commas."""
    return ", ".join(items)


def waived(waiver: Waiver) -> Message:
    """The requirement is met by a waiver: who, when and why."""
    day = waiver.date.isoformat()
    return Message(
        fr=f"Exigence levée par dérogation accordée par {waiver.granted_by} le {day} : "
        f"{waiver.reason}",
        en=f"Requirement waived by {waiver.granted_by} on {day}: {waiver.reason}",
    )


def attested(unit: str, what_fr: str, what_en: str) -> Message:
    """The requirement is attested by a passed unit."""
    return Message(
        fr=f"{what_fr} attestée par l'UE {unit} validée.",
        en=f"{what_en} attested by passed unit {unit}.",
    )


def units_met(count: int, exemptions: int) -> Message:
    """Every mandatory unit is held."""
    extra_fr = f", dont {exemptions} par dispense" if exemptions else ""
    extra_en = f", {exemptions} of them by exemption" if exemptions else ""
    return Message(
        fr=f"Les {count} UE obligatoires sont validées{extra_fr}.",
        en=f"All {count} mandatory units are passed{extra_en}.",
    )


def units_missing(missing: list[str]) -> Message:
    """Some mandatory units are not held."""
    return Message(
        fr=f"UE obligatoires non validées : {codes(missing)}.",
        en=f"Mandatory units not passed: {codes(missing)}.",
    )


def choice_met(chosen: list[str]) -> Message:
    """Every choice group is filled."""
    return Message(
        fr=f"UE au choix validées : {codes(chosen)}.",
        en=f"Optional units passed: {codes(chosen)}.",
    )


def choice_missing(groups: list[tuple[int, list[str]]]) -> Message:
    """Some choice groups are not filled: ``(count, among)`` per group."""
    fr = "; ".join(f"{n} UE à choisir parmi {codes(among)}" for n, among in groups)
    en = "; ".join(f"{n} unit(s) to choose among {codes(among)}" for n, among in groups)
    return Message(fr=f"Il manque : {fr}.", en=f"Still needed: {en}.")


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
    return Message(
        fr=f"Les {count} blocs de compétences sont acquis et en cours de validité.",
        en=f"All {count} skill blocks are held and still valid.",
    )


def blocks_missing(absent: list[str], expired: list[tuple[str, date]]) -> Message:
    """Some blocs are not held, or have expired."""
    parts_fr, parts_en = [], []
    if absent:
        parts_fr.append(f"blocs non acquis : {codes(absent)}")
        parts_en.append(f"blocks not held: {codes(absent)}")
    if expired:
        # ``day`` is the first day the bloc no longer counts; its validity ran through the
        # day before (Code de procédure civile, art. 641 and 642; specs/core.md, Validity).
        listed_fr = codes(f"{code} (expiré le {day.isoformat()})" for code, day in expired)
        listed_en = codes(f"{code} (expired on {day.isoformat()})" for code, day in expired)
        parts_fr.append(f"blocs expirés : {listed_fr}")
        parts_en.append(f"blocks expired: {listed_en}")
    return Message(fr=_sentence("; ".join(parts_fr)), en=_sentence("; ".join(parts_en)))


def _sentence(text: str) -> str:
    """Return ``text`` with its first letter upper-cased and a final full stop.

    Unlike :meth:`str.capitalize`, the rest is left alone: codes stay ``RNCP12976BC01``.
    """
    return text[:1].upper() + text[1:] + "."


def registration_open(start: date, end: date) -> Message:
    """The as-of date lies in the registration window."""
    return Message(
        fr=f"Titre enregistré au RNCP à cette date (du {start.isoformat()} au {end.isoformat()}).",
        en=f"Title registered in the RNCP on that date ({start.isoformat()} to {end.isoformat()}).",
    )


def registration_transitional(enrolled: date, deadline: date | None) -> Message:
    """Awardable after the window because the learner enrolled while it was open."""
    until_fr = f" jusqu'au {deadline.isoformat()}" if deadline else ""
    until_en = f" until {deadline.isoformat()}" if deadline else ""
    return Message(
        fr=f"Inscription le {enrolled.isoformat()} pendant l'enregistrement : le titre peut être "
        f"délivré{until_fr} (Code du travail, art. L6113-9).",
        en=f"Enrolled on {enrolled.isoformat()} while the title was registered: it may be "
        f"awarded{until_en} (Code du travail, art. L6113-9).",
    )


def registration_closed(reason: str, start: date, end: date, deadline: date | None) -> Message:
    """The title cannot be awarded at that date."""
    window = f"{start.isoformat()} – {end.isoformat()}"
    texts = {
        "not_yet_registered": (
            f"Titre pas encore enregistré au RNCP à cette date (enregistrement {window}).",
            f"Title not yet registered in the RNCP on that date (registration {window}).",
        ),
        "registration_ended": (
            f"Enregistrement au RNCP terminé ({window}) et inscription hors de cette période.",
            f"RNCP registration ended ({window}) and enrolment is outside it.",
        ),
        "award_deadline_passed": (
            f"Date limite de délivrance dépassée ({deadline.isoformat() if deadline else ''}).",
            f"Award deadline passed ({deadline.isoformat() if deadline else ''}).",
        ),
    }
    fr, en = texts[reason]
    return Message(fr=fr, en=en)
