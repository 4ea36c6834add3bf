"""The invariants every certification keeps, as a reusable pytest class.

Subclass :class:`InvariantSuite` in a plugin's tests and name the certifications to check::

    from rulekit.testing.invariants import InvariantSuite

    class TestInvariants(InvariantSuite):
        certifications = ("casp_36625",)   # ids of installed certifications

pytest collects the subclass and runs every invariant once per certification (its latest
installed rule-set version), each on as many generated dossiers as the Hypothesis profile
says (:mod:`rulekit.testing.profiles`). Dossiers come from the declaration alone
(:mod:`rulekit.testing.strategies`), so a new plugin needs nothing more.

1. Determinism: same decision bytes whatever the order of list items and object keys; the
   same bytes again in a subprocess with another hash seed, time zone and locale.
2. Outcome and explanation agree: eligible iff every requirement is met; an unmet one says
   what is missing; a met one cites its evidence, attestation or waiver; everything cited
   is in the dossier, counts on the as-of date, and a unit counts once.
3. Monotonic evidence: adding a passed unit or bloc, a period or a waiver never unmeets a
   requirement nor loses eligibility (as-of date unchanged); the days each months
   requirement measures never decrease.
4. Time: a later as-of date never unmeets a requirement unless a validity period or the
   registration window explains it, and the decision says which; a component counts
   exactly when ``date <= as-of <= date + validity`` (specs/core.md, Validity).
5. Months measure, in decisions: duplicating, reordering or splitting a period into
   adjacent pieces changes nothing; the days measured never exceed the days of the
   periods' union.
6. Matching: where units can fill a track's slots, the engine finds such an assignment
   (checked by brute force, on the certification's tracks and on small generated tracks
   sharing its units between mandatory and choice slots).
7. Round trip: dossier and decision JSON <-> objects (cattrs) lose nothing.
8. Robustness: an invalid dossier yields :class:`~rulekit.errors.DossierError` with its
   errors at the one JSON path broken (from the API, and exit 2 with the errors as JSON
   from the CLI), never a decision nor another exception.
9. Differential: a plain reference evaluator agrees with the engine on outcome, track and
   unmet requirements of every track. By default it is rulekit's own,
   :mod:`rulekit.testing.reference`, written from the specs alone, so every plugin gets
   this check; set :attr:`InvariantSuite.reference_evaluator` to another, or to ``None`` to
   skip it (it is skipped, saying so, for plugin-defined requirement kinds it cannot model).

A subclass may also set :attr:`InvariantSuite.registry` to check certifications that are
not installed (the core's tests use fictitious ones); the subprocess and command-line
checks, which see only installed plugins, are then skipped. The checks are functions of
this module too (:func:`check_explanation`, :func:`check_matching`...), for tests of
their own.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar, Protocol

import pytest
from attrs import frozen
from hypothesis import given, settings
from hypothesis import strategies as st

from rulekit.api import evaluate
from rulekit.cli import main as cli_main
from rulekit.codec import (
    decision_from_dict,
    decision_to_json,
    dossier_to_dict,
)
from rulekit.decision import Basis, Decision, Enrolment, Evidence, RequirementResult
from rulekit.declaration import Certification, Track
from rulekit.dossier import Dossier, Result
from rulekit.dossier_io import dossier_from_dict
from rulekit.engine.compiled import CompiledCertification, compile_certification
from rulekit.engine.context import Context
from rulekit.engine.evaluate import evaluate_dossier
from rulekit.errors import DossierError
from rulekit.kinds import blocks, choice, registration, units
from rulekit.kinds.base import Kind
from rulekit.kinds.periods import internship_presence
from rulekit.months import days_proven, union_days
from rulekit.registry import Registry, default_registry
from rulekit.testing import reference
from rulekit.testing.dates import DAY, dates_between, first_counting_day, iso
from rulekit.testing.scenarios import (
    JSON,
    LIST_KEYS,
    Scenario,
    additions,
    scenarios,
    track_codes,
)
from rulekit.testing.strategies import (
    GENERATED_UNIT_CODES,
    BrokenDossier,
    broken_dossiers,
    small_certifications,
)

# ---------------------------------------------------------------------------------------
# The reference evaluator's interface (invariant 9)
# ---------------------------------------------------------------------------------------


class ReferenceVerdict(Protocol):
    """What a reference evaluator answers for one dossier."""

    @property
    def outcome(self) -> str:
        """``eligible`` or ``not_eligible``."""
        ...

    @property
    def track(self) -> str:
        """The track reported."""
        ...

    @property
    def unmet(self) -> frozenset[str]:
        """The ids of the reported track's unmet requirements."""
        ...

    @property
    def per_track(self) -> Mapping[str, frozenset[str]]:
        """For every track evaluated, the ids of its unmet requirements."""
        ...


