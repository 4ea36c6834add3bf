"""Eligible from when, eligible until when: the engine evaluated on the days that matter.

Nothing here re-derives a rule. A decision depends on its as-of date only through a few
dates of the dossier and of the declaration (specs/core.md, "Eligible from, eligible
until"): a unit's or bloc's date and the day after its validity ends, a period's start,
end and the day after, a waiver's date, the registration window's first day and the days
after its last day and after the award deadline, and the day a new rule set takes effect.
Between two such days the only thing that moves is the measure of periods still running,
which only grows (specs/core.md, "Months"); so within such a stretch a decision can only
go from not eligible to eligible, never back. Hence:

- **eligible until**: an eligible decision stays eligible through a stretch; it can only
  stop being eligible on one of those days. The engine is evaluated on each, in order; the
  first not eligible gives ``eligible_until``, the day before. No bound is needed: the days
  are finitely many.
- **eligible from**: a not-eligible decision is evaluated on the last day of each stretch
  up to :data:`HORIZON_YEARS` ahead; in the first stretch whose last day is eligible, a
  binary search finds the first eligible day (the decision is monotone there).

Each evaluation is the engine's own (``decide``), so evaluating on ``eligible_from`` gives
an eligible decision and on the day before a not-eligible one, and likewise around
``eligible_until``, by construction; the tests check it on generated dossiers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import attrs

from rulekit import french
from rulekit.calendar import add_years, parse_iso_date
from rulekit.decision import Decision, RequirementResult, UntilReason
from rulekit.declaration import Certification
from rulekit.dossier import BlockResult, Dossier, Experience, Internship, UnitResult

HORIZON_YEARS = 10
"""How far ahead ``eligible_from`` is looked for (specs/core.md): beyond it, none is given."""

ONE_DAY = timedelta(days=1)

Decide = Callable[[date, str | None], Decision | None]
"""Evaluate the dossier on a day (optionally one track only); ``None``: it cannot be
evaluated on that day (the rule set in force then lacks the track, or refuses a waiver)."""


def _shift(day: date, days: int) -> date | None:
    """``day`` moved by ``days``, or None past the calendar's ends."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def _expiry(acquired: date, years: int) -> date | None:
    """The first day a component acquired on ``acquired`` no longer counts (Validity)."""
    try:
        return _shift(add_years(acquired, years), 1)
    except (OverflowError, ValueError):
        return None


def _declared_dates(value: object, found: set[date]) -> None:
    """Add every date written anywhere in a declaration (attrs classes, tuples, mappings)."""
    if isinstance(value, date):
        found.add(value)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):  # type: ignore[arg-type]
            _declared_dates(getattr(value, field.name), found)
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            _declared_dates(item, found)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _declared_dates(key, found)
            _declared_dates(item, found)


def change_days(dossier: Dossier, declarations: Iterable[Certification]) -> list[date]:
    """Every day on which a decision on ``dossier`` may differ from the day before, sorted.

    Every date a declaration writes (the registration window and award deadline, the first
    day of a rule set, of components, of a route...) counts with the day after it: a
    window's last day is in, the day after is out. Looking at a day where nothing changes
    costs an evaluation, never a wrong answer.

    :param declarations: every rule set that may be in force (their validity, registration
        and first day); the registry's versions of the certification.
    """
    days: set[date | None] = set()
    validities: set[int] = set()
    for declaration in declarations:
        if declaration.validity_years is not None:
            validities.add(declaration.validity_years)
        written: set[date] = set()
        _declared_dates(declaration, written)
        for day in written:
            days.add(day)
            days.add(_shift(day, 1))
    components: list[UnitResult | BlockResult] = [*dossier.units, *dossier.blocks]
    for component in components:
        if component.date is None:
            continue
        days.add(component.date)
        days.update(_expiry(component.date, years) for years in validities)
    periods: list[Experience | Internship] = [*dossier.experience, *dossier.internships]
    for period in periods:
        days.add(period.start)
        if period.end is not None:
            days.add(period.end)
            days.add(_shift(period.end, 1))
    days.update(waiver.date for waiver in dossier.waivers)
    if dossier.enrolled_on is not None:
        days.add(dossier.enrolled_on)
    return sorted(day for day in days if day is not None)


def _eligible(decide: Decide, day: date) -> bool:
    decision = decide(day, None)
    return decision is not None and decision.eligible


