"""Decisions in sentences: evidence, what is missing, bases, flags, for jury staff.

The text report (:mod:`rulekit.report`) and the decision page (:mod:`rulekit.log.page`)
both describe a decision's items in words rather than ``key=value``. They work on the
decision's JSON form (plain dicts), the only form a recorded decision of an older version
still has, so that one set of sentences serves both. French follows :mod:`rulekit.french`.
Titles of units and blocs come from the declaration (a ``title`` the item carries wins);
an item whose code the declaration does not know is named by its code alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from rulekit.calendar import parse_iso_date
from rulekit.declaration import Certification
from rulekit.errors import RulekitError
from rulekit.french import (
    colon,
    day,
    number,
    percent,
    quoted,
    requirement_name,
    semicolon,
    typeset,
    unit_noun,
)

Plain = Mapping[str, Any]
"""An item of a decision in its JSON form."""


def find_certification(
    certification_id: object, as_of: object, ruleset_version: object = None
) -> Certification | None:
    """Return the installed declaration a decision was taken under, or ``None``.

    ``None`` when it is not installed (a record from elsewhere): readers then see codes
    without titles rather than an error.
    """
    from rulekit.registry import default_registry  # noqa: PLC0415 (loads plugins)

    day_ = _date(as_of)
    if not isinstance(certification_id, str) or day_ is None:
        return None
    version = ruleset_version if isinstance(ruleset_version, str) else None
    try:
        return default_registry().certification(certification_id, day_, version).declaration
    except (RulekitError, ValueError):
        try:
            return default_registry().certification(certification_id, day_).declaration
        except (RulekitError, ValueError):
            return None


def titles(certification: Certification | None) -> dict[str, str]:
    """Every unit's and bloc's title the declaration gives, by code."""
    found: dict[str, str] = {}
    if certification is None:
        return found
    for track in certification.tracks:
        for unit in (*track.mandatory, *(u for g in track.choices for u in g.units)):
            if unit.title:
                found.setdefault(unit.code, unit.title)
    for bloc in certification.blocs:
        if bloc.title:
            found.setdefault(bloc.code, bloc.title)
    return found


def track_name(track_id: object, certification: Certification | None, lang: str) -> str:
    """The track as the declaration names it; « Parcours unique » for a one-track title."""
    if certification is not None:
        if len(certification.tracks) == 1:
            return "Parcours unique" if lang == "fr" else "Single track"
        for track in certification.tracks:
            if track.id == track_id and track.title:
                return track.title
    return str(track_id)


def _date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return parse_iso_date(value)
    except ValueError:
        return None


def _on(value: object, lang: str) -> str:
    """`` le 1er juillet 2023`` / `` on 1 July 2023``; empty when there is no date."""
    when = _date(value)
    if when is None:
        return ""
    return f" le {day(when, 'fr')}" if lang == "fr" else f" on {day(when, 'en')}"


def _title(code: str, known: Mapping[str, str], lang: str, title: object = None) -> str:
    """The item's own title, else the declaration's, typeset for ``lang`` ("": none)."""
    shown = title if isinstance(title, str) and title else known.get(code, "")
    return typeset(shown, lang)


def _named(code: str, known: Mapping[str, str], lang: str, title: object = None) -> str:
    """``CODE — Title`` when a title is known, else the code."""
    shown = _title(code, known, lang, title)
    return f"{code} — {shown}" if shown else code


_UNIT_RESULT = {
    "fr": {"passed": "validée", "failed": "non validée", "in_progress": "en cours"},
    "en": {"passed": "passed", "failed": "not passed", "in_progress": "in progress"},
}
_BLOC_RESULT = {
    "fr": {"passed": "acquis", "failed": "non acquis", "in_progress": "en cours"},
    "en": {"passed": "held", "failed": "not held", "in_progress": "in progress"},
}
_VIA = {
    "fr": {"exemption": "par dispense", "vae": "par VAE", "ves": "par VES"},
    "en": {"exemption": "by exemption", "vae": "by VAE", "ves": "by VES"},
}


def _unit(item: Plain, lang: str, known: Mapping[str, str], verbose: bool) -> str:
    code = str(item.get("code", ""))
    result = _UNIT_RESULT[lang].get(str(item.get("result")), "")
    via = _VIA[lang].get(str(item.get("via")), "")
    noun = unit_noun(code) if lang == "fr" else "unit"
    text = f"{noun} {code} {result}".rstrip()
    if via and item.get("result") == "passed":
        text += f" {via}"
    text += _on(item.get("date"), lang)
    grade = item.get("grade")
    if isinstance(grade, int | float) and not isinstance(grade, bool):
        text += f" ({'note' if lang == 'fr' else 'grade'} {number(float(grade), lang)})"
    title = _title(code, known, lang, item.get("title")) if verbose else ""
    return f"{text} — {title}" if title else text


def _bloc(item: Plain, lang: str, known: Mapping[str, str], verbose: bool) -> str:
    code = str(item.get("code", ""))
    result = _BLOC_RESULT[lang].get(str(item.get("result")), "")
    noun = "bloc" if lang == "fr" else "block"
    text = f"{noun} {code} {result}".rstrip() + _on(item.get("date"), lang)
    title = _title(code, known, lang, item.get("title")) if verbose else ""
    return f"{text} — {title}" if title else text


def _span(item: Plain, lang: str) -> str:
    start, end = _date(item.get("start")), _date(item.get("end"))
    if start is None:
        return ""
    if lang == "fr":
        if end is None:
            return f"depuis le {day(start, 'fr')} (en cours)"
        return f"du {day(start, 'fr')} au {day(end, 'fr')}"
    if end is None:
        return f"since {day(start, 'en')} (ongoing)"
    return f"from {day(start, 'en')} to {day(end, 'en')}"


def _period(item: Plain, lang: str, verbose: bool) -> str:
    kind = item.get("type")
    if lang == "fr":
        noun = "expérience professionnelle" if kind == "experience" else "stage"
        field = "dans le champ" if item.get("in_field") else "hors du champ"
    else:
        noun = "professional experience" if kind == "experience" else "internship"
        field = "in the field" if item.get("in_field") else "outside the field"
    parts = [f"{noun} {_span(item, lang)}", field]
    fte = item.get("fte")
    if isinstance(fte, int | float) and not isinstance(fte, bool) and fte != 1:
        parts.append(f"{'quotité' if lang == 'fr' else 'working time'} {percent(fte, lang)}")
    hours = item.get("hours")
    if isinstance(hours, int) and not isinstance(hours, bool):
        shown = number(hours, lang)
        parts.append(f"{shown} heures de présence" if lang == "fr" else f"{shown} hours present")
    where = item.get("employer") if kind == "experience" else item.get("host")
    if isinstance(where, str) and where:
        parts.append(f"{'chez' if lang == 'fr' else 'at'} {where}")
    role = item.get("role")
    if verbose and isinstance(role, str) and role:
        parts.append(f"{'poste' if lang == 'fr' else 'role'}{colon(lang)} {role}")
    return ", ".join(parts)


def _waiver(item: Plain, lang: str) -> str:
    requirement = requirement_name(str(item.get("requirement", "")), lang)
    by = str(item.get("granted_by", ""))
    reason = str(item.get("reason", ""))
    if lang == "fr":
        head = f"dérogation pour l'exigence {quoted(requirement, 'fr')} accordée par {by}"
    else:
        head = f"waiver of {quoted(requirement, 'en')} granted by {by}"
    return f"{head}{_on(item.get('date'), lang)}{colon(lang)} {reason}"


def evidence(item: Plain, lang: str, known: Mapping[str, str], *, verbose: bool = False) -> str:
    """One piece of evidence in words (« UE TET099 validée le 28 janvier 2022 (note 12,5) »).

    ``verbose`` adds titles and roles.
    """
    kind = item.get("type")
    if kind == "unit":
        return _unit(item, lang, known, verbose)
    if kind == "block":
        return _bloc(item, lang, known, verbose)
    if kind in ("experience", "internship"):
        return _period(item, lang, verbose)
    if kind == "waiver":
        return _waiver(item, lang)
    if kind == "enrolment" or "enrolled_on" in item:
        when = _on(item.get("enrolled_on"), lang).strip()
        return f"inscription {when}" if lang == "fr" else f"enrolled {when}"
    words = [str(v) for k, v in sorted(item.items()) if k != "type" and v is not None]
    return ", ".join(words)


_WHY_NOT = {
    "fr": {
        "after_as_of": ("postérieure à la date du contrôle", "postérieur à la date du contrôle"),
        "expired": ("plus en cours de validité", "plus en cours de validité"),
        "before_registration": (
            "antérieure à l'enregistrement du titre au RNCP",
            "antérieur à l'enregistrement du titre au RNCP",
        ),
        "route_not_accepted": (
            "mode d'obtention non accepté pour cette unité",
            "mode d'obtention non accepté",
        ),
    },
    "en": {
        "after_as_of": ("after the date of the check", "after the date of the check"),
        "expired": ("no longer valid", "no longer valid"),
        "before_registration": (
            "before the title's RNCP registration",
            "before the title's RNCP registration",
        ),
        "route_not_accepted": (
            "route of acquisition not accepted for this unit",
            "route not accepted",
        ),
    },
}


def not_counted(entry: Plain, lang: str, known: Mapping[str, str]) -> str:
    """An item that did not count, and why (« UE AST005 non validée le 10 juin 2022 »).

    A failed or in-progress result says why by itself; other reasons are added; one this
    version does not know is stated as « non retenue » / "not counted".
    """
    item = entry.get("evidence") or {}
    text = evidence(item, lang, known)
    reason = str(entry.get("reason", ""))
    if reason in ("failed", "in_progress"):
        return text
    feminine = item.get("type") == "unit"
    words = _WHY_NOT[lang].get(reason)
    if words is None:
        fallback = ("non retenue" if feminine else "non retenu") if lang == "fr" else "not counted"
        return f"{text}, {fallback}"
    return f"{text}, {words[0] if feminine else words[1]}"


def _missing_component(entry: Plain, lang: str, known: Mapping[str, str]) -> str:
    """A unit or bloc still needed, with its title; an expired one says since when."""
    code = str(entry.get("code") or "")
    name = _named(code, known, lang, entry.get("title"))
    is_unit = entry.get("kind") == "unit"
    expired = entry.get("reason") == "expired"
    when = _on(entry.get("date"), lang)
    if lang == "fr":
        text = f"l'{unit_noun(code)} {name}" if is_unit else f"le bloc {name}"
        return text + (f" ({'expirée' if is_unit else 'expiré'}{when})" if expired else "")
    text = f"unit {name}" if is_unit else f"block {name}"
    return text + (f" (expired{when})" if expired else "")


def _missing_choice(entry: Plain, lang: str, known: Mapping[str, str]) -> str:
    count = int(entry.get("count") or 0)
    among = semicolon(lang).join(_named(str(c), known, lang) for c in entry.get("among") or ())
    if lang == "fr":
        return f"{count} {'unité' if count <= 1 else 'unités'} à choisir parmi {among}"
    return f"{count} {'unit' if count == 1 else 'units'} to choose from {among}"


def _missing_months(entry: Plain, lang: str, months: float) -> str:
    shown = number(months, lang)
    internship = entry.get("kind") == "internship_months"
    if lang == "fr":
        what = "de stage" if internship else "d'expérience professionnelle"
        return f"{shown} mois {what}"
    what = "of internship" if internship else "of professional experience"
    return f"{shown} {'month' if months == 1 else 'months'} {what}"


def _missing_ects(entry: Plain, lang: str) -> str:
    count = int(entry.get("count") or 0)
    if lang == "fr":
        return f"{count} {'crédit' if count <= 1 else 'crédits'} ECTS"
    return f"{count} ECTS {'credit' if count == 1 else 'credits'}"


def missing(entry: Plain, lang: str, known: Mapping[str, str]) -> str:  # noqa: PLR0911
    """One missing item in words (« l'UE TET099 — La méthode du récit de vie… »)."""
    kind = entry.get("kind")
    months = entry.get("months")
    if kind in ("unit", "block"):
        return _missing_component(entry, lang, known)
    if kind == "choice":
        return _missing_choice(entry, lang, known)
    if isinstance(months, int | float) and not isinstance(months, bool):
        return _missing_months(entry, lang, float(months))
    if kind == "registration":
        return _registration(str(entry.get("reason", "")), _date(entry.get("date")), lang)
    if kind == "route":
        return _route(_date(entry.get("date")), lang)
    code = entry.get("code")
    if kind == "ects" or not (isinstance(code, str) and code):
        return _missing_ects(entry, lang) if kind == "ects" else requirement_name(str(kind), lang)
    return _named(code, known, lang, entry.get("title"))


def _route(since: date | None, lang: str) -> str:
    """What the route requirement still needs: a route open for the title (since a date)."""
    if lang == "fr":
        if since is not None:
            opens = day(since, "fr")
            return f"une voie d'accès ouverte à cette date (celle-ci l'est à partir du {opens})"
        return "une voie d'accès ouverte pour ce titre"
    if since is not None:
        return f"a route of access open on that date (this one opens on {day(since, 'en')})"
    return "a route of access open for this title"


def _registration(reason: str, limit: date | None, lang: str) -> str:
    """What the registration rule still needs, with the date that limits it."""
    shown = day(limit, lang) if limit is not None else ""
    if lang == "fr":
        texts = {
            "not_yet_registered": f"l'enregistrement du titre au RNCP, à partir du {shown}",
            "registration_ended": "une inscription pendant l'enregistrement du titre au RNCP, "
            f"terminé le {shown}",
            "award_deadline_passed": f"une délivrance avant la date limite du {shown}",
        }
        default = "l'enregistrement du titre au RNCP"
    else:
        texts = {
            "not_yet_registered": f"the title's RNCP registration, from {shown}",
            "registration_ended": "enrolment while the title was registered in the RNCP, "
            f"which ended on {shown}",
            "award_deadline_passed": f"an award before the deadline of {shown}",
        }
        default = "the title's RNCP registration"
    return texts.get(reason, default) if limit is not None else default


_BASES = {
    "fr": {
        "evidence": "sur pièces",
        "attestation": "attestée par une unité validée",
        "waiver": "par dérogation",
        "not_required": "sans objet pour ce dossier",
        "registered": "titre enregistré à cette date",
        "transitional": "règle transitoire (Code du travail, art. L6113-9)",
        "route_open": "voie d'accès ouverte pour ce titre",
    },
    "en": {
        "evidence": "on evidence",
        "attestation": "attested by a passed unit",
        "waiver": "by waiver",
        "not_required": "not required for this dossier",
        "registered": "title registered on that date",
        "transitional": "transitional rule (Code du travail, art. L6113-9)",
        "route_open": "route of access open for this title",
    },
}


def basis(value: object, lang: str, cited: Sequence[Plain] = ()) -> str:
    """How a met requirement was met, in words (« attestée par l'unité UASO03 »)."""
    if value == "attestation" and cited:
        code = cited[0].get("code")
        if isinstance(code, str):
            return f"attestée par l'unité {code}" if lang == "fr" else f"attested by unit {code}"
    return _BASES[lang].get(str(value), "")


def not_counted_label(entry: Plain, lang: str) -> str:
    """« Non retenue » for a unit or a period of experience, « Non retenu » otherwise."""
    if lang != "fr":
        return "Not counted"
    item = entry.get("evidence") or {}
    return "Non retenue" if item.get("type") in ("unit", "experience") else "Non retenu"


def status(met: bool, lang: str) -> str:
    """« exigence satisfaite » / « exigence non satisfaite » (agreeing with « exigence »)."""
    if lang == "fr":
        return "exigence satisfaite" if met else "exigence non satisfaite"
    return "met" if met else "not met"


def message_text(message: object, lang: str) -> str:
    """The ``lang`` text of a message given as a model (``.fr``) or a dict (``["fr"]``)."""
    if isinstance(message, Mapping):
        return str(message.get(lang, ""))
    return str(getattr(message, lang, ""))
