"""Valid dossiers generated from a certification's declaration alone (Hypothesis strategies).

A :class:`Scenario` is a JSON dossier (``rulekit.dossier/1``) and the as-of date to evaluate
it on. Complete dossiers meet every requirement of one track, near-complete ones miss
exactly one, arbitrary ones are anything valid made of the declaration's vocabulary. The
learners, employers, hosts, juries and foreign codes they hold are fictitious.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from attrs import field, frozen
from hypothesis import strategies as st

from rulekit.calendar import add_months, add_years
from rulekit.declaration import Certification, Registration, Track
from rulekit.dossier import DOSSIER_FORMAT
from rulekit.kinds import CORE_KINDS
from rulekit.kinds.base import Kind
from rulekit.months import required_days
from rulekit.testing.dates import (
    DAY,
    as_of_dates,
    dates_between,
    day_offsets,
    first_counting_day,
    iso,
    registration_edges,
)

JSON = dict[str, Any]
T = TypeVar("T")

FOREIGN_UNIT_CODES = ("ZZX001", "ZZX002", "ZZX003")
"""Fictitious unit codes no certification asks for: noise a dossier may hold."""
FOREIGN_BLOC_CODE = "RNCP0BC01"
"""A fictitious bloc code (there is no RNCP fiche 0)."""
LIST_KEYS = ("units", "blocks", "experience", "internships", "waivers")
"""The dossier's lists, in format order."""
VIAS = ("exam", "exemption", "vae", "ves")
COMPONENT_DEFECTS = ("absent", "failed", "in_progress", "after_as_of")
"""Ways a unit or bloc fails to count (plus ``expired`` where components expire)."""
JURY = "Jury national fictif"


@frozen(eq=False)
class Scenario:
    """A valid dossier (JSON ``rulekit.dossier/1``) and the date to evaluate it on.

    ``kind`` is ``complete``, ``near_complete`` or ``arbitrary``; ``track`` the track the
    dossier was built for (``None`` for arbitrary ones that name none); ``defect`` says what
    a near-complete dossier lacks; ``expect_unmet`` is what evaluating ``track`` must leave
    unmet (empty for a complete dossier), or ``None`` when the strategy cannot know
    (arbitrary dossiers; a custom requirement whose rule the core does not know).
    """

    certification: Certification
    dossier: JSON
    as_of: date
    kind: str
    track: str | None = None
    defect: str | None = None
    expect_unmet: frozenset[str] | None = None


@frozen(eq=False)
class Addition:
    """A piece of evidence to add to a dossier: an item for its list ``key``."""

    key: str
    item: JSON = field(factory=dict)


# ---------------------------------------------------------------------------------------
# What a declaration asks for
# ---------------------------------------------------------------------------------------


def requirement_ids(
    certification: Certification, track: Track, kinds: Sequence[Kind] = CORE_KINDS
) -> list[str]:
    """Return the requirement ids of one track of ``certification``, in decision order."""
    ids = [rule.id for kind in kinds for rule in kind.requirements(certification, track)]
    return ids + [custom.id for custom in certification.custom]


def all_requirement_ids(certification: Certification) -> list[str]:
    """Return the requirement ids of every track of ``certification``, sorted."""
    return sorted(
        {rid for track in certification.tracks for rid in requirement_ids(certification, track)}
    )


def accepted_ways(certification: Certification) -> dict[str, tuple[str, ...]]:
    """The ways (``via``) each unit code that restricts them may be acquired."""
    ways: dict[str, tuple[str, ...]] = {}
    for track in certification.tracks:
        for unit in (*track.mandatory, *(u for g in track.choices for u in g.units)):
            if unit.acquired_by:
                ways.setdefault(unit.code, unit.acquired_by)
    return ways


def waivable_ids(certification: Certification) -> list[str]:
    """Return the requirement ids of ``certification`` a waiver may meet, sorted."""
    return [rid for rid in all_requirement_ids(certification) if rid in certification.waivable]


def attesting_codes(certification: Certification) -> frozenset[str]:
    """Unit codes whose passing attests the experience or the internship."""
    codes: set[str] = set()
    if certification.experience is not None:
        codes.update(certification.experience.attested_by)
    if certification.internship is not None:
        codes.update(certification.internship.attested_by)
    return frozenset(codes)


def track_codes(track: Track) -> frozenset[str]:
    """Every unit code a track's slots accept."""
    codes = {unit.code for unit in track.mandatory}
    for group in track.choices:
        codes.update(group.codes)
    return frozenset(codes)