def eligible_from(decide: Decide, as_of: date, days: Sequence[date]) -> date | None:
    """The first day after ``as_of``, within :data:`HORIZON_YEARS`, the dossier is eligible.

    :param days: :func:`change_days` of the dossier.
    """
    if as_of == date.max:
        return None
    try:
        horizon = add_years(as_of, HORIZON_YEARS)
    except (OverflowError, ValueError):  # within ten years of the calendar's end
        horizon = date.max
    first = as_of + ONE_DAY
    # Each stretch runs from ``first`` to the day before the next change day (or to the
    # horizon): no change day lies inside it, so it is monotone (module docstring).
    lasts = [day - ONE_DAY for day in days if first < day <= horizon]
    lasts.append(horizon)
    for last in lasts:
        if last >= first and _eligible(decide, last):
            low, high = first, last  # high is eligible; the stretch is monotone
            while low < high:
                middle = low + (high - low) // 2
                if _eligible(decide, middle):
                    high = middle
                else:
                    low = middle + ONE_DAY
            return high
        if last == date.max:
            break
        first = last + ONE_DAY
    return None


def eligible_until(
    decide: Decide, as_of: date, days: Sequence[date]
) -> tuple[date, tuple[UntilReason, ...]] | None:
    """The last day an eligible dossier stays eligible, and why it is not the day after.

    ``None``: it stays eligible on every later day (nothing in the dossier or the rule sets
    expires or closes).
    """
    for day in days:
        if day <= as_of or _eligible(decide, day):
            continue
        last = day - ONE_DAY
        before = decide(last, None)
        assert before is not None  # last is in an eligible stretch
        return last, until_reasons(before, decide(day, before.track))
    return None


def _reason(after: RequirementResult) -> tuple[UntilReason, ...]:
    """Why a requirement met the day before is ``after``, unmet."""
    found: list[UntilReason] = []
    for item in after.missing:
        if item.reason == "expired" and item.code is not None:
            found.append(UntilReason(after.id, "expired", item.kind, item.code, item.title))
        elif item.kind == "registration" and item.reason is not None:
            found.append(UntilReason(after.id, item.reason))
    if not found:
        # A unit attesting the requirement as a whole expired (specs/core.md, Attestation).
        for entry in after.not_counted:
            code = getattr(entry.evidence.item, "code", None)
            if entry.reason == "expired" and code is not None:
                found.append(
                    UntilReason(
                        after.id, "expired", entry.evidence.type, code, entry.evidence.title
                    )
                )
    return tuple(dict.fromkeys(found)) or (UntilReason(after.id, "no_longer_met"),)


def until_reasons(before: Decision, after: Decision | None) -> tuple[UntilReason, ...]:
    """Why ``before`` (eligible, on its last day) is not eligible the day after.

    :param after: the same track evaluated the day after; ``None`` when the rule set then
        in force lacks that track.
    """
    if after is None or after.certification.ruleset_version != before.certification.ruleset_version:
        return (UntilReason(None, "ruleset_changed"),)
    was = {r.id: r for r in before.requirements}
    found: list[UntilReason] = []
    for requirement in after.requirements:
        previous = was.get(requirement.id)
        if not requirement.met and (previous is None or previous.met):
            if previous is None:
                found.append(UntilReason(requirement.id, "no_longer_met"))
            else:
                found.extend(_reason(requirement))
    return tuple(found) or (UntilReason(None, "ruleset_changed"),)


def with_dates(
    decision: Decision,
    dossier: Dossier,
    decide: Decide,
    declarations: Iterable[Certification],
) -> Decision:
    """Return ``decision`` with ``eligible_from`` or ``eligible_until`` filled in.

    :param decide: the engine on another day, with everything else as for ``decision``.
    :param declarations: every rule set that may be in force on a later day.
    """
    days = change_days(dossier, declarations)
    if decision.eligible:
        found = eligible_until(decide, decision.as_of, days)
        if found is None:
            return decision
        last, reasons = found
        return attrs.evolve(decision, eligible_until=last, eligible_until_reasons=reasons)
    return attrs.evolve(decision, eligible_from=eligible_from(decide, decision.as_of, days))


# -- in words, for the text report and the decision page --------------------------------

