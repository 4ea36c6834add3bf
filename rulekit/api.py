"""The Python API: evaluate a dossier as of a date, with the installed plugins."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rulekit.decision import Decision
from rulekit.dossier import Dossier
from rulekit.dossier_format import MAX_YEAR, MIN_YEAR
from rulekit.engine.evaluate import evaluate_dossier
from rulekit.errors import DossierError, InvalidArgument, UnknownTrack
from rulekit.french import PARIS_KEY
from rulekit.pipeline import Input, read_input
from rulekit.registry import Registry, default_registry

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    JURY_TIME_ZONE: ZoneInfo
    """Where "today" is decided (``Europe/Paris``), loaded on first use."""

JURY_TIME_ZONE_KEY = PARIS_KEY
"""Where "today" is decided: the national jury sits in France, whatever the machine's zone."""


def __getattr__(name: str) -> Any:
    """:data:`JURY_TIME_ZONE` on first use (PEP 562): evaluating as of a date loads no zone."""
    if name == "JURY_TIME_ZONE":
        from zoneinfo import ZoneInfo  # noqa: PLC0415

        return ZoneInfo(JURY_TIME_ZONE_KEY)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def today() -> date:
    """Return today's date in France: the default as-of date, resolved once by callers."""
    from zoneinfo import ZoneInfo  # noqa: PLC0415 - ZoneInfo keeps one object per key

    return datetime.now(ZoneInfo(JURY_TIME_ZONE_KEY)).date()


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
    dates: bool = False,
) -> Decision:
    """Return the decision for a dossier.

    :param dossier: a :class:`Dossier`, its parsed JSON, or JSON text.
    :param certification: overrides the dossier's ``certification``.
    :param track: evaluate this track only; by default the dossier's, else every track
        and the best is reported.
    :param as_of: the date of the decision; today in France when omitted (read once here).
    :param ruleset_version: evaluate with this rule-set version instead of the one in force.
    :param registry: the certifications to use; by default the installed plugins.
    :param dates: also say until when an eligible dossier stays eligible
        (``eligible_until``) or from when a not-eligible one becomes eligible by time alone
        (``eligible_from``); off by default, since it evaluates the dossier on many days
        (specs/core.md, "Eligible from, eligible until").
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
    registry = registry or default_registry()
    read = read_input(
        dossier,
        registry=registry,
        as_of=day,
        certification=certification,
        ruleset_version=ruleset_version,
    )
    decision = evaluate_dossier(read.certification, read.dossier, day, track)
    if not dates:
        return decision
    return dated(decision, read, registry, track=track, ruleset_version=ruleset_version)


def dated(
    decision: Decision,
    read: Input,
    registry: Registry,
    *,
    track: str | None,
    ruleset_version: str | None,
) -> Decision:
    """Return ``decision`` with its ``eligible_from`` or ``eligible_until``.

    On each other day the rule set is the one in force that day (or ``ruleset_version``),
    as :func:`evaluate` would take it, so that evaluating the dossier on the day found gives
    the outcome said.
    """
    from rulekit.dates import with_dates  # noqa: PLC0415 - only when dates are asked for

    certification_id = read.certification.id
    seen: dict[tuple[date, str | None], Decision | None] = {}

    def decide(when: date, only: str | None) -> Decision | None:
        key = (when, only)
        if key not in seen:
            try:
                compiled = registry.certification(certification_id, when, ruleset_version)
                seen[key] = evaluate_dossier(compiled, read.dossier, when, only or track)
            except (UnknownTrack, DossierError):
                seen[key] = None
        return seen[key]

    if ruleset_version is not None:
        declarations = [read.certification.declaration]
    else:
        declarations = [c.declaration for c in registry.versions(certification_id)]
    return with_dates(decision, read.dossier, decide, declarations)