def unit_vocabulary(certification: Certification) -> list[str]:
    """Every unit code the declaration names, and foreign ones, sorted."""
    codes = set(attesting_codes(certification)) | set(FOREIGN_UNIT_CODES)
    for track in certification.tracks:
        codes |= track_codes(track)
    return sorted(codes)


def bloc_vocabulary(certification: Certification) -> list[str]:
    """Every bloc code the declaration names, and a foreign one, sorted."""
    return sorted({bloc.code for bloc in certification.blocs} | {FOREIGN_BLOC_CODE})


def defects(
    certification: Certification, track: Track, kinds: Sequence[Kind] = CORE_KINDS
) -> list[tuple[str, str]]:
    """Every ``(requirement id, defect)`` a near-complete dossier of ``track`` may have.

    Each kind names its own defects; any requirement may also be waived too late.
    """
    found = [pair for kind in kinds for pair in kind.defects(certification, track)]
    never = {
        rule.id
        for kind in kinds
        if kind.never_unmet(certification)
        for rule in kind.requirements(certification, track)
    }
    found += [
        (rid, "late_waiver")
        for rid in requirement_ids(certification, track, kinds)
        if rid not in never and rid in certification.waivable
    ]
    return found


# ---------------------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------------------


def learners() -> st.SearchStrategy[JSON]:
    """Fictitious learners: an id, sometimes a name."""
    ids = st.integers(1, 99_999).map(lambda n: f"L{n:05d}")
    return st.one_of(
        st.builds(lambda i: {"id": i}, ids),
        st.builds(lambda i: {"id": i, "name": "Apprenant fictif"}, ids),
    )


def fte_values() -> st.SearchStrategy[float]:
    """Working fractions in (0, 1]: the usual ones, hundredths, and a tiny one."""
    return st.one_of(
        st.sampled_from((1.0, 0.5, 0.8, 0.25, 0.6, 0.001)),
        st.integers(1, 100).map(lambda n: n / 100),
    )


def hours_values() -> st.SearchStrategy[int]:
    """Hours of presence of an internship: around 3 months' 462 hours (art. D124-6), any."""
    return st.one_of(st.sampled_from((0, 6, 7, 461, 462, 469)), st.integers(0, 2000))


def waiver_item(requirement: str, day: date) -> JSON:
    """A waiver of ``requirement`` granted on ``day`` by a fictitious jury."""
    return {
        "requirement": requirement,
        "granted_by": JURY,
        "date": iso(day),
        "reason": "Dérogation fictive (données de test)",
    }


