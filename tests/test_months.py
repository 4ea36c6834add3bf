"""The months measure (specs/core.md, Months): full-time-equivalent days against D(k)."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from rulekit.calendar import add_months
from rulekit.months import (
    CYCLE_DAYS,
    GREGORIAN_CYCLE_YEARS,
    Span,
    date_to_date,
    days_proven,
    days_table_markdown,
    months_made,
    presence_days,
    presence_months,
    required_days,
    union_days,
)

FULL = Fraction(1)
HALF = Fraction(1, 2)
DAY = timedelta(days=1)
SPECS = Path(__file__).resolve().parent.parent / "specs" / "core.md"


def span(start: str, end: str, fraction: Fraction = FULL) -> Span:
    return Span(date.fromisoformat(start), date.fromisoformat(end), fraction)


def met(spans: list[Span], months: int) -> bool:
    return days_proven(spans) >= required_days(months)


# -- D(k) ---------------------------------------------------------------------------------


def test_required_days_of_the_rules() -> None:
    """D(3) = 89 (February to April), D(12) = 365, D(18) = 546."""
    assert (required_days(3), required_days(12), required_days(18)) == (89, 365, 546)
    assert required_days(0) == 0 and required_days(1) == 28 and required_days(36) == 1095


def test_required_days_by_summing_month_lengths() -> None:
    """D(k) recomputed plainly: the least sum of k consecutive month lengths over 400 years."""
    lengths = [
        calendar.monthrange(2000 + i // 12, i % 12 + 1)[1]
        for i in range(12 * (GREGORIAN_CYCLE_YEARS + 4))
    ]
    for k in (1, 2, 3, 6, 11, 12, 13, 18, 24, 36):
        fewest = min(sum(lengths[i : i + k]) for i in range(12 * GREGORIAN_CYCLE_YEARS))
        assert required_days(k) == fewest, k


def test_required_days_as_first_defined_by_adding_months() -> None:
    """The ordinal arithmetic gives what adding months to 1 January 2000 one by one gave.

    Every k up to 10 years, and the cycle's edges (4800 months is one Gregorian cycle).
    """

    def by_adding_months(months: int) -> int:
        cycle = 12 * GREGORIAN_CYCLE_YEARS
        starts = [add_months(date(2000, 1, 1), n) for n in range(cycle + months)]
        return min((starts[i + months] - starts[i]).days for i in range(cycle))

    assert (date(2400, 1, 1) - date(2000, 1, 1)).days == CYCLE_DAYS
    for k in (*range(121), 4799, 4800, 4801, 9601):
        assert required_days(k) == by_adding_months(k), k


def test_required_days_refuses_negative_months() -> None:
    """A negative number of months is a programming error, said so."""
    with pytest.raises(ValueError, match="at least 0"):
        required_days(-1)


@pytest.mark.parametrize(("months", "tolerance"), [(3, 3), (18, 4)])
def test_tolerance_against_date_to_date_every_start_day(months: int, tolerance: int) -> None:
    """Over every start day of 400 years, k months date to date hold D(k) to D(k) + tolerance.

    So they are never refused, and the tolerance is 3 days for 3 months, 4 for 18.
    """
    start = date(2000, 1, 1)
    counts = set()
    for offset in range(146_097):  # days in 400 Gregorian years
        day = start + offset * DAY
        counts.add((add_months(day, months) - day).days)
    assert min(counts) >= required_days(months)
    assert max(counts) - required_days(months) == tolerance
    found = date_to_date(months)
    assert (found.fewest, found.most, found.tolerance) == (min(counts), max(counts), tolerance)


def test_table_in_specs_is_the_computed_one() -> None:
    """specs/core.md prints the table of :func:`days_table_markdown`, not a typed copy.

    To regenerate it: ``python -c "from rulekit.months import days_table_markdown as t;
    print(t(), end='')"``.
    """
    text = SPECS.read_text(encoding="utf-8")
    found = re.search(r"<!-- days-table -->\n(.*?)<!-- /days-table -->", text, re.S)
    assert found is not None, "specs/core.md lost its days-table markers"
    assert found.group(1) == days_table_markdown()


# -- days proven ---------------------------------------------------------------------------


def test_worked_examples_of_the_specs() -> None:
    """The examples of specs/core.md, Months, one by one."""
    # 546 days: 18 months date to date, met.
    assert days_proven([span("2021-09-15", "2023-03-14")]) == 546
    assert met([span("2021-09-15", "2023-03-14")], 18)
    # 545 days: one day short, not met.
    assert days_proven([span("2021-09-15", "2023-03-13")]) == 545
    assert not met([span("2021-09-15", "2023-03-13")], 18)
    # 546 days: one day short of 18 months date to date, met within the tolerance.
    assert days_proven([span("2019-09-02", "2021-02-28")]) == 546
    assert met([span("2019-09-02", "2021-02-28")], 18)
    # 547 days: met.
    assert days_proven([span("2019-09-01", "2021-02-28")]) == 547
    assert met([span("2019-09-01", "2021-02-28")], 18)
    # 36 calendar months at half time: 1,096 days weigh 548.
    assert days_proven([span("2019-09-01", "2022-08-31", HALF)]) == 548
    assert met([span("2019-09-01", "2022-08-31", HALF)], 18)


def test_one_more_day_inside_a_half_time_job_never_lowers_the_measure() -> None:
    """2019-01-15..2022-01-14 at 0.5 is 548 days; another 0.5 on 2019-03-01 makes 548.5."""
    job = span("2019-01-15", "2022-01-14", HALF)
    extra = span("2019-03-01", "2019-03-01", HALF)
    assert days_proven([job]) == 548
    assert days_proven([job, extra]) == Fraction(1097, 2)
    assert met([job], 18) and met([job, extra], 18)


def test_internship_with_a_day_off_still_counts_its_days() -> None:
    """2020-11-20..2021-02-18 is 91 days; without 30 December, 90: both reach D(3) = 89."""
    whole = [span("2020-11-20", "2021-02-18")]
    day_off = [span("2020-11-20", "2020-12-29"), span("2020-12-31", "2021-02-18")]
    assert days_proven(whole) == 91 and days_proven(day_off) == 90
    assert met(whole, 3) and met(day_off, 3)


def test_overlap_counted_once() -> None:
    """Two overlapping full-time periods count the days of their union."""
    spans = [span("2020-01-01", "2020-06-30"), span("2020-04-01", "2020-12-31")]
    assert days_proven(spans) == 366 == union_days(spans)


def test_two_half_times_make_full_time_and_fractions_are_capped() -> None:
    """0.5 + 0.5 = 1 a day; 1 + 1 is capped at 1; 1 + 0.5 too."""
    year = ("2021-01-01", "2021-12-31")
    assert days_proven([span(*year, HALF), span(*year, HALF)]) == 365
    assert days_proven([span(*year), span(*year)]) == 365
    assert days_proven([span(*year), span(*year, HALF)]) == 365


def test_part_time_pro_rata_exactly() -> None:
    """365 days at 60 % weigh exactly 219; at 0.1 (a decimal), exactly 36.5."""
    assert days_proven([span("2021-01-01", "2021-12-31", Fraction(3, 5))]) == 219
    assert days_proven([span("2021-01-01", "2021-12-31", Fraction(1, 10))]) == Fraction(73, 2)


def test_splitting_and_reordering_change_nothing() -> None:
    """Adjacent pieces weigh what the whole does, in any order."""
    whole = [span("2019-09-02", "2021-02-28", HALF)]
    pieces = [
        span("2020-07-15", "2021-02-28", HALF),
        span("2019-09-02", "2019-12-31", HALF),
        span("2020-01-01", "2020-07-14", HALF),
    ]
    assert days_proven(pieces) == days_proven(whole) == 273


def test_nothing_counts_nothing() -> None:
    """No period, or a period of no time, proves no day."""
    assert days_proven([]) == 0
    assert days_proven([span("2021-01-02", "2021-01-01")]) == 0
    assert union_days([]) == 0


# -- months made, presence --------------------------------------------------------------


def test_months_made_reach_k_exactly_at_d_k_days() -> None:
    """Days make k × d / D(k) months of a k-month requirement: k exactly at D(k) days."""
    assert months_made(Fraction(546), 18) == 18
    assert months_made(Fraction(545), 18) < 18
    assert months_made(Fraction(89), 3) == 3
    assert months_made(Fraction(0), 0) == 0


def test_presence_hours_make_days_and_months() -> None:
    """Code de l'éducation D124-6: 7 hours a day, 22 days a month; 3 months = 462 hours."""
    assert presence_days(462) == 66 and presence_months(66) == 3
    assert presence_days(461) == 65 and presence_months(65) < 3
    assert presence_days(6) == 0 and presence_days(0) == 0
    # Three months at two days a week (13 weeks × 2 days × 7 hours) is far from 3 months.
    assert presence_months(presence_days(13 * 2 * 7)) == Fraction(26, 22)
