"""The Python API: evaluate a dossier as of a date, with the installed plugins."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rulekit.decision import Decision
from rulekit.dossier import Dossier
from rulekit.dossier_io import dossier_from_dict, parse_json, validate
from rulekit.engine.evaluate import evaluate_dossier, waiver_errors
from rulekit.errors import DossierError, InputError, RulekitError
from rulekit.registry import Registry, default_registry

JURY_TIME_ZONE = ZoneInfo("Europe/Paris")
"""Where "today" is decided: the national jury sits in France, whatever the machine's zone."""


def today() -> date:
    """Return today's date in France: the default as-of date, resolved once by callers."""
    return datetime.now(JURY_TIME_ZONE).date()


def evaluate(
    dossier: Dossier | Mapping[str, Any] | str | bytes,
    *,
    certification: str | None = None,
    track: str | None = None,
    as_of: date | None = None,
    ruleset_version: str | None = None,
    registry: Registry | None = None,
) -> Decision:
    """Return the decision for a dossier.

    :param dossier: a :class:`Dossier`, its parsed JSON, or JSON text.
    :param certification: overrides the dossier's ``certification``.
    :param track: evaluate this track only; by default the dossier's, else every track
        and the best is reported.
    :param as_of: the date of the decision; today in France when omitted (read once here).
    :param ruleset_version: evaluate with this rule-set version instead of the one in force.
    :param registry: the certifications to use; by default the installed plugins.
    :raises rulekit.errors.DossierError: the dossier is not valid (every problem listed).
    :raises rulekit.errors.UnknownCertification: no installed plugin declares it.
    :raises rulekit.errors.UnknownTrack: the certification has no such track.
    """
    day = as_of if as_of is not None else today()
    registry = registry or default_registry()
    if isinstance(dossier, Dossier):
        chosen = registry.certification(
            certification or dossier.certification, day, ruleset_version
        )
        return evaluate_dossier(chosen, dossier, day, track)
    raw = parse_json(dossier) if isinstance(dossier, str | bytes) else dossier
    errors = validate(raw)
    if errors:
        reported = {error.path for error in errors}
        extra = _raw_waiver_errors(raw, registry, certification, day, ruleset_version)
        raise DossierError(errors + [e for e in extra if e.path not in reported])
    structured = dossier_from_dict(raw)
    chosen = registry.certification(certification or structured.certification, day, ruleset_version)
    return evaluate_dossier(chosen, structured, day, track)


def _raw_waiver_errors(
    raw: Any, registry: Registry, certification: str | None, day: date, version: str | None
) -> list[InputError]:
    """Waiver errors of an invalid dossier, so that every error is reported at once."""
    if not isinstance(raw, Mapping):
        return []
    named = certification or raw.get("certification")
    waivers = raw.get("waivers")
    if not isinstance(named, str) or not isinstance(waivers, list):
        return []
    try:
        compiled = registry.certification(named, day, version)
    except RulekitError:
        return []  # an unknown certification is reported once the dossier is valid
    requirements = [w.get("requirement") if isinstance(w, Mapping) else None for w in waivers]
    return waiver_errors(compiled, requirements)