class DossierBuilder:
    """Collects the items of one dossier built for one track and one as-of date."""

    def __init__(
        self, draw: st.DrawFn, certification: Certification, track: Track, as_of: date
    ) -> None:
        self.draw = draw
        self.certification = certification
        self.track = track
        self.as_of = as_of
        self.lists: dict[str, list[JSON]] = {key: [] for key in LIST_KEYS}

    # -- components (units, blocs) -------------------------------------------------------

    def counting_day(self) -> date:
        """A date on which an acquired component still counts on the as-of date."""
        first = first_counting_day(self.as_of, self.certification.validity_years)
        low = first if first is not None else add_years(self.as_of, -12)
        since = self.certification.components_from
        if since is not None and since > low:
            low = min(since, self.as_of)  # components acquired before that day never count
        return self.draw(dates_between(low, self.as_of))

    def expired_day(self) -> date:
        """A date on which an acquired component has expired by the as-of date."""
        first = first_counting_day(self.as_of, self.certification.validity_years)
        assert first is not None, "only certifications whose components expire"
        return first - self.draw(day_offsets(1, 400)) * DAY

    def unit(self, code: str, result: str, day: date | None, ways: tuple[str, ...] = VIAS) -> JSON:
        """A unit result, its optional fields drawn (``via`` among ``ways``)."""
        item: JSON = {"code": code, "result": result}
        if day is not None:
            item["date"] = iso(day)
        via = self.draw(st.sampled_from(ways))
        if via != "exam" or self.draw(st.booleans()):
            item["via"] = via
        if via == "exam" and result != "in_progress" and self.draw(st.booleans()):
            tenths = st.integers(100, 200) if result == "passed" else st.integers(0, 99)
            item["grade"] = self.draw(tenths) / 10
        if self.draw(st.integers(0, 3)) == 0:
            item["ects"] = self.draw(st.sampled_from((1, 4, 6, 8, 16)))
        if self.draw(st.integers(0, 5)) == 0:
            item["reference"] = "PV de jury fictif"
        return item

    def add(self, key: str, code: str, result: str, day: date | None) -> None:
        """Add a unit or bloc result."""
        if key == "units":
            # A unit acquired another way than its declaration accepts would not count.
            ways = accepted_ways(self.certification).get(code, VIAS)
            self.lists[key].append(self.unit(code, result, day, ways))
        else:
            self.lists[key].append({"code": code, "result": result, "date": iso(day or self.as_of)})

    def component(self, key: str, code: str, defect: str | None = None) -> None:
        """Add a unit or bloc that counts (maybe after a failed attempt), or with ``defect``."""
        if defect is None:
            day = self.counting_day()
            if self.draw(st.integers(0, 4)) == 0:
                self.add(key, code, "failed", day - self.draw(day_offsets(0, 300)) * DAY)
            self.add(key, code, "passed", day)
        elif defect == "failed":
            self.add(key, code, "failed", self.counting_day())
        elif defect == "in_progress":
            undated = self.draw(st.booleans())
            self.add(key, code, "in_progress", None if undated else self.counting_day())
        elif defect == "after_as_of":
            self.add(key, code, "passed", self.as_of + self.draw(day_offsets(1, 60)) * DAY)
        elif defect == "expired":
            self.add(key, code, "passed", self.expired_day())

    # -- periods --------------------------------------------------------------------------

    def stretch(self, months: int, *, short: bool, scale: int = 1) -> tuple[date, date]:
        """A stretch of ``months × scale`` months date to date or a little more.

        If ``short``, one day less than ``scale`` times the D(months) days that meet
        ``months`` (specs/core.md, Months), so that at ``1/scale`` time it falls short.

        It ends on or before the as-of date; ``months`` is at least 1 when ``short``.
        """
        gap = self.draw(day_offsets(0, 400))
        extra = 0 if short else self.draw(day_offsets(0, 120))
        start = add_months(self.as_of - (gap + extra - 1) * DAY, -months * scale)
        end = add_months(start, months * scale) + (extra - 1) * DAY
        if short:
            return start, start + (scale * required_days(months) - 2) * DAY
        return start, end

    def periods(self, key: str, months: int, *, short: bool, in_field: bool) -> None:
        """Add periods (experience or internships) whose union measures ``months`` months.

        Or just under (``short``). Shapes: one period, adjacent pieces, overlapping periods,
        two half-time jobs, a part-time job over a longer stretch, an ongoing period.
        """
        shapes = ["single", "split", "overlap"] + ([] if short else ["ongoing"])
        if key == "experience":
            shapes += ["halves", "part_time"]
        shape = self.draw(st.sampled_from(shapes))
        scale = self.draw(st.sampled_from((2, 4))) if shape == "part_time" else 1
        start, end = self.stretch(months, short=short, scale=scale)

        def period(first: date, last: date | None, fte: float = 1.0, who: str = "A") -> JSON:
            item: JSON = {"start": iso(first), "end": iso(last) if last else None}
            item["in_field"] = in_field
            if key == "experience":
                if fte != 1.0 or self.draw(st.booleans()):
                    item["fte"] = fte
                item["employer"] = f"Employeur fictif {who}"
            else:
                item["host"] = f"Structure d'accueil fictive {who}"
            return item

        length = (end - start).days
        if shape == "split" and length >= 1:
            cut = start + self.draw(st.integers(1, length)) * DAY
            pieces = [period(start, cut - DAY), period(cut, end)]
        elif shape == "overlap" and length >= 1:
            inner = start + self.draw(st.integers(0, length)) * DAY
            inner_end = end - self.draw(st.integers(0, (end - inner).days)) * DAY
            pieces = [period(start, end), period(inner, inner_end, who="B")]
        elif shape == "halves":
            pieces = [period(start, end, 0.5, "A"), period(start, end, 0.5, "B")]
        elif shape == "part_time":
            pieces = [period(start, end, 1 / scale)]
        else:
            pieces = [period(start, None if shape == "ongoing" else end)]
        self.lists[key].extend(pieces)

    # -- waivers and noise ----------------------------------------------------------------

    def waiver(self, requirement: str, *, late: bool = False) -> None:
        """Add a waiver of ``requirement``, granted by the as-of date unless ``late``."""
        if late:
            day = self.as_of + self.draw(day_offsets(1, 30)) * DAY
        else:
            day = self.as_of - self.draw(day_offsets(0, 900)) * DAY
        self.lists["waivers"].append(waiver_item(requirement, day))

    def noise(self, avoid: frozenset[str]) -> None:
        """Add items that change no requirement of the track.

        Foreign units, units of other tracks (none in ``avoid``), a foreign bloc, periods
        starting after the as-of date.
        """
        draw = self.draw
        for _ in range(draw(st.integers(0, 2))):
            code = draw(st.sampled_from(FOREIGN_UNIT_CODES))
            day = draw(dates_between(add_years(self.as_of, -5), add_years(self.as_of, 1)))
            result = draw(st.sampled_from(("passed", "failed")))
            self.lists["units"].append(self.unit(code, result, day))
        others = sorted(
            {code for other in self.certification.tracks for code in track_codes(other)} - avoid
        )
        if len(others) > 0 and draw(st.booleans()):
            code = draw(st.sampled_from(others))
            self.lists["units"].append(self.unit(code, "passed", self.counting_day()))
        if draw(st.integers(0, 3)) == 0:
            self.add("blocks", FOREIGN_BLOC_CODE, "passed", self.counting_day())
        if draw(st.integers(0, 3)) == 0:
            start = self.as_of + draw(day_offsets(1, 200)) * DAY
            in_field = draw(st.booleans())
            self.lists["experience"].append(
                {"start": iso(start), "end": None, "in_field": in_field}
            )

    def dossier(self, *, enrolled_on: date | None, named_track: bool) -> JSON:
        """Return the dossier, each list in a drawn order."""
        value: JSON = {"format": DOSSIER_FORMAT, "learner": self.draw(learners())}
        value["certification"] = self.certification.id
        if named_track:
            value["track"] = self.track.id
        if enrolled_on is not None:
            value["enrolled_on"] = iso(enrolled_on)
        for key in LIST_KEYS:
            items = self.lists[key]
            if len(items) > 1:
                value[key] = self.draw(st.permutations(items))
            elif len(items) == 1 or self.draw(st.booleans()):
                value[key] = list(items)
        return value


