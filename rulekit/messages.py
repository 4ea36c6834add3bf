"""Sentences for jury staff and learners, in French and English.

Every requirement's ``message`` is built here, so wording can change (a recorded text
version) without touching the rules; numbers are formatted per language.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rulekit.decision import Message
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


def months_met(kind_fr: str, kind_en: str, counted: float, required: float) -> Message:
    """A months requirement is proved by periods."""
    return Message(
        fr=f"{kind_fr} : {months_text(counted, 'fr')} mois prouvés pour "
        f"{months_text(required, 'fr')} requis.",
        en=f"{kind_en}: {months_text(counted, 'en')} months proved of "
        f"{months_text(required, 'en')} required.",
    )


def months_missing(kind_fr: str, kind_en: str, counted: float, required: float) -> Message:
    """A months requirement is not reached."""
    return Message(
        fr=f"{kind_fr} insuffisante : {months_text(counted, 'fr')} mois prouvés, "
        f"{months_text(required, 'fr')} requis.",
        en=f"{kind_en} too short: {months_text(counted, 'en')} months proved, "
        f"{months_text(required, 'en')} required.",
    )


def internship_not_required(in_field: float, threshold: float) -> Message:
    """No internship is needed because the experience in the field is long enough."""
    return Message(
        fr=f"Stage non requis : {months_text(in_field, 'fr')} mois d'expérience dans le champ "
        f"(seuil {months_text(threshold, 'fr')} mois).",
        en=f"No internship required: {months_text(in_field, 'en')} months of experience in "
        f"the field (threshold {months_text(threshold, 'en')} months).",
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
        listed = codes(f"{code} ({day.isoformat()})" for code, day in expired)
        parts_fr.append(f"blocs expirés : {listed}")
        parts_en.append(f"blocks expired: {listed}")
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
