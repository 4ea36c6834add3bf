from collections.abc import Callable
from datetime import date

import pytest

from rulekit.calendar import add_months, add_years, parse_iso_date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2021, 1, 31), 1, date(2021, 2, 28)),
        (date(2020, 1, 31), 1, date(2020, 2, 29)),
        (date(2019, 9, 1), 18, date(2021, 3, 1)),
        (date(2021, 3, 31), -1, date(2021, 2, 28)),
        (date(2021, 12, 15), 1, date(2022, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    """Adding months lands on the same day, or the month's last day when it is shorter."""
    assert add_months(start, months) == expected


def test_add_years_from_29_february() -> None:
    """29 February plus N years is 28 February in a non-leap year, 29 in a leap one."""
    assert add_years(date(2012, 2, 29), 5) == date(2017, 2, 28)
    assert add_years(date(2012, 2, 29), 4) == date(2016, 2, 29)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2021-02-30", "not a real calendar date"),
        ("2021-13-01", "not a real calendar date"),
        ("20210101", "YYYY-MM-DD"),
        ("2021-W01-1", "YYYY-MM-DD"),
        (" 2021-01-01", "YYYY-MM-DD"),
        ("0999-01-01", "outside"),
    ],
)
def test_parse_iso_date_refuses(text: str, reason: str) -> None:
    """Only real dates spelled YYYY-MM-DD within 1900..2199 are accepted."""
    with pytest.raises(ValueError, match=reason):
        parse_iso_date(text)


def test_parse_iso_date_accepts_leap_day() -> None:
    """29 February of a leap year is a date."""
    assert parse_iso_date("2024-02-29") == date(2024, 2, 29)


def _by_monthrange(day: date, months: int) -> date:
    """add_months as first written, with the standard library's month lengths."""
    import calendar  # noqa: PLC0415

    year, month0 = divmod(day.year * 12 + (day.month - 1) + months, 12)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def _outcome(function: Callable[[date, int], date], day: date, months: int) -> object:
    try:
        return function(day, months)
    except ValueError as exc:  # out of the date range: the same error, said the same way
        return str(exc)


def test_add_months_as_with_calendar_monthrange() -> None:
    """Every day 28..31 of every month of 400 years, moved by -13..49 months; the ends."""
    for year in range(2000, 2400):
        for month in range(1, 13):
            for day_of_month in (1, 28, 29, 30, 31):
                try:
                    day = date(year, month, day_of_month)
                except ValueError:
                    continue
                for months in (*range(-13, 50), 1200, -1200):
                    assert add_months(day, months) == _by_monthrange(day, months), (day, months)
    for day, months in ((date.min, -1), (date.max, 1), (date(1, 3, 31), -1), (date.max, -1)):
        assert _outcome(add_months, day, months) == _outcome(_by_monthrange, day, months)