# ---------------------------------------------------------------------------------------
# Complete and near-complete dossiers
# ---------------------------------------------------------------------------------------


class ScenarioPlan:
    """One dossier being generated: its track, what is broken, what is waived.

    Kinds read it and add their items through :attr:`builder` (see
    :meth:`rulekit.kinds.base.Kind.scenario`); ``in_field_months``, ``attested``,
    ``avoid_units`` and ``avoid_in_field`` carry what one kind's choice means for another
    (experience long enough in the field makes an internship needless).
    """

    def __init__(
        self,
        draw: st.DrawFn,
        certification: Certification,
        track: Track,
        near: bool,
        kinds: Sequence[Kind],
    ) -> None:
        self.draw = draw
        self.certification = certification
        self.track = track
        self.kinds = kinds
        self.target, self.kind = ("", "")
        if near:
            self.target, self.kind = draw(st.sampled_from(defects(certification, track, kinds)))
        generated = {kind.kind for kind in kinds if kind.builds_scenarios}
        customs = {c.id for c in certification.custom if c.kind not in generated}
        self.waived = {
            rid
            for rid in requirement_ids(certification, track, kinds)
            if rid != self.target
            and rid in certification.waivable
            and (rid in customs or draw(st.integers(0, 7)) == 0)
        }
        self.unknowable = customs - self.waived
        """Custom requirements no kind builds evidence for and no waiver may meet."""
        self.avoid_units: set[str] = set()
        """Units no kind may use to attest a period (they would meet the target)."""
        self.avoid_in_field = False
        """Whether experience must be out of the field (to keep an internship required)."""
        for kind in kinds:
            kind.prepare(self)
        self.omitted = self.waived | ({self.target} if self.kind == "late_waiver" else set())
        self.in_field_months = 0
        """Months of in-field experience the dossier proves so far."""
        self.attested: set[str] = set()
        """Attesting units added so far."""
        self.expected: set[str] = {self.target} if near else set()
        """What evaluating the track must leave unmet."""
        self.builder: DossierBuilder

    def draw_from(self, options: Sequence[T]) -> T:
        """Draw one of ``options``."""
        return self.draw(st.sampled_from(options))

    def defect_of(self, requirement: str, codes: list[str]) -> dict[str, str]:
        """``{code: defect}`` for the one code of ``requirement`` the defect hits, if any."""
        if self.target != requirement or self.kind == "late_waiver" or not codes:
            return {}
        return {self.draw(st.sampled_from(codes)): self.kind}

    def dates(self) -> tuple[date, date | None]:
        """The as-of and enrolment dates: the first kind that constrains them decides."""
        for kind in self.kinds:
            chosen = kind.scenario_dates(self)
            if chosen is not None:
                return chosen
        as_of = self.draw(as_of_dates(self.certification))
        return as_of, self.draw(st.none() | dates_between(add_years(as_of, -4), as_of))

    def registration_dates(
        self, window: Registration, case: str | None
    ) -> tuple[date, date | None]:
        """The as-of and enrolment dates for a window: registered, transitional, or ``case``.

        ``case``: ``not_yet_registered``, ``registration_ended``, ``award_deadline_passed``
        or ``late_waiver`` (a date after the window, so that only the waiver could help).
        """
        draw = self.draw
        start, end, deadline = (
            window.registered_from,
            window.registered_until,
            window.award_deadline,
        )
        inside = dates_between(start, end)
        if case == "not_yet_registered":
            as_of = start - draw(day_offsets(1, 1000)) * DAY
            return as_of, draw(st.none() | dates_between(add_years(as_of, -3), as_of))
        if case in ("registration_ended", "late_waiver"):
            as_of = end + draw(day_offsets(1, 1000)) * DAY
            before = dates_between(add_years(start, -3), start - DAY)
            return as_of, draw(st.none() | before | dates_between(end + DAY, as_of))
        if case == "award_deadline_passed":
            assert deadline is not None
            return deadline + draw(day_offsets(1, 1000)) * DAY, draw(inside)
        if (deadline is None or deadline > end) and draw(st.booleans()):
            last = deadline if deadline is not None else add_years(end, 5)
            return draw(dates_between(end + DAY, last)), draw(inside)
        as_of = draw(inside)
        return as_of, draw(st.none() | dates_between(add_years(start, -3), as_of))


