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
