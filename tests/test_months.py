from datetime import date
from fractions import Fraction

from rulekit.months import Span, calendar_span_months, months, stretch_months, stretches

FULL = Fraction(1)
HALF = Fraction(1, 2)


def test_issue_examples() -> None:
    """2019-09-01..2021-02-28 is exactly 18 months; starting a day later is not."""
    assert stretch_months(date(2019, 9, 1), date(2021, 2, 28)) == 18
    assert stretch_months(date(2019, 9, 2), date(2021, 2, 28)) < 18
    assert stretch_months(date(2019, 9, 2), date(2021, 2, 28)) == 17 + Fraction(27, 28)


def test_single_day_counts_a_fraction_of_its_month() -> None:
    """One day in a 31-day month is 1/31 month."""
    assert stretch_months(date(2021, 1, 5), date(2021, 1, 5)) == Fraction(1, 31)


def test_overlap_counted_once() -> None:
    """Two overlapping full-time periods count as their union."""
    spans = [
        Span(date(2020, 1, 1), date(2020, 6, 30), FULL),
        Span(date(2020, 4, 1), date(2020, 12, 31), FULL),
    ]
    assert months(spans) == 12


def test_two_half_times_make_full_time() -> None:
    """Two concurrent half-time jobs count as one full-time job."""
    spans = [
        Span(date(2020, 1, 1), date(2020, 12, 31), HALF),
        Span(date(2020, 1, 1), date(2020, 12, 31), HALF),
    ]
    assert months(spans) == 12


def test_fraction_capped_at_full_time() -> None:
    """Two full-time jobs at once still count one month per month."""
    spans = [
        Span(date(2020, 1, 1), date(2020, 12, 31), FULL),
        Span(date(2020, 1, 1), date(2020, 12, 31), FULL),
    ]
    assert months(spans) == 12


def test_part_time_pro_rata() -> None:
    """A year at 60 % counts 7.2 months."""
    assert months([Span(date(2020, 1, 1), date(2020, 12, 31), Fraction(3, 5))]) == Fraction(36, 5)


def test_splitting_changes_nothing() -> None:
    """Cutting a period into adjacent pieces gives the same measure."""
    whole = [Span(date(2019, 9, 2), date(2021, 2, 28), FULL)]
    pieces = [
        Span(date(2019, 9, 2), date(2019, 12, 31), FULL),
        Span(date(2020, 1, 1), date(2020, 7, 14), FULL),
        Span(date(2020, 7, 15), date(2021, 2, 28), FULL),
    ]
    assert months(pieces) == months(whole)
    assert len(stretches(pieces)) == 1


def test_gap_separates_stretches() -> None:
    """A gap of one day makes two stretches, each measured on its own."""
    spans = [
        Span(date(2020, 1, 1), date(2020, 1, 31), FULL),
        Span(date(2020, 2, 2), date(2020, 2, 29), FULL),
    ]
    assert len(stretches(spans)) == 2
    assert months(spans) == 1 + Fraction(28, 29)


def test_upper_bound_is_calendar_span() -> None:
    """The measure never exceeds the calendar span of the periods' union."""
    spans = [
        Span(date(2020, 1, 1), date(2020, 3, 31), HALF),
        Span(date(2020, 2, 1), date(2020, 5, 31), FULL),
    ]
    assert months(spans) <= calendar_span_months(spans)