@st.composite
def _built_scenario(
    draw: st.DrawFn, certification: Certification, near: bool, track_id: str | None = None
) -> Scenario:
    """A complete dossier of one track, or (``near``) one with exactly one defect."""
    kinds = CORE_KINDS
    tracks = [t for t in certification.tracks if track_id in (None, t.id)]
    if near:
        tracks = [t for t in tracks if defects(certification, t, kinds)]
    track = draw(st.sampled_from(tracks))
    plan = ScenarioPlan(draw, certification, track, near, kinds)
    as_of, enrolled_on = plan.dates()
    builder = plan.builder = DossierBuilder(draw, certification, track, as_of)
    for rid in sorted(plan.waived):
        for _ in range(draw(st.integers(1, 2))):
            builder.waiver(rid)
    if plan.kind == "late_waiver":
        builder.waiver(plan.target, late=True)
    for kind in kinds:
        kind.scenario(plan)
    builder.noise(track_codes(track) | attesting_codes(certification))
    dossier = builder.dossier(enrolled_on=enrolled_on, named_track=draw(st.booleans()))
    expect: frozenset[str] | None = frozenset(plan.expected)
    if plan.target in {custom.id for custom in certification.custom} or plan.unknowable:
        expect = None
    return Scenario(
        certification=certification,
        dossier=dossier,
        as_of=as_of,
        kind="near_complete" if near else "complete",
        track=track.id,
        defect=f"{plan.target}: {plan.kind}" if near else None,
        expect_unmet=expect,
    )


def complete_scenarios(
    certification: Certification, track: str | None = None
) -> st.SearchStrategy[Scenario]:
    """Dossiers meeting every requirement of a track (``track`` or any), often only just."""
    return _built_scenario(certification, False, track)


def can_be_near_complete(certification: Certification, track: str | None = None) -> bool:
    """Whether some track (``track``, or any) has a requirement a defect can leave unmet."""
    return any(defects(certification, t) for t in certification.tracks if track in (None, t.id))


def near_complete_scenarios(
    certification: Certification, track: str | None = None
) -> st.SearchStrategy[Scenario]:
    """Dossiers of a track with exactly one requirement unmet, by one boundary defect.

    :raises ValueError: when no track has a requirement to break (a declaration with no
        requirement at all, such as a fresh ``rulekit plugin new`` skeleton).
    """
    if not can_be_near_complete(certification, track):
        raise ValueError(f"{certification.id}: no requirement that a dossier could miss")
    return _built_scenario(certification, True, track)


# ---------------------------------------------------------------------------------------
# Arbitrary dossiers
# ---------------------------------------------------------------------------------------


