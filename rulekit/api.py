"""The Python API: evaluate a dossier as of a date, with the installed plugins."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rulekit.decision import Decision
from rulekit.dossier import Dossier
from rulekit.dossier_format import MAX_YEAR, MIN_YEAR
from rulekit.engine.evaluate import evaluate_dossier
from rulekit.errors import InvalidArgument
from rulekit.pipeline import read_input
from rulekit.registry import Registry, default_registry

JURY_TIME_ZONE = ZoneInfo("Europe/Paris")
"""Where "today" is decided: the national jury sits in France, whatever the machine's zone."""


def today() -> date:
    """Return today's date in France: the default as-of date, resolved once by callers."""
    return datetime.now(JURY_TIME_ZONE).date()


def check_as_of(day: object) -> date:
    """``day`` when it is a date a decision may be taken on, else :class:`InvalidArgument`.

    The years are those a dossier date may have (``MIN_YEAR..MAX_YEAR``, as in the JSON
    Schema, the ``--as-of`` option and HTTP's ``as_of``): every front end refuses the same
    dates, and a decision taken is one the log can replay. A datetime is refused rather than
    cut to a date in some time zone.
    """
    if isinstance(day, datetime) or not isinstance(day, date):
        raise InvalidArgument("as_of", f"expected a date, got {type(day).__name__}")
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InvalidArgument(
            "as_of", f"{day.isoformat()} has a year outside {MIN_YEAR}..{MAX_YEAR}"
        )
    return day


def _check_name(name: str, value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidArgument(name, f"expected a string or None, got {type(value).__name__}")


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
    :raises rulekit.errors.DossierError: the dossier is not valid (every problem listed, as
        :func:`rulekit.pipeline.read_input` finds them).
    :raises rulekit.errors.UnknownCertification: no installed plugin declares it.
    :raises rulekit.errors.UnknownTrack: the certification has no such track.
    :raises rulekit.errors.InvalidArgument: ``as_of`` is not a date with a year in
        1900..2199 (:func:`check_as_of`), or a name is not a string.
    """
    day = check_as_of(as_of) if as_of is not None else today()
    for name, value in (
        ("certification", certification),
        ("track", track),
        ("ruleset_version", ruleset_version),
    ):
        _check_name(name, value)
    read = read_input(
        dossier,
        registry=registry or default_registry(),
        as_of=day,
        certification=certification,
        ruleset_version=ruleset_version,
    )
    return evaluate_dossier(read.certification, read.dossier, day, track)