ReferenceEvaluator = Callable[..., Any]
"""``(declaration, dossier JSON, as_of, track, *, kinds) -> ReferenceVerdict``, ``kinds``
being the registered requirement kinds (``Registry.kinds``); raises
:class:`NotImplementedError` for what it does not model (custom rule kinds)."""


# ---------------------------------------------------------------------------------------
# Certifications under test
# ---------------------------------------------------------------------------------------


@frozen
class Subject:
    """A certification under test: its id, and the registry holding it (``None``: installed)."""

    id: str
    registry: Registry | None = None


@frozen
class Target:
    """A certification under test: its declaration and the compiled rules evaluating it."""

    declaration: Certification
    compiled: CompiledCertification
    registry: Registry | None = None
    """Where to find it; ``None``: the installed plugins."""

    @property
    def id(self) -> str:
        """The certification id."""
        return self.declaration.id

    @property
    def kinds(self) -> tuple[Kind, ...]:
        """The requirement kinds registered where the certification is."""
        return (self.registry or default_registry()).kinds

    def decide(self, dossier: JSON | Dossier, as_of: date, track: str | None = None) -> Decision:
        """Evaluate through the public API, with this rule-set version."""
        return evaluate(
            dossier,
            certification=self.id,
            as_of=as_of,
            track=track,
            ruleset_version=self.declaration.version,
            registry=self.registry,
        )


@functools.cache
def target(subject: Subject) -> Target:
    """Return the latest rule-set version of the certification ``subject`` names.

    :raises rulekit.errors.UnknownCertification: naming the certifications available.
    """
    registry = subject.registry if subject.registry is not None else default_registry()
    compiled = registry.versions(subject.id)[-1]
    return Target(compiled.declaration, compiled, subject.registry)


def _with(dossier: JSON, key: str, items: list[JSON]) -> JSON:
    """A copy of ``dossier`` whose list ``key`` is ``items``."""
    return {**dossier, key: items}


def _cited(decision: Decision, requirement: str) -> list[Evidence]:
    for result in decision.requirements:
        if result.id == requirement:
            return list(result.evidence)
    return []


def _unmet(decision: Decision) -> frozenset[str]:
    return frozenset(r.id for r in decision.requirements if not r.met)


