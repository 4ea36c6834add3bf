"""A certification described as plain JSON: what the title asks for, and who may award it.

:func:`catalogue` is the one description the Python API (``rulekit.catalogue(id)``), the
command line and the HTTP service (``GET /v1/certifications/{id}``) give of an installed
certification: tracks with their units (title, ECTS) and choice groups, blocs, periods,
registration, each rule in plain words in French and English (:func:`plain_rules`), the
installed rule-set versions, and the access routes with their jury composition, both as
the fiche words it and in the structured form ``rulekit jury check`` uses. It holds only
the declaration's data, so the same rule set gives the same JSON; nothing is invented: a
unit without a title or ECTS in its declaration has ``null`` there. Dates in words and
French spacing come from :mod:`rulekit.french`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rulekit.codec import shared_converter
from rulekit.declaration import (
    AccessRoute,
    Certification,
    ExperienceCounting,
    ExperienceRule,
    InternshipRule,
    JurySeat,
    Registration,
    Track,
    Unit,
)
from rulekit.french import colon, semicolon
from rulekit.french import day as day_in_words
from rulekit.jury.words import ROUTE_EN, ROUTE_FR
from rulekit.registry import Registry, default_registry

CATALOGUE_FORMAT = "rulekit.catalogue/1"
_COLON_FR, _SEMICOLON_FR, _SEMICOLON_EN = colon("fr"), semicolon("fr"), semicolon("en")
"""« \u202f: » and « \u202f; » before the next word in French, "; " in English."""


def _day(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _unit(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "title": unit.title or None, "ects": unit.ects}


def _track(track: Track) -> dict[str, Any]:
    return {
        "id": track.id,
        "title": track.title,
        "source": track.source or None,
        "mandatory": [_unit(unit) for unit in track.mandatory],
        "choices": [
            {"choose": group.choose, "units": [_unit(unit) for unit in group.units]}
            for group in track.choices
        ],
    }


def _fr(day: date) -> str:
    """« 1er juillet 2023 » (:func:`rulekit.french.day`)."""
    return day_in_words(day, "fr")


def _en(day: date) -> str:
    """1 July 2023 (:func:`rulekit.french.day`)."""
    return day_in_words(day, "en")


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _codes(units: Sequence[Unit]) -> str:
    return ", ".join(unit.code for unit in units)


def _plain(rule_id: str, fr: str, en: str, track: str | None = None) -> dict[str, Any]:
    return {"id": rule_id, "track": track, "fr": fr, "en": en}


def _track_rules(track: Track) -> list[dict[str, Any]]:
    rules = []
    name = track.title
    if track.mandatory:
        count = len(track.mandatory)
        what = "l'UE obligatoire" if count == 1 else f"les {count} UE obligatoires"
        what_en = "the mandatory unit" if count == 1 else f"the {count} mandatory units"
        rules.append(
            _plain(
                "units",
                f"{name}{_COLON_FR} valider {what} {_codes(track.mandatory)}.",
                f"{name}: pass {what_en} {_codes(track.mandatory)}.",
                track.id,
            )
        )
    for group in track.choices:
        rules.append(
            _plain(
                "choice",
                f"{name}{_COLON_FR} valider {group.choose} UE au choix parmi "
                f"{_codes(group.units)}.",
                f"{name}: pass {_plural(group.choose, 'unit', 'units')} of your choice "
                f"among {_codes(group.units)}.",
                track.id,
            )
        )
    return rules


def _attested(codes: Sequence[str]) -> tuple[str, str]:
    if not codes:
        return "", ""
    listed = ", ".join(codes)
    one = len(codes) == 1
    which = "l'UE" if one else "les UE"
    attests = "validée l'atteste" if one else "validées l'attestent"
    return (
        f"{_SEMICOLON_FR}{which} {listed} {attests}",
        f"{_SEMICOLON_EN}passing unit{'' if one else 's'} {listed} attest{'s' if one else ''} it",
    )


def plain_rules(declaration: Certification) -> list[dict[str, Any]]:
    """Return each rule of ``declaration`` in plain words (``fr`` and ``en``), in order."""
    rules: list[dict[str, Any]] = []
    for track in declaration.tracks:
        rules.extend(_track_rules(track))
    experience = declaration.experience
    if experience is not None:
        in_field = experience.counting is ExperienceCounting.IN_FIELD
        fr_tail, en_tail = _attested(experience.attested_by)
        rules.append(
            _plain(
                "experience",
                f"Justifier d'au moins {experience.months} mois d'expérience professionnelle"
                f"{' dans le domaine du titre' if in_field else ''}{fr_tail}.",
                f"At least {_plural(experience.months, 'month', 'months')} of professional "
                f"experience{' in the field of the title' if in_field else ''}{en_tail}.",
            )
        )
    internship = declaration.internship
    if internship is not None:
        fr_tail, en_tail = _attested(internship.attested_by)
        below = internship.required_below_in_field_months
        rules.append(
            _plain(
                "internship",
                f"Un stage d'au moins {internship.months} mois"
                f"{' dans le domaine du titre' if internship.in_field_only else ''}"
                + (
                    f", exigé seulement si l'expérience dans le domaine est inférieure à "
                    f"{below} mois"
                    if below is not None
                    else ""
                )
                + f"{fr_tail}.",
                f"An internship of at least {_plural(internship.months, 'month', 'months')}"
                f"{' in the field of the title' if internship.in_field_only else ''}"
                + (
                    f", required only when experience in the field is shorter than "
                    f"{_plural(below, 'month', 'months')}"
                    if below is not None
                    else ""
                )
                + f"{en_tail}.",
            )
        )
    if declaration.blocs_required and declaration.blocs:
        count = len(declaration.blocs)
        codes = ", ".join(bloc.code for bloc in declaration.blocs)
        rules.append(
            _plain(
                "blocs",
                f"Valider {'le bloc' if count == 1 else f'chacun des {count} blocs'} de "
                f"compétences {codes}.",
                f"Hold {'the' if count == 1 else f'each of the {count}'} "
                f"{'bloc' if count == 1 else 'blocs'} of competences {codes}.",
            )
        )
    if declaration.validity_years is not None:
        years = declaration.validity_years
        rules.append(
            _plain(
                "validity",
                f"Une UE ou un bloc acquis compte pendant {_plural(years, 'an', 'ans')} après "
                "la date de son acquisition.",
                f"A unit or bloc counts for {_plural(years, 'year', 'years')} after the date "
                "it was acquired.",
            )
        )
    registration = declaration.registration
    if registration is not None:
        start, end = registration.registered_from, registration.registered_until
        deadline = registration.award_deadline
        rules.append(
            _plain(
                "registration",
                f"Le titre est enregistré au RNCP du {_fr(start)} au {_fr(end)} inclus"
                + (
                    f"{_SEMICOLON_FR}il peut encore être délivré jusqu'au {_fr(deadline)} aux "
                    "personnes inscrites pendant cet enregistrement"
                    if deadline is not None
                    else ""
                )
                + ".",
                f"The title is registered in the RNCP from {_en(start)} to {_en(end)} "
                "inclusive"
                + (
                    f"{_SEMICOLON_EN}it may still be awarded until {_en(deadline)} to learners who "
                    "enrolled while it was registered"
                    if deadline is not None
                    else ""
                )
                + ".",
            )
        )
    for custom in declaration.custom:
        params = ", ".join(f"{key} = {value}" for key, value in custom.params)
        rules.append(
            _plain(
                custom.id,
                f"Exigence propre à ce titre ({custom.kind})"
                f"{f'{_COLON_FR} {params}' if params else ''}.",
                f"A requirement of this title ({custom.kind}){f': {params}' if params else ''}.",
            )
        )
    return rules


def _registration(registration: Registration | None) -> dict[str, Any] | None:
    if registration is None:
        return None
    return {
        "registered_from": registration.registered_from.isoformat(),
        "registered_until": registration.registered_until.isoformat(),
        "award_deadline": _day(registration.award_deadline),
    }


def _rule(rule: ExperienceRule | InternshipRule | None) -> dict[str, Any] | None:
    if rule is None:
        return None
    body: dict[str, Any] = shared_converter().unstructure(rule, type(rule))
    return body


def _seat(seat: JurySeat) -> dict[str, Any]:
    return {
        "role": seat.role.value,
        "relations": [relation.value for relation in seat.relations],
        "minimum": seat.minimum,
        "maximum": seat.maximum,
        "voting": seat.voting,
        "wording": seat.wording,
    }


def route_entry(route: AccessRoute) -> dict[str, Any]:
    """One access route: open or not, since when, the jury as the fiche words it, its seats."""
    return {
        "route": route.route.value,
        "label": {"fr": ROUTE_FR[route.route], "en": ROUTE_EN[route.route]},
        "open": route.open,
        "open_since": _day(route.open_since),
        "composition": route.composition,
        "structured": bool(route.seats),
        "seats": [_seat(seat) for seat in route.seats],
        "source": route.source,
    }


def describe(declaration: Certification) -> dict[str, Any]:
    """Return the plain JSON description of one declaration (without plugin or digest)."""
    return {
        "id": declaration.id,
        "rncp": declaration.rncp,
        "title": declaration.title,
        "certifier": declaration.certifier,
        "level": declaration.level,
        "ruleset_version": declaration.version,
        "effective_from": _day(declaration.effective_from),
        "tracks": [_track(track) for track in declaration.tracks],
        "blocs": [{"code": bloc.code, "title": bloc.title} for bloc in declaration.blocs],
        "blocs_required": declaration.blocs_required,
        "validity_years": declaration.validity_years,
        "experience": _rule(declaration.experience),
        "internship": _rule(declaration.internship),
        "registration": _registration(declaration.registration),
        "rules": plain_rules(declaration),
        "routes": [route_entry(route) for route in declaration.routes],
        "sources": list(declaration.sources),
    }


def catalogue(
    certification: str,
    *,
    as_of: date | None = None,
    version: str | None = None,
    registry: Registry | None = None,
) -> dict[str, Any]:
    """Return the description of installed certification ``certification`` as plain JSON.

    :param as_of: describe the rule set in force on that day (default: today in France).
    :param version: describe this rule-set version instead.
    :raises UnknownCertification: when no plugin declares it.
    :raises UnknownRuleSetVersion: when ``version`` is not installed.
    """
    if as_of is None and version is None:
        from rulekit.api import today  # noqa: PLC0415 (the engine only when a date is needed)

        as_of = today()
    installed = registry or default_registry()
    compiled = installed.certification(certification, as_of or date.min, version)
    ref = compiled.ref
    return {
        "format": CATALOGUE_FORMAT,
        **describe(compiled.declaration),
        "plugin": ref.plugin,
        "plugin_version": ref.plugin_version,
        "ruleset_digest": ref.ruleset_digest,
        "versions": [
            {
                "ruleset_version": other.declaration.version,
                "effective_from": _day(other.declaration.effective_from),
            }
            for other in installed.versions(compiled.declaration.id)
        ],
    }
