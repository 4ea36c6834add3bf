"""Invariants 3 and 5 of the property suite on the months measure itself (specs/core.md, Months).

The measure is a sum of daily weights, so the invariants hold as first stated: more work
never lowers it, periods with no day in common add, it never exceeds the days of the
periods' union, and duplicating, reordering or splitting periods changes nothing. They are
checked on generated periods, and on the two counterexamples that broke the earlier,
anniversary-based measure.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from random import Random

from hypothesis import given
from hypothesis import strategies as st

import rulekit
from rulekit.months import Span, days_proven, union_days
from tests.helpers import dossier, job

DAY = timedelta(days=1)

fractions = st.one_of(
    st.sampled_from((Fraction(1), Fraction(1, 2), Fraction(1, 4), Fraction(3, 4))),
    st.integers(1, 1000).map(lambda n: Fraction(n, 1000)),
)


@st.composite
def spans(draw: st.DrawFn, fraction: st.SearchStrategy[Fraction] = fractions) -> Span:
    """A period of 1 to 901 days between 2015 and 2024, at some fraction of full time."""
    start = draw(st.dates(date(2015, 1, 1), date(2021, 12, 31)))
    return Span(start, start + draw(st.integers(0, 900)) * DAY, draw(fraction))


span_lists = st.lists(spans(), min_size=1, max_size=5)


def by_day(items: list[Span]) -> Fraction:
    """The days proven, counted plainly day by day (the definition, for comparison)."""
    weight: dict[date, Fraction] = {}
    for item in items:
        day = item.start
        while day <= item.end:
            weight[day] = weight.get(day, Fraction(0)) + item.fraction
            day += DAY
    return sum((min(w, Fraction(1)) for w in weight.values()), start=Fraction(0))


@given(span_lists)
def test_the_sum_is_the_day_by_day_definition(items: list[Span]) -> None:
    """The sweep over boundaries gives exactly the day-by-day sum of capped weights."""
    assert days_proven(items) == by_day(items)


@given(span_lists, st.randoms(use_true_random=False))
def test_reordering_changes_nothing(items: list[Span], random: Random) -> None:
    """The order periods are listed in does not change the days they prove."""
    shuffled = list(items)
    random.shuffle(shuffled)
    assert days_proven(shuffled) == days_proven(items)


@given(span_lists, st.data())
def test_splitting_into_adjacent_pieces_changes_nothing(
    items: list[Span], data: st.DataObject
) -> None:
    """Cutting a period into two adjacent pieces of the same fraction changes nothing."""
    index = data.draw(st.integers(0, len(items) - 1))
    whole = items[index]
    if whole.end == whole.start:
        return
    cut = whole.start + data.draw(st.integers(1, (whole.end - whole.start).days)) * DAY
    pieces = [Span(whole.start, cut - DAY, whole.fraction), Span(cut, whole.end, whole.fraction)]
    assert days_proven([*items[:index], *pieces, *items[index + 1 :]]) == days_proven(items)


@given(span_lists, spans())
def test_more_work_never_lowers_the_measure(items: list[Span], more: Span) -> None:
    """Invariant 3: adding a period, whatever its fraction and place, never lowers the days."""
    assert days_proven([*items, more]) >= days_proven(items)


@given(span_lists, st.data())
def test_a_higher_fraction_never_lowers_the_measure(items: list[Span], data: st.DataObject) -> None:
    """Invariant 3: raising one period's fraction never lowers the days."""
    index = data.draw(st.integers(0, len(items) - 1))
    old = items[index]
    raised = Span(old.start, old.end, data.draw(st.fractions(old.fraction, 1)))
    assert days_proven([*items[:index], raised, *items[index + 1 :]]) >= days_proven(items)


@given(span_lists)
def test_never_more_than_the_days_of_the_union(items: list[Span]) -> None:
    """Invariant 5: never more than the days of the periods' union; equal at full time."""
    assert days_proven(items) <= union_days(items)
    full = [Span(s.start, s.end, Fraction(1)) for s in items]
    assert days_proven(full) == union_days(items)


@given(span_lists, span_lists, st.integers(1, 400))
def test_disjoint_periods_add_up(left: list[Span], right: list[Span], gap: int) -> None:
    """Invariant 5: periods with no day in common add up, even when they touch."""
    shift = max(s.end for s in left) + gap * DAY - min(s.start for s in right)
    moved = [Span(s.start + shift, s.end + shift, s.fraction) for s in right]
    assert days_proven([*left, *moved]) == days_proven(left) + days_proven(moved)


@given(span_lists, st.integers(0, 60), st.integers(0, 60))
def test_fractions_are_capped_at_full_time(items: list[Span], before: int, after: int) -> None:
    """Under a full-time period covering them all, other periods add nothing."""
    first = min(s.start for s in items) - before * DAY
    last = max(s.end for s in items) + after * DAY
    assert days_proven([*items, Span(first, last, Fraction(1))]) == (last - first).days + 1


def test_never_more_than_the_union_on_the_old_counterexample() -> None:
    """2 days full time then 29 at 99 %: 30.71 days, under the 31 days of the union."""
    items = [
        Span(date(2019, 1, 30), date(2019, 1, 31), Fraction(1)),
        Span(date(2019, 2, 1), date(2019, 3, 1), Fraction(99, 100)),
    ]
    assert union_days(items) == 31
    assert days_proven(items) == 2 + Fraction(29 * 99, 100)


def test_one_more_day_of_work_never_loses_eligibility() -> None:
    """36 months half time (548 days), plus one full-time day inside: still met (548.5)."""
    half_time = job("2018-03-01", "2021-02-28", in_field=True, fte=0.5)
    one_day = job("2018-03-17", "2018-03-17", in_field=True, fte=1.0)
    before = dossier(experience=[half_time])
    after = dossier(experience=[half_time, one_day])
    as_of = date(2021, 3, 1)

    def experience(value: dict[str, object]) -> tuple[bool, float | None]:
        decision = rulekit.evaluate(
            value, certification="casp_36625", track="nouvelle-aquitaine", as_of=as_of
        )
        result = decision.requirement("experience")
        return result.met, result.measure.counted_days if result.measure else None

    assert experience(before) == (True, 548.0), "36 months at half time: 1,096 days × 1/2"
    assert experience(after) == (True, 548.5)