def anniversary(day: date, years: int) -> date:
    """``day`` plus ``years`` years, 29 February becoming 28 February (no engine code)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def expiry(day: date, years: int) -> date:
    """The first day a component acquired on ``day`` no longer counts.

    It counts through its anniversary inclusive (Code de procédure civile, art. 641, 642).
    """
    return anniversary(day, years) + DAY


# ---------------------------------------------------------------------------------------
# Invariant 2: what a decision must say
# ---------------------------------------------------------------------------------------


def _in_dossier(evidence: Evidence, dossier: Dossier) -> bool:
    item = evidence.item
    if isinstance(item, Enrolment):
        return item.enrolled_on == dossier.enrolled_on
    lists: dict[str, Sequence[object]] = {
        "unit": dossier.units,
        "block": dossier.blocks,
        "experience": dossier.experience,
        "internship": dossier.internships,
        "waiver": dossier.waivers,
    }
    return item in lists[evidence.type]


def _counts(item: object, as_of: date, validity: int | None) -> bool:
    """Whether a cited unit or bloc counts on ``as_of`` (passed, dated, still valid)."""
    result, day = getattr(item, "result", None), getattr(item, "date", None)
    if result is not Result.PASSED or day is None or day > as_of:
        return False
    return validity is None or as_of < expiry(day, validity)


def check_met(result: RequirementResult, certification: Certification, as_of: date) -> None:
    """A met requirement says how, and what it cites supports it."""
    assert result.basis is not None, f"{result.id}: met without a basis"
    assert not result.missing, f"{result.id}: met yet lists something missing"
    required = result.measure.required if result.measure else None
    if result.basis not in (Basis.REGISTERED, Basis.ROUTE_OPEN) and required != 0:
        assert result.evidence, f"{result.id}: met ({result.basis.value}) citing nothing"
    for cited in result.evidence:
        if cited.type in ("unit", "block"):
            assert _counts(cited.item, as_of, certification.validity_years), (
                f"{result.id}: cites {cited.item} which does not count on {as_of}"
            )
        if result.basis is Basis.WAIVER:
            waiver = cited.item
            assert cited.type == "waiver", f"{result.id}: waived, citing a {cited.type}"
            assert getattr(waiver, "requirement", None) == result.id
            assert getattr(waiver, "date", as_of) <= as_of, f"{result.id}: waiver after as-of"
        if cited.type in ("experience", "internship"):
            assert getattr(cited.item, "start", as_of) <= as_of, f"{result.id}: future period"
    if result.measure is not None and result.basis is Basis.EVIDENCE:
        assert result.measure.counted >= result.measure.required


def check_unmet(result: RequirementResult, track: Track) -> None:
    """An unmet requirement names what is missing, in terms of the track."""
    assert result.basis is None, f"{result.id}: unmet with basis {result.basis}"
    assert result.missing, f"{result.id}: unmet without saying what is missing"
    for missing in result.missing:
        said = (missing.code, missing.count, missing.months, missing.reason)
        assert missing.kind, f"{result.id}: {missing}"
        assert any(x is not None for x in said), f"{result.id}: {missing} says nothing"
    if result.id == units.ID:
        mandatory = {unit.code for unit in track.mandatory}
        cited = {getattr(e.item, "code", None) for e in result.evidence}
        for missing in result.missing:
            assert missing.code in mandatory, missing
            assert missing.code not in cited, missing
    if result.id == choice.ID:
        groups = [group.codes for group in track.choices]
        for missing in result.missing:
            assert missing.among is not None, missing
            assert frozenset(missing.among) in groups, missing
    if result.measure is not None:
        assert result.measure.counted < result.measure.required, result.measure


def check_explanation(
    decision: Decision, dossier: Dossier, certification: Certification, as_of: date
) -> None:
    """Invariant 2 on one decision (see the module docstring)."""
    results = decision.requirements
    assert decision.eligible == all(r.met for r in results)
    ids = [r.id for r in results]
    assert len(set(ids)) == len(ids), f"requirement listed twice: {ids}"
    track = next(t for t in certification.tracks if t.id == decision.track)
    for result in results:
        assert result.message.fr.strip(), result.id
        assert result.message.en.strip(), result.id
        for cited in (*result.evidence, *(n.evidence for n in result.not_counted)):
            assert _in_dossier(cited, dossier), f"{result.id}: cites {cited} not in dossier"
        if result.met:
            check_met(result, certification, as_of)
        else:
            check_unmet(result, track)
    used = [
        getattr(cited.item, "code", None)
        for result in results
        if result.id in (units.ID, choice.ID)
        for cited in result.evidence
        if cited.type == "unit"
    ]
    assert len(used) == len(set(used)), f"a unit counted twice: {sorted(map(str, used))}"


# ---------------------------------------------------------------------------------------
# Invariants 3 and 5: the months measure behind decisions
# ---------------------------------------------------------------------------------------


def measures(dossier: Dossier, as_of: date, certification: Certification) -> tuple[Fraction, ...]:
    """Exact measures on ``as_of``, each of which more evidence never lowers.

    Full-time-equivalent days of experience (all, in the field), of internships counted by
    days, and days of presence of those counted by hours.
    """
    ctx = Context(dossier, as_of, certification.validity_years)
    in_field_only = certification.internship.in_field_only if certification.internship else True
    presence = internship_presence(ctx, in_field_only=in_field_only)
    return (
        days_proven(ctx.experience_spans(in_field_only=False)[0]),
        days_proven(ctx.experience_spans(in_field_only=True)[0]),
        days_proven(ctx.internship_spans(in_field_only=in_field_only)[0]),
        Fraction(presence.days),
    )


def check_union_bound(dossier: Dossier, as_of: date, certification: Certification) -> None:
    """Invariant 5: no measure of days exceeds the days of its periods' union."""
    ctx = Context(dossier, as_of, certification.validity_years)
    in_field_only = certification.internship.in_field_only if certification.internship else True
    for spans in (
        ctx.experience_spans(in_field_only=False)[0],
        ctx.experience_spans(in_field_only=True)[0],
        ctx.internship_spans(in_field_only=in_field_only)[0],
    ):
        assert days_proven(spans) <= union_days(spans), spans


