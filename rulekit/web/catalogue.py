"""The catalogue of one certification, from its compiled declaration, for integrators.

``GET /v1/certifications/{id}`` answers this: tracks with their units (code, title, ECTS),
choice groups, blocs, and each rule in plain words, in French and English, built from the
declaration fields a plugin gives (:mod:`rulekit.declaration`). Nothing here is invented:
a unit without a title or ECTS in its declaration has ``null`` there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rulekit.declaration import (
    Certification,
    ChoiceGroup,
    ExperienceCounting,
    Track,
    Unit,
)
from rulekit.engine.compiled import CompiledCertification

CATALOGUE_FORMAT = "rulekit.catalogue/1"
NNBSP = "\u202f"
"""Narrow no-break space: before « : » and « ; » in French typography."""

_MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def date_fr(day: date) -> str:
    """Return ``day`` as French prose writes it: « 1er juillet 2023 », « 7 septembre 2016 »."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {_MONTHS_FR[day.month - 1]} {day.year}"


def date_en(day: date) -> str:
    """Return ``day`` as English prose writes it: "1 July 2023"."""
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _unit(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "title": unit.title or None, "ects": unit.ects}


def _codes(units: Sequence[Unit]) -> str:
    return ", ".join(unit.code for unit in units)


def _choice(group: ChoiceGroup) -> dict[str, Any]:
    return {"choose": group.choose, "units": [_unit(unit) for unit in group.units]}


def _track(track: Track) -> dict[str, Any]:
    return {
        "id": track.id,
        "title": track.title,
        "mandatory": [_unit(unit) for unit in track.mandatory],
        "choices": [_choice(group) for group in track.choices],
        "source": track.source or None,
    }


def _rule(rule_id: str, fr: str, en: str, track: str | None = None) -> dict[str, Any]:
    return {"id": rule_id, "track": track, "fr": fr, "en": en}


def _track_rules(track: Track) -> list[dict[str, Any]]:
    rules = []
    name = track.title
    if track.mandatory:
        count = len(track.mandatory)
        what = "l'UE obligatoire" if count == 1 else f"les {count} UE obligatoires"
        what_en = "the mandatory unit" if count == 1 else f"the {count} mandatory units"
        rules.append(
            _rule(
                "units",
                f"{name}{NNBSP}: valider {what} {_codes(track.mandatory)}.",
                f"{name}: pass {what_en} {_codes(track.mandatory)}.",
                track.id,
            )
        )
    for group in track.choices:
        rules.append(
            _rule(
                "choice",
                f"{name}{NNBSP}: valider {group.choose} UE au choix parmi {_codes(group.units)}.",
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
        f"{NNBSP}; {which} {listed} {attests}",
        f"; passing unit{'' if one else 's'} {listed} attest{'s' if one else ''} it",
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
            _rule(
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
            _rule(
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
            _rule(
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
            _rule(
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
            _rule(
                "registration",
                f"Le titre est enregistré au RNCP du {date_fr(start)} au {date_fr(end)} inclus"
                + (
                    f"{NNBSP}; il peut encore être délivré jusqu'au {date_fr(deadline)} aux "
                    "personnes inscrites pendant cet enregistrement"
                    if deadline is not None
                    else ""
                )
                + ".",
                f"The title is registered in the RNCP from {date_en(start)} to {date_en(end)} "
                "inclusive"
                + (
                    f"; it may still be awarded until {date_en(deadline)} to learners who "
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
            _rule(
                custom.id,
                f"Exigence propre à ce titre ({custom.kind})"
                f"{f'{NNBSP}: {params}' if params else ''}.",
                f"A requirement of this title ({custom.kind}){f': {params}' if params else ''}.",
            )
        )
    return rules


def catalogue(
    compiled: CompiledCertification, versions: Sequence[CompiledCertification]
) -> dict[str, Any]:
    """Return the catalogue of the rule set ``compiled``; ``versions`` lists every installed one."""
    declaration = compiled.declaration
    registration = declaration.registration
    return {
        "format": CATALOGUE_FORMAT,
        "id": declaration.id,
        "rncp": declaration.rncp,
        "title": declaration.title,
        "certifier": declaration.certifier,
        "level": declaration.level,
        "ruleset_version": declaration.version,
        "effective_from": _iso(declaration.effective_from),
        "ruleset_digest": compiled.ref.ruleset_digest,
        "plugin": compiled.ref.plugin,
        "plugin_version": compiled.ref.plugin_version,
        "versions": [
            {
                "ruleset_version": other.declaration.version,
                "effective_from": _iso(other.declaration.effective_from),
            }
            for other in versions
        ],
        "registration": None
        if registration is None
        else {
            "registered_from": registration.registered_from.isoformat(),
            "registered_until": registration.registered_until.isoformat(),
            "award_deadline": _iso(registration.award_deadline),
        },
        "validity_years": declaration.validity_years,
        "blocs_required": declaration.blocs_required,
        "tracks": [_track(track) for track in declaration.tracks],
        "blocs": [{"code": bloc.code, "title": bloc.title} for bloc in declaration.blocs],
        "rules": plain_rules(declaration),
        "sources": list(declaration.sources),
    }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