def _arbitrary_periods(draw: st.DrawFn, builder: DossierBuilder, key: str) -> None:
    near = st.integers(-4500, 120).map(lambda n: builder.as_of + n * DAY)
    for _ in range(draw(st.integers(0, 4))):
        start = draw(near)
        length = draw(st.none() | st.integers(0, 1500))
        end = iso(start + length * DAY) if length is not None else None
        item: JSON = {"start": iso(start), "end": end, "in_field": draw(st.booleans())}
        if key == "experience" and draw(st.booleans()):
            item["fte"] = draw(fte_values())
        if key == "internships" and draw(st.integers(0, 3)) == 0:
            item["hours"] = draw(hours_values())
        builder.lists[key].append(item)


@st.composite
def arbitrary_scenarios(draw: st.DrawFn, certification: Certification) -> Scenario:
    """Any valid dossier made of the declaration's vocabulary, and an as-of date near it."""
    as_of = draw(as_of_dates(certification))
    track = draw(st.sampled_from(certification.tracks))
    builder = DossierBuilder(draw, certification, track, as_of)
    near = st.integers(-3000, 120).map(lambda n: as_of + n * DAY)
    results = st.sampled_from(("passed", "passed", "failed", "in_progress"))
    units = unit_vocabulary(certification)
    for _ in range(draw(st.integers(0, 18))):
        result = draw(results)
        day = None if result == "in_progress" and draw(st.booleans()) else draw(near)
        builder.lists["units"].append(builder.unit(draw(st.sampled_from(units)), result, day))
    blocs = bloc_vocabulary(certification)
    for _ in range(draw(st.integers(0, 6))):
        builder.add("blocks", draw(st.sampled_from(blocs)), draw(results), draw(near))
    _arbitrary_periods(draw, builder, "experience")
    _arbitrary_periods(draw, builder, "internships")
    ids = waivable_ids(certification)
    for _ in range(draw(st.integers(0, 2)) if ids else 0):
        builder.waiver(draw(st.sampled_from(ids)), late=draw(st.booleans()))
    enrolled = draw(
        st.none() | st.sampled_from(registration_edges(certification) or [as_of]) | near
    )
    named = draw(st.integers(0, 3)) == 0
    return Scenario(
        certification=certification,
        dossier=builder.dossier(enrolled_on=enrolled, named_track=named),
        as_of=as_of,
        kind="arbitrary",
        track=track.id if named else None,
    )


def scenarios(certification: Certification) -> st.SearchStrategy[Scenario]:
    """Complete, near-complete or arbitrary dossiers of ``certification``."""
    kinds = [complete_scenarios(certification), arbitrary_scenarios(certification)]
    if can_be_near_complete(certification):
        kinds.insert(1, near_complete_scenarios(certification))
    return st.one_of(kinds)


# ---------------------------------------------------------------------------------------
# Evidence to add (monotonicity)
# ---------------------------------------------------------------------------------------


@st.composite
def additions(draw: st.DrawFn, certification: Certification, as_of: date) -> Addition:
    """One piece of favourable evidence: a passed unit or bloc, a period, or a waiver."""
    near = dates_between(add_years(as_of, -8), as_of + 30 * DAY)
    kinds = ["units", "experience", "internships"]
    if waivable_ids(certification):
        kinds.append("waivers")
    if certification.blocs:
        kinds.append("blocks")
    key = draw(st.sampled_from(kinds))
    item: JSON
    if key == "units":
        code = draw(st.sampled_from(unit_vocabulary(certification)))
        item = {"code": code, "result": "passed", "date": iso(draw(near))}
        item["via"] = draw(st.sampled_from(VIAS))
    elif key == "blocks":
        code = draw(st.sampled_from(bloc_vocabulary(certification)))
        item = {"code": code, "result": "passed", "date": iso(draw(near))}
    elif key == "waivers":
        requirement = draw(st.sampled_from(waivable_ids(certification)))
        item = waiver_item(requirement, draw(near))
    else:
        start = draw(near) - draw(day_offsets(0, 900)) * DAY
        end = draw(st.none() | st.integers(0, 900).map(lambda n: iso(start + n * DAY)))
        item = {"start": iso(start), "end": end, "in_field": draw(st.booleans())}
        if key == "experience":
            item["fte"] = draw(fte_values())
        elif draw(st.integers(0, 3)) == 0:
            item["hours"] = draw(hours_values())
    return Addition(key, item)