# ---------------------------------------------------------------------------------------
# Invariant 6: brute force
# ---------------------------------------------------------------------------------------


def slots_of(track: Track) -> list[frozenset[str]]:
    """One slot per mandatory unit, then ``choose`` slots per choice group."""
    slots = [frozenset({unit.code}) for unit in track.mandatory]
    for group in track.choices:
        slots += [group.codes] * group.choose
    return slots


def most_filled(slots: Sequence[frozenset[str]], held: frozenset[str]) -> int:
    """The most slots any assignment of distinct held codes fills (exhaustive search)."""

    @functools.cache
    def best(index: int, used: frozenset[str]) -> int:
        if index == len(slots):
            return 0
        options = [best(index + 1, used)]
        options += [1 + best(index + 1, used | {c}) for c in sorted(slots[index] & held - used)]
        return max(options)

    return best(0, frozenset())


def check_matching(decision: Decision, track: Track, held: frozenset[str]) -> None:
    """The engine fills as many slots as brute force, preferring mandatory units."""
    slots = slots_of(track)
    cited = [
        getattr(e.item, "code", "") for r in (units.ID, choice.ID) for e in _cited(decision, r)
    ]
    assert len(cited) == len(set(cited)), f"a unit fills two slots: {cited}"
    assert set(cited) <= held
    assert len(cited) == most_filled(slots, held), f"{len(cited)} slots filled, brute force more"
    mandatory = frozenset(unit.code for unit in track.mandatory)
    results = {r.id: r.met for r in decision.requirements}
    if track.mandatory:
        assert results[units.ID] == (mandatory <= held)
    if track.choices:
        choice_slots = slots[len(track.mandatory) :]
        fillable = most_filled(choice_slots, held - mandatory) == len(choice_slots)
        assert results[choice.ID] == fillable, "choice groups: engine and brute force differ"


# ---------------------------------------------------------------------------------------
# Invariant 1: another process
# ---------------------------------------------------------------------------------------

_REPLAY = """
import json, sys, locale
for name in ("fr_FR.UTF-8", "de_DE.UTF-8", ""):
    try:
        locale.setlocale(locale.LC_ALL, name)
        break
    except locale.Error:
        pass
from datetime import date
from rulekit.api import evaluate
from rulekit.codec import decision_to_json
for case in json.load(open(sys.argv[1], encoding="utf-8")):
    decision = evaluate(case["dossier"], certification=case["certification"],
                        as_of=date.fromisoformat(case["as_of"]),
                        ruleset_version=case["version"])
    sys.stdout.write(decision_to_json(decision))
"""
"""Evaluates cases in a fresh interpreter and prints the decisions' bytes."""

OTHER_ENVIRONMENT = {
    "PYTHONHASHSEED": "4242",
    "TZ": "Pacific/Kiritimati",
    "LC_ALL": "fr_FR.UTF-8",
    "LANG": "fr_FR.UTF-8",
}
"""A hash seed, a time zone (UTC+14, already tomorrow) and a locale unlike the usual."""


