"""Calendar arithmetic used by every rule: month and year offsets, strict ISO dates.

Adding months or years clamps to the last day of the target month, so 31 January + 1
month is 28 (or 29) February and 29 February + 1 year is 28 February. The rules in specs/
(validity anniversaries, the months measure) are written against exactly this arithmetic.
"""

from __future__ import annotations

import re
from datetime import date

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
"""Exactly ``YYYY-MM-DD`` in ASCII digits (``re.ASCII``: no other script's digits)."""


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
"""Days of each month of a common year; February has 29 in a leap year."""


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by ``months`` calendar months, clamped to the month's last day.

    The month's length is the Gregorian rule's (``calendar.monthrange``'s, without
    importing :mod:`calendar`, which imports :mod:`locale`, at every start-up).
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = _MONTH_DAYS[month0]
    if month0 == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return date(year, month0 + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """Return ``day`` moved by ``years`` years; 29 February lands on 28 February if need be."""
    return add_months(day, 12 * years)


def parse_iso_date(text: str) -> date:
    """Parse exactly ``YYYY-MM-DD``.

    The text is checked against the strict ASCII pattern first, then parsed by
    :meth:`date.fromisoformat` (in C); on its own that would accept week dates and compact
    forms, which are refused: a dossier date has one spelling, so that its digest has one
    value.

    :raises ValueError: with a reason fit for a learner-facing error message.
    """
    if _ISO_DATE.match(text) is None:
        raise ValueError(f"{text!r} is not a date of the form YYYY-MM-DD")
    year = int(text[:4])
    if year < 1900 or year > 2199:
        raise ValueError(f"{text!r} has a year outside 1900..2199")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real calendar date") from None