_SENTENCES = {
    "fr": {
        "from": "Recevable à partir du {day}, si les périodes en cours se poursuivent et que "
        "rien d'autre ne change.",
        "until": "Recevable jusqu'au {day}",
        "registration_ended": "fin de l'enregistrement du titre au RNCP",
        "award_deadline_passed": "date limite de délivrance aux inscrits pendant l'enregistrement",
        "ruleset_changed": "entrée en vigueur d'un autre jeu de règles",
        "no_longer_met": "la condition {name} cesse d'être remplie",
        "expiry": "expiration {what}",
        "and": " et ",
    },
    "en": {
        "from": "Eligible from {day}, if ongoing periods continue and nothing else changes.",
        "until": "Eligible until {day}",
        "registration_ended": "end of the title's RNCP registration",
        "award_deadline_passed": "award deadline for learners enrolled while it was registered",
        "ruleset_changed": "another rule set takes effect",
        "no_longer_met": "the requirement {name} is no longer met",
        "expiry": "expiry of {what}",
        "and": " and ",
    },
}


def _enumerate(items: Sequence[str], lang: str) -> str:
    """« a, b et c » / "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + _SENTENCES[lang]["and"] + items[-1]


def _expired_components(reasons: Sequence[Mapping[str, Any]], lang: str) -> str:
    """The components whose expiry ends the eligibility, with a title when there is one."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for reason in reasons:
        code = str(reason.get("code", ""))
        if reason.get("kind") == "block":
            noun = "bloc" if lang == "fr" else "block"
        else:
            noun = french.unit_noun(code) if lang == "fr" else "unit"
        groups.setdefault(noun, []).append(reason)
    parts = []
    for noun, items in groups.items():
        if len(items) == 1:
            code = str(items[0].get("code", ""))
            title = items[0].get("title")
            named = (
                f"{code} — {french.typeset(title, lang)}"
                if isinstance(title, str) and title
                else code
            )
            if lang == "fr":
                article = "de l'" if noun.startswith(("U", "u")) else "du "
                parts.append(f"{article}{noun} {named}")
            else:
                parts.append(f"{noun} {named}")
        else:
            codes = _enumerate([str(i.get("code", "")) for i in items], lang)
            if lang == "fr":
                plural = {"bloc": "blocs", "UE": "UE", "unité": "unités"}[noun]
                parts.append(f"des {plural} {codes}")
            else:
                parts.append(f"{noun}s {codes}")
    return _SENTENCES[lang]["expiry"].format(what=_enumerate(parts, lang))


def until_text(until: object, reasons: object, lang: str) -> str:
    """The sentence of an eligible decision's last day and what ends it.

    « Recevable jusqu'au 20 juin 2014 (expiration du bloc RNCP12976BC01 — …). »

    :param until: the decision's ``eligible_until`` (a date or its ISO text).
    :param reasons: its ``eligible_until_reasons`` in their JSON form.
    """
    last = until if isinstance(until, date) else parse_iso_date(str(until))
    words = _SENTENCES[lang]
    plain = [r for r in reasons if isinstance(r, Mapping)] if isinstance(reasons, list) else []
    expired = [r for r in plain if r.get("reason") == "expired"]
    why = [_expired_components(expired, lang)] if expired else []
    for reason in plain:
        code = reason.get("reason")
        if code == "expired":
            continue
        if code == "no_longer_met":
            name = french.quoted(
                french.requirement_name(str(reason.get("requirement")), lang), lang
            )
            why.append(words["no_longer_met"].format(name=name))
        else:
            why.append(words.get(str(code), words["ruleset_changed"]))
    text = words["until"].format(day=french.day(last, lang))
    unique = list(dict.fromkeys(why))
    return text + (f" ({_enumerate(unique, lang)})." if unique else ".")


def from_text(start: object, lang: str) -> str:
    """The sentence of a not-eligible decision's first eligible day, and on what condition."""
    first = start if isinstance(start, date) else parse_iso_date(str(start))
    return _SENTENCES[lang]["from"].format(day=french.day(first, lang))


def dates_text(decision: Mapping[str, Any], lang: str) -> str | None:
    """The sentence for a decision's JSON form that carries a date, else None."""
    if decision.get("eligible_until"):
        return until_text(
            decision["eligible_until"], decision.get("eligible_until_reasons") or [], lang
        )
    if decision.get("eligible_from"):
        return from_text(decision["eligible_from"], lang)
    return None