def replay_elsewhere(cases: list[JSON]) -> str:
    """Return the decisions of ``cases`` computed in a subprocess (:data:`OTHER_ENVIRONMENT`)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.json"
        path.write_text(json.dumps(cases), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-c", _REPLAY, str(path)],
            env={**os.environ, **OTHER_ENVIRONMENT},
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    return done.stdout


def check_command_line_refuses(t: Target, broken: BrokenDossier) -> None:
    """``rulekit evaluate`` on the broken dossier: exit 2, JSON errors at its path, no traceback."""
    payload = broken.payload
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dossier.json"
        path.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        argv = ["evaluate", str(path), "--certification", t.id, "--as-of", iso(broken.as_of)]
        argv += ["--ruleset-version", t.declaration.version, "--format", "json"]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_main(argv)
    assert code == 2, f"{broken.defect}: exit {code}"
    report = json.loads(out.getvalue())
    assert report["format"] == "rulekit.errors/1"
    assert {e["path"] for e in report["errors"]} == {broken.path}
    assert "Traceback" not in err.getvalue()


# ---------------------------------------------------------------------------------------
# The suite
# ---------------------------------------------------------------------------------------


def later_days(certification: Certification, scenario: Scenario) -> st.SearchStrategy[int]:
    """Days to move the as-of date by: to anniversaries and window edges, or anywhere."""
    as_of: date = scenario.as_of
    edges: list[date] = []
    window = certification.registration
    if window is not None:
        edges += [window.registered_until + DAY, (window.award_deadline or as_of) + DAY]
    validity = certification.validity_years
    if validity is not None:
        for key in ("units", "blocks"):
            for item in scenario.dossier.get(key, []):
                if item.get("date"):
                    ends = expiry(date.fromisoformat(item["date"]), validity)
                    edges += [ends - DAY, ends]
    steps = sorted({(day - as_of).days for day in edges if day > as_of})
    anywhere = st.integers(1, 4000)
    return st.one_of(st.sampled_from(steps), anywhere) if steps else anywhere


def _shuffled(draw: st.DataObject, dossier: JSON) -> JSON:
    """``dossier`` with every list and every object's keys in another order."""
    keys = draw.draw(st.permutations(sorted(dossier)), label="key order")
    value = {key: dossier[key] for key in keys}
    for key in LIST_KEYS:
        if isinstance(value.get(key), list) and len(value[key]) > 1:
            value[key] = draw.draw(st.permutations(value[key]), label=f"{key} order")
    return value


