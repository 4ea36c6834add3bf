"""What if: the decision as if a plan happened, and what it changes against today's.

A plan (JSON ``rulekit.plan/1``, schema ``rulekit/schemas/plan.schema.json``) lists units
and blocs the learner plans to pass, with their dates, and periods of experience or
internship planned or still to come. Items are those of a dossier, with the same fields
and checks (``rulekit/dossier_format.py``); the plan only adds to the dossier, it never
removes or edits an item: a planned passed unit counts besides an earlier failed or
in-progress result of the same code, as any passed result does (specs/core.md, "Counting a
unit or bloc"); a planned period adds its days, a day weighing at most 1 (specs/core.md,
"Months").

The plan is looked at on its day ``on``: the one it gives, else the latest date it names
(a unit's or bloc's date, a period's start or end), never before the as-of date. The
decision "as if" is the engine's on the dossier with the plan, as of that day; the decision
"as it stands" is the engine's on the dossier alone, as of the as-of date. Neither is a
jury's decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs
from attrs import frozen

from rulekit.api import evaluate, today
from rulekit.calendar import parse_iso_date
from rulekit.codec import decision_to_dict, shared_converter
from rulekit.decision import Decision, Missing
from rulekit.dossier import (
    DOSSIER_FORMAT,
    BlockResult,
    Dossier,
    Experience,
    Internship,
    UnitResult,
)
from rulekit.dossier_format import json_schema as dossier_schema
from rulekit.dossier_io import dossier_from_dict, parse_json, read_any
from rulekit.errors import DossierError, InputError
from rulekit.registry import Registry

PLAN_FORMAT = "rulekit.plan/1"
WHATIF_FORMAT = "rulekit.whatif/1"
PLAN_LISTS = ("units", "blocks", "experience", "internships")
"""What a plan may list: the dossier lists of the same name (waivers are the jury's)."""
_ITEM_DEFS = {"units": "unit", "blocks": "block", "experience": "experience",
              "internships": "internship"}  # fmt: skip


@frozen
class Plan:
    """Units, blocs and periods to add to a dossier, and the day to look at it (``on``)."""

    on: date | None = None
    units: tuple[UnitResult, ...] = ()
    blocks: tuple[BlockResult, ...] = ()
    experience: tuple[Experience, ...] = ()
    internships: tuple[Internship, ...] = ()

    def latest(self) -> date | None:
        """The latest date the plan names, or None when it names none."""
        components: list[UnitResult | BlockResult] = [*self.units, *self.blocks]
        days: list[date] = [c.date for c in components if c.date is not None]
        periods: list[Experience | Internship] = [*self.experience, *self.internships]
        for period in periods:
            days.append(period.start)
            if period.end is not None:
                days.append(period.end)
        return max(days, default=None)


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of ``rulekit.plan/1``, its items those of the dossier schema."""
    defs = dossier_schema()["$defs"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://rulekit.invalid/schemas/plan.schema.json",
        "title": PLAN_FORMAT,
        "description": "Units and blocs a learner plans to pass, with their dates, and "
        "periods planned, to see the decision as if they happened (rulekit whatif). Items "
        "are those of a dossier (rulekit.dossier/1); the plan only adds to the dossier.",
        "type": "object",
        "additionalProperties": False,
        "required": ["format"],
        "properties": {
            "format": {"const": PLAN_FORMAT},
            "on": {
                "type": "string",
                "pattern": r"^\d{4}-\d{2}-\d{2}$",
                "format": "date",
                "description": "The day to look at the dossier with the plan; by default "
                "the latest date the plan names, never before the as-of date.",
            },
            **{
                key: {"type": "array", "items": {"$ref": f"#/$defs/{item}"}}
                for key, item in _ITEM_DEFS.items()
            },
        },
        "$defs": {name: defs[name] for name in sorted(defs)},
    }


def plan_from_dict(value: Any) -> Plan:
    """Validate a parsed plan and return it.

    Items are checked exactly as a dossier's, with the same JSON paths (``units[0].date``).

    :raises DossierError: listing every problem, each with its path in the plan.
    """
    if not isinstance(value, Mapping):
        raise DossierError([InputError("$", "a plan must be a JSON object")])
    errors: list[InputError] = []
    if "format" not in value:
        errors.append(InputError("format", f"required: {PLAN_FORMAT!r}"))
    elif value["format"] != PLAN_FORMAT:
        errors.append(InputError("format", f"must be {PLAN_FORMAT!r}, not {value['format']!r}"))
    errors.extend(
        InputError(str(key), "unknown field")
        for key in value
        if key not in ("format", "on", *PLAN_LISTS)
    )
    on: date | None = None
    if "on" in value:
        try:
            if not isinstance(value["on"], str):
                raise ValueError(f"{value['on']!r} is not a date of the form YYYY-MM-DD")
            on = parse_iso_date(value["on"])
        except ValueError as exc:
            errors.append(InputError("on", str(exc)))
    items = {key: value[key] for key in PLAN_LISTS if key in value}
    try:
        read = dossier_from_dict({"format": DOSSIER_FORMAT, "learner": {"id": "plan"}, **items})
    except DossierError as exc:
        errors.extend(exc.errors)
        read = None
    if errors or read is None:
        raise DossierError(errors)
    return Plan(on, read.units, read.blocks, read.experience, read.internships)


def read_plan(source: Plan | Mapping[str, Any] | str | bytes) -> Plan:
    """A plan from JSON text, its parsed JSON, or a plan already read.

    :raises DossierError: listing every problem found, with its path in the plan.
    """
    if isinstance(source, Plan):
        return source
    raw = parse_json(source, what="plan") if isinstance(source, str | bytes) else source
    return plan_from_dict(raw)


def with_plan(dossier: Dossier, plan: Plan) -> Dossier:
    """The dossier with the plan's items added to its lists."""
    return attrs.evolve(
        dossier,
        units=(*dossier.units, *plan.units),
        blocks=(*dossier.blocks, *plan.blocks),
        experience=(*dossier.experience, *plan.experience),
        internships=(*dossier.internships, *plan.internships),
    )


@frozen
class RequirementChange:
    """One requirement before and after the plan (``None``: the track then lacks it)."""

    requirement: str
    met_before: bool | None
    met_after: bool | None
    missing_before: tuple[Missing, ...]
    missing_after: tuple[Missing, ...]

    @property
    def changed(self) -> bool:
        """Whether the plan changes whether it is met, or what it lacks."""
        return (self.met_before, self.missing_before) != (self.met_after, self.missing_after)


@frozen
class WhatIf:
    """Two decisions and their difference, requirement by requirement.

    ``before``: the dossier as it stands, as of the as-of date; ``after``: the dossier
    with the plan, as of the plan's day.
    """

    plan: Plan
    before: Decision
    after: Decision
    changes: tuple[RequirementChange, ...]
    first_eligible: date | None = None
    """With the plan, the first day from the as-of date on which the dossier is eligible
    (its periods running as the plan and dossier say), within the horizon of
    specs/core.md, "Eligible from, eligible until"; asked for with ``dates``."""

    @property
    def on(self) -> date:
        """The day the dossier with the plan is looked at."""
        return self.after.as_of


def compare(before: Decision, after: Decision) -> tuple[RequirementChange, ...]:
    """Each requirement of either decision, in the order of ``after`` then ``before``."""
    was = {r.id: r for r in before.requirements}
    now = {r.id: r for r in after.requirements}
    order = list(dict.fromkeys([*now, *was]))
    changes = []
    for requirement in order:
        old, new = was.get(requirement), now.get(requirement)
        changes.append(
            RequirementChange(
                requirement,
                None if old is None else old.met,
                None if new is None else new.met,
                () if old is None else old.missing,
                () if new is None else new.missing,
            )
        )
    return tuple(changes)


def whatif(
    dossier: Dossier | Mapping[str, Any] | str | bytes,
    plan: Plan | Mapping[str, Any] | str | bytes,
    *,
    certification: str | None = None,
    track: str | None = None,
    as_of: date | None = None,
    ruleset_version: str | None = None,
    registry: Registry | None = None,
    dates: bool = True,
) -> WhatIf:
    """Return the decision as if ``plan`` happened, against the decision as it stands.

    :param as_of: the date of the decision as it stands; today in France when omitted.
    :param dates: give both decisions their ``eligible_from`` or ``eligible_until``
        (specs/core.md, "Eligible from, eligible until").
    :raises DossierError: the dossier or the plan is not valid (each error with its path in
        its own document), or the plan's ``on`` is before the as-of date.
    """
    day = as_of if as_of is not None else today()
    read = read_any(dossier)
    planned = read_plan(plan)
    on = planned.on if planned.on is not None else max(day, planned.latest() or day)
    if on < day:
        raise DossierError(
            [InputError("on", f"{on.isoformat()} is before the as-of date {day.isoformat()}")]
        )
    options: dict[str, Any] = {
        "certification": certification,
        "track": track,
        "ruleset_version": ruleset_version,
        "registry": registry,
        "dates": dates,
    }
    before = evaluate(read, as_of=day, **options)
    merged = with_plan(read, planned)
    after = evaluate(merged, as_of=on, **options)
    first: date | None = None
    if dates:
        now = evaluate(merged, as_of=day, **options)
        first = day if now.eligible else now.eligible_from
    return WhatIf(planned, before, after, compare(before, after), first)


def _items(values: tuple[Any, ...], kind: type) -> list[Any]:
    return [shared_converter().unstructure(value, kind) for value in values]


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan's JSON object (``on`` only when given)."""
    body: dict[str, Any] = {"format": PLAN_FORMAT}
    if plan.on is not None:
        body["on"] = plan.on.isoformat()
    kinds = (UnitResult, BlockResult, Experience, Internship)
    for key, kind in zip(PLAN_LISTS, kinds, strict=True):
        if getattr(plan, key):
            body[key] = _items(getattr(plan, key), kind)
    return body


def whatif_to_dict(result: WhatIf) -> dict[str, Any]:
    """The JSON object ``rulekit.whatif/1``: both outcomes, the changes, both decisions."""
    return {
        "format": WHATIF_FORMAT,
        "as_of": result.before.as_of.isoformat(),
        "on": result.on.isoformat(),
        "outcome_before": result.before.outcome.value,
        "outcome_after": result.after.outcome.value,
        **(
            {"first_eligible": result.first_eligible.isoformat()}
            if result.first_eligible is not None
            else {}
        ),
        "changes": [
            {
                "requirement": change.requirement,
                "changed": change.changed,
                "met_before": change.met_before,
                "met_after": change.met_after,
                "missing_before": _items(change.missing_before, Missing),
                "missing_after": _items(change.missing_after, Missing),
            }
            for change in result.changes
        ],
        "plan": plan_to_dict(result.plan),
        "before": decision_to_dict(result.before),
        "after": decision_to_dict(result.after),
    }


# -- the text report -----------------------------------------------------------------------

_WORDS = {
    "fr": {
        "title": "Simulation — et si le plan se réalisait\u202f?",
        "learner": "Dossier",
        "certification": "Certification",
        "before": "Au {day}, sans le plan",
        "after": "Au {day}, avec le plan",
        "eligible": "recevable",
        "not_eligible": "non recevable en l'état",
        "first_without": "Sans le plan, recevable à partir du {day} si les périodes en "
        "cours se poursuivent et que rien d'autre ne change.",
        "first": "Avec le plan, recevable à partir du {day}.",
        "plan": "Le plan ajoute",
        "nothing": "Rien (le plan est vide).",
        "changes": "Condition par condition",
        "unchanged": "inchangée",
        "absent_before": "sans objet sans le plan",
        "absent_after": "sans objet avec le plan",
        "was_missing": "Manquait",
        "still_missing": "Manque encore",
        "now_missing": "Manque alors",
        "note": "Une simulation ne décide rien\u202f: le jury décide sur le dossier réel.",
    },
    "en": {
        "title": "What if the plan happened?",
        "learner": "Dossier",
        "certification": "Certification",
        "before": "On {day}, without the plan",
        "after": "On {day}, with the plan",
        "eligible": "eligible",
        "not_eligible": "not eligible as it stands",
        "first_without": "Without the plan, eligible from {day} if ongoing periods "
        "continue and nothing else changes.",
        "first": "With the plan, eligible from {day}.",
        "plan": "The plan adds",
        "nothing": "Nothing (the plan is empty).",
        "changes": "Requirement by requirement",
        "unchanged": "unchanged",
        "absent_before": "not asked without the plan",
        "absent_after": "not asked with the plan",
        "was_missing": "Was missing",
        "still_missing": "Still missing",
        "now_missing": "Then missing",
        "note": "A simulation decides nothing: the jury decides on the actual dossier.",
    },
}


def _outcome_line(decision: Decision, key: str, lang: str, declaration: Any) -> str:
    from rulekit.french import day, label  # noqa: PLC0415
    from rulekit.readable import track_name  # noqa: PLC0415

    words = _WORDS[lang]
    head = label(words[key].format(day=day(decision.as_of, lang)), lang)
    track = track_name(decision.track, declaration, lang)
    return f"{head} {words[decision.outcome.value]} — {track}"


def _state(met: bool | None, absent: str, lang: str) -> str:
    from rulekit.readable import status  # noqa: PLC0415

    return absent if met is None else status(met, lang)


def render_whatif(result: WhatIf, lang: str = "fr") -> str:
    """The what-if as text for jury staff and learners, in ``lang`` (``fr`` or ``en``)."""
    from rulekit.dates import dates_text  # noqa: PLC0415
    from rulekit.french import day, label, requirement_name  # noqa: PLC0415
    from rulekit.readable import (  # noqa: PLC0415
        evidence,
        find_certification,
        missing,
        titles,
    )

    words = _WORDS[lang]
    before, after = result.before, result.after
    cert = after.certification
    declaration = find_certification(cert.id, after.as_of, cert.ruleset_version)
    known = titles(declaration)
    learner = after.learner.id + (f" ({after.learner.name})" if after.learner.name else "")
    lines = [
        words["title"],
        "",
        f"{label(words['learner'], lang)} {learner}",
        f"{label(words['certification'], lang)} {cert.title} ({cert.rncp})",
        _outcome_line(before, "before", lang, declaration),
        _outcome_line(after, "after", lang, declaration),
    ]
    if before.eligible_from is not None:
        lines.append(words["first_without"].format(day=day(before.eligible_from, lang)))
    if result.first_eligible is not None:
        lines.append(words["first"].format(day=day(result.first_eligible, lang)))
    sentence = dates_text(decision_to_dict(after), lang)
    if sentence:
        lines.append(sentence)
    lines.extend(["", words["plan"]])
    planned = plan_to_dict(result.plan)
    kinds = {"units": "unit", "blocks": "block", "experience": "experience",
             "internships": "internship"}  # fmt: skip
    shown = [
        evidence({"type": kinds[key], **item}, lang, known, verbose=True)
        for key in PLAN_LISTS
        for item in planned.get(key, [])
    ]
    lines.extend(f"  - {text}" for text in shown)
    if not shown:
        lines.append(f"  {words['nothing']}")
    lines.extend(["", words["changes"]])
    for change in result.changes:
        name = requirement_name(change.requirement, lang)
        was = _state(change.met_before, words["absent_before"], lang)
        now = _state(change.met_after, words["absent_after"], lang)
        if change.met_before == change.met_after:
            lines.append(f"  {label(name, lang)} {now}, {words['unchanged']}")
        else:
            lines.append(f"  {label(name, lang)} {was} → {now}")
        gone = [m for m in change.missing_before if m not in change.missing_after]
        kept = [m for m in change.missing_after if m in change.missing_before]
        new = [m for m in change.missing_after if m not in change.missing_before]
        for key, items in (("was_missing", gone), ("still_missing", kept), ("now_missing", new)):
            lines.extend(
                f"    {label(words[key], lang)} "
                f"{missing(shared_converter().unstructure(m, Missing), lang, known)}"
                for m in items
            )
    lines.extend(["", words["note"]])
    return "\n".join(lines) + "\n"
