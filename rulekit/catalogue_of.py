"""A certification described as plain JSON: what the title asks for, and who may award it.

:func:`catalogue` is the one description the Python API, the command line and the HTTP
service give of an installed certification: tracks with their units (title, ECTS) and
choice groups, blocs, periods, registration, and the access routes with their jury
composition, both as the fiche words it and in the structured form ``rulekit jury check``
uses. It holds only the declaration's data, so the same rule set gives the same JSON.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rulekit.codec import CONVERTER
from rulekit.declaration import (
    AccessRoute,
    Certification,
    ExperienceRule,
    InternshipRule,
    JurySeat,
    Registration,
    Track,
    Unit,
)
from rulekit.jury.words import ROUTE_EN, ROUTE_FR
from rulekit.registry import Registry, default_registry

CATALOGUE_FORMAT = "rulekit.catalogue/1"


def _day(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _unit(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "title": unit.title, "ects": unit.ects}


def _track(track: Track) -> dict[str, Any]:
    return {
        "id": track.id,
        "title": track.title,
        "source": track.source,
        "mandatory": [_unit(unit) for unit in track.mandatory],
        "choices": [
            {"choose": group.choose, "units": [_unit(unit) for unit in group.units]}
            for group in track.choices
        ],
    }


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
    body: dict[str, Any] = CONVERTER.unstructure(rule, type(rule))
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
    compiled = (registry or default_registry()).certification(
        certification, as_of or date.min, version
    )
    ref = compiled.ref
    return {
        "format": CATALOGUE_FORMAT,
        **describe(compiled.declaration),
        "plugin": ref.plugin,
        "plugin_version": ref.plugin_version,
        "ruleset_digest": ref.ruleset_digest,
    }