class InvariantSuite:
    """The nine invariants of every certification in :attr:`certifications` (see module doc)."""

    certifications: ClassVar[Sequence[str]] = ()
    """Ids of the installed certifications to check."""
    reference_evaluator: ClassVar[ReferenceEvaluator | None] = staticmethod(reference.evaluate)
    """A plain evaluator written from the specs (invariant 9); ``None`` skips invariant 9."""
    registry: ClassVar[Registry | None] = None
    """Where to find :attr:`certifications` instead of the installed plugins (the core's own
    tests use fictitious ones). Another process and the command line see only installed
    plugins, so with a registry the subprocess and CLI checks are left out, saying so."""

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Run each invariant once per certification id."""
        if "certification" in metafunc.fixturenames:
            ids = list(self.certifications)
            subjects = [Subject(cid, self.registry) for cid in ids]
            metafunc.parametrize("certification", subjects, ids=ids)

    # -- 1. determinism -------------------------------------------------------------------

    @staticmethod
    @given(data=st.data())
    def test_determinism_whatever_the_order(certification: Subject, data: st.DataObject) -> None:
        """Reordering list items and keys of a dossier changes no byte of its decision."""
        t = target(certification)
        scenario = data.draw(scenarios(t.declaration), label="scenario")
        first = decision_to_json(t.decide(scenario.dossier, scenario.as_of))
        again = decision_to_json(t.decide(_shuffled(data, scenario.dossier), scenario.as_of))
        assert first == again

    @staticmethod
    @settings(max_examples=1)
    @given(data=st.data())
    def test_determinism_in_another_process(certification: Subject, data: st.DataObject) -> None:
        """Another hash seed, time zone and locale give the same decision bytes."""
        if certification.registry is not None:
            pytest.skip("another process sees only the installed plugins")
        t = target(certification)
        batch = data.draw(st.lists(scenarios(t.declaration), min_size=8, max_size=8), label="batch")
        cases = [
            {
                "certification": t.id,
                "version": t.declaration.version,
                "as_of": iso(s.as_of),
                "dossier": _shuffled(data, s.dossier),
            }
            for s in batch
        ]
        here = "".join(decision_to_json(t.decide(s.dossier, s.as_of)) for s in batch)
        assert replay_elsewhere(cases) == here

    # -- 2. outcome and explanation -------------------------------------------------------

    @staticmethod
    @given(data=st.data())
    def test_outcome_and_explanation_agree(certification: Subject, data: st.DataObject) -> None:
        """Eligible iff all met; unmet ones say what is missing; met ones cite what counts."""
        t = target(certification)
        scenario = data.draw(scenarios(t.declaration), label="scenario")
        dossier = dossier_from_dict(scenario.dossier)
        decision = t.decide(dossier, scenario.as_of)
        check_explanation(decision, dossier, t.declaration, scenario.as_of)
        for other in decision.other_tracks:
            alone = t.decide(dossier, scenario.as_of, track=other.track)
            assert (alone.outcome, tuple(r.id for r in alone.requirements if not r.met)) == (
                other.outcome,
                other.unmet,
            ), f"track {other.track}: summary differs from its own decision"
            check_explanation(alone, dossier, t.declaration, scenario.as_of)

    # -- 3. monotonic evidence ------------------------------------------------------------

    @staticmethod
    @given(data=st.data())
    def test_more_evidence_never_hurts(certification: Subject, data: st.DataObject) -> None:
        """Adding a passed unit or bloc, a period or a waiver never unmeets a requirement."""
        t = target(certification)
        scenario = data.draw(scenarios(t.declaration), label="scenario")
        addition = data.draw(additions(t.declaration, scenario.as_of), label="addition")
        base, as_of = scenario.dossier, scenario.as_of
        more = _with(base, addition.key, [*base.get(addition.key, []), addition.item])
        if addition.key in ("experience", "internships"):
            before = measures(dossier_from_dict(base), as_of, t.declaration)
            after = measures(dossier_from_dict(more), as_of, t.declaration)
            assert all(a >= b for a, b in zip(after, before, strict=True)), (before, after)
        for track in t.declaration.tracks:
            old = t.decide(base, as_of, track=track.id)
            new = t.decide(more, as_of, track=track.id)
            lost = _unmet(new) - _unmet(old)
            assert not lost, f"track {track.id}: adding {addition} unmet {sorted(lost)}"
        assert t.decide(base, as_of).eligible <= t.decide(more, as_of).eligible

    # -- 4. time --------------------------------------------------------------------------

    @staticmethod
    @given(data=st.data())
    def test_later_as_of_loses_only_by_validity_or_registration(
        certification: Subject, data: st.DataObject
    ) -> None:
        """A later as-of date unmeets a requirement only by expiry or registration, said so."""
        t = target(certification)
        scenario = data.draw(scenarios(t.declaration), label="scenario")
        later = scenario.as_of + data.draw(later_days(t.declaration, scenario), label="days") * DAY
        for track in t.declaration.tracks:
            old = t.decide(scenario.dossier, scenario.as_of, track=track.id)
            new = t.decide(scenario.dossier, later, track=track.id)
            for result in new.requirements:
                if result.met or result.id in _unmet(old):
                    continue
                reasons = {m.reason for m in result.missing}
                reasons |= {n.reason for n in result.not_counted}
                explained = "expired" in reasons
                if result.id == registration.ID:
                    explained = bool(reasons & {"registration_ended", "award_deadline_passed"})
                assert explained, f"{track.id}: {result.id} lost on {later}, unexplained: {result}"

    @staticmethod
    @given(data=st.data())
    def test_component_counts_exactly_while_valid(
        certification: Subject, data: st.DataObject
    ) -> None:
        """A unit or bloc counts from its date through date + validity inclusive."""
        t = target(certification)
        declaration = t.declaration
        kinds = [(track, "units") for track in declaration.tracks if track.mandatory]
        if declaration.blocs_required and declaration.blocs:
            kinds.append((declaration.tracks[0], "blocks"))
        if not kinds:
            pytest.skip(f"{certification.id} requires no unit nor bloc")
        track, key = data.draw(st.sampled_from(kinds), label="component")
        requirement = units.ID if key == "units" else blocks.ID
        codes = (
            [u.code for u in track.mandatory]
            if key == "units"
            else [b.code for b in declaration.blocs]
        )
        code = data.draw(st.sampled_from(codes), label="code")
        first = max(date(1996, 1, 1), declaration.components_from or date.min)
        acquired = data.draw(dates_between(first, date(2035, 12, 31)), label="date")
        item = {"code": code, "result": "passed", "date": iso(acquired)}
        dossier = {"format": "rulekit.dossier/1", "learner": {"id": "L0"}, key: [item]}

        def counts_on(day: date) -> bool:
            decision = t.decide(dossier, day, track=track.id)
            return any(getattr(e.item, "code", None) == code for e in _cited(decision, requirement))

        assert not counts_on(acquired - DAY), "counts before it was acquired"
        assert counts_on(acquired), "does not count on the day it was acquired"
        validity = declaration.validity_years
        if validity is None:
            assert counts_on(min(anniversary(acquired, 60), date(2199, 12, 31)))
            return
        expired = expiry(acquired, validity)
        first_on_expiry = first_counting_day(expired, validity)
        first_the_day_before = first_counting_day(expired - DAY, validity)
        assert first_on_expiry is not None
        assert first_the_day_before is not None
        assert first_the_day_before <= acquired < first_on_expiry, "strategies' anniversaries"
        assert counts_on(expired - DAY), f"expired before {expired}"
        assert not counts_on(expired), f"still counts on {expired}, after date + {validity} years"
        missing = t.decide(dossier, expired, track=track.id).requirement(requirement).missing
        assert any(m.code == code and m.reason == "expired" and m.date == expired for m in missing)

    # -- 5. months measure in decisions ---------------------------------------------------

    @staticmethod
    @given(data=st.data())
    def test_months_ignore_duplicates_order_and_splits(
        certification: Subject, data: st.DataObject
    ) -> None:
        """Duplicating, reordering or splitting a period into adjacent pieces changes nothing."""
        t = target(certification)
        declaration = t.declaration
        keys = [
            k
            for k, rule in (
                ("experience", declaration.experience),
                ("internships", declaration.internship),
            )
            if rule
        ]
        if not keys:
            pytest.skip(f"{certification.id} counts no months")
        scenario = data.draw(scenarios(declaration), label="scenario")
        key = data.draw(st.sampled_from(keys), label="list")
        items: list[JSON] = list(scenario.dossier.get(key, []))
        if not items:
            items = [{"start": iso(scenario.as_of - 400 * DAY), "end": None, "in_field": True}]
        index = data.draw(st.integers(0, len(items) - 1), label="index")
        chosen = items[index]
        how = data.draw(st.sampled_from(("duplicate", "reorder", "split")), label="how")
        changed = list(items)
        if how == "duplicate":
            changed.insert(data.draw(st.integers(0, len(items)), label="at"), dict(chosen))
        elif how == "reorder":
            changed = data.draw(st.permutations(items), label="order")
        else:
            if chosen.get("hours") is not None:
                return  # the attested hours belong to the whole internship, not to each piece
            start = date.fromisoformat(chosen["start"])
            end = date.fromisoformat(chosen["end"]) if chosen["end"] else start + 3000 * DAY
            if end == start:
                return
            cut = start + data.draw(st.integers(1, (end - start).days), label="cut") * DAY
            first, second = {**chosen, "end": iso(cut - DAY)}, {**chosen, "start": iso(cut)}
            if first in items or second in items:
                return  # a piece identical to another item would be that item's duplicate
            changed[index : index + 1] = [first, second]
        base = _with(scenario.dossier, key, items)
        other = _with(scenario.dossier, key, changed)
        check_union_bound(dossier_from_dict(other), scenario.as_of, declaration)
        assert measures(dossier_from_dict(base), scenario.as_of, declaration) == measures(
            dossier_from_dict(other), scenario.as_of, declaration
        )
        for track in declaration.tracks:
            old = t.decide(base, scenario.as_of, track=track.id).requirements
            new = t.decide(other, scenario.as_of, track=track.id).requirements
            pairs = [(a.met, a.measure) for a in old], [(b.met, b.measure) for b in new]
            assert pairs[0] == pairs[1], f"{how} changed track {track.id}"

    # -- 6. matching ----------------------------------------------------------------------

    @staticmethod
    @given(data=st.data())
    def test_matching_on_own_tracks(certification: Subject, data: st.DataObject) -> None:
        """On the certification's tracks, the engine fills as many slots as brute force."""
        t = target(certification)
        tracks = [track for track in t.declaration.tracks if track.mandatory or track.choices]
        if not tracks:
            pytest.skip(f"{certification.id} has no unit slots")
        track = data.draw(st.sampled_from(tracks), label="track")
        codes = sorted(track_codes(track))
        held = frozenset(data.draw(st.lists(st.sampled_from(codes), unique=True), label="held"))
        as_of = date(2024, 6, 30)
        units = [{"code": c, "result": "passed", "date": "2024-01-15"} for c in sorted(held)]
        dossier = {"format": "rulekit.dossier/1", "learner": {"id": "L0"}, "units": units}
        check_matching(t.decide(dossier, as_of, track=track.id), track, held)

    @staticmethod
    @given(data=st.data())
    def test_matching_on_generated_tracks(certification: Subject, data: st.DataObject) -> None:
        """On small tracks sharing units across slots, the engine matches like brute force."""
        t = target(certification)
        codes = sorted({c for track in t.declaration.tracks for c in track_codes(track)})
        generated = data.draw(
            small_certifications(codes if len(codes) >= 3 else GENERATED_UNIT_CODES), label="decl"
        )
        track = generated.tracks[0]
        compiled = compile_certification(
            generated,
            plugin="generated",
            plugin_version="0",
            rule_types={kind.kind: kind for kind in t.kinds},
        )
        pool = sorted(track_codes(track))
        held = frozenset(data.draw(st.lists(st.sampled_from(pool), unique=True), label="held"))
        failed = data.draw(st.lists(st.sampled_from(pool), unique=True), label="failed")
        units = [{"code": c, "result": "passed", "date": "2024-01-15"} for c in sorted(held)]
        units += [{"code": c, "result": "failed", "date": "2024-02-15"} for c in failed]
        dossier = dossier_from_dict(
            {"format": "rulekit.dossier/1", "learner": {"id": "L0"}, "units": units}
        )
        decision = evaluate_dossier(compiled, dossier, date(2024, 6, 30))
        check_matching(decision, track, held)

    # -- 7. round trip --------------------------------------------------------------------

    @staticmethod
    @given(data=st.data())
    def test_round_trip(certification: Subject, data: st.DataObject) -> None:
        """Dossier and decision survive JSON -> objects -> JSON unchanged."""
        t = target(certification)
        scenario = data.draw(scenarios(t.declaration), label="scenario")
        dossier = dossier_from_dict(scenario.dossier)
        text = json.dumps(dossier_to_dict(dossier))
        assert dossier_from_dict(json.loads(text)) == dossier
        decision = t.decide(dossier, scenario.as_of)
        published = decision_to_json(decision)
        back = decision_from_dict(json.loads(published))
        assert back == decision
        assert decision_to_json(back) == published

    # -- 8. robustness --------------------------------------------------------------------

    @staticmethod
    @given(data=st.data())
    def test_invalid_dossiers_are_refused_at_their_path(
        certification: Subject, data: st.DataObject
    ) -> None:
        """A broken dossier gives DossierError at its path (API) and exit 2 (CLI), nothing else."""
        t = target(certification)
        broken = data.draw(broken_dossiers(t.declaration), label="broken")
        with pytest.raises(DossierError) as raised:
            t.decide(broken.payload, broken.as_of)
        paths = {error.path for error in raised.value.errors}
        assert paths == {broken.path}, f"{broken.defect}: errors at {sorted(paths)}"
        assert all(error.message.strip() for error in raised.value.errors)
        if certification.registry is None:  # the command line sees only installed plugins
            check_command_line_refuses(t, broken)

    # -- 9. differential ------------------------------------------------------------------

    @pytest.fixture(scope="class")
    @classmethod
    def reference(cls) -> ReferenceEvaluator | None:
        """The subclass's reference evaluator, if it names one."""
        return cls.reference_evaluator

    @staticmethod
    @given(data=st.data())
    def test_reference_evaluator_agrees(
        certification: Subject, reference: ReferenceEvaluator | None, data: st.DataObject
    ) -> None:
        """A plain evaluator written from the specs gives the same outcome and unmet ids."""
        if reference is None:
            pytest.skip("invariant 9 turned off: InvariantSuite.reference_evaluator is None")
        t = target(certification)
        scenario = data.draw(scenarios(t.declaration), label="scenario")
        decision = t.decide(scenario.dossier, scenario.as_of)
        try:
            verdict: ReferenceVerdict = reference(
                t.declaration, scenario.dossier, scenario.as_of, None, kinds=t.kinds
            )
        except NotImplementedError as exc:
            pytest.skip(f"the reference evaluator does not model {certification.id}: {exc}")
        engine = (decision.outcome.value, decision.track, _unmet(decision))
        assert engine == (verdict.outcome, verdict.track, verdict.unmet)
        others = {o.track: frozenset(o.unmet) for o in decision.other_tracks}
        expected = {k: v for k, v in verdict.per_track.items() if k != verdict.track}
        assert others == expected
