"""Dates for generated dossiers: boundary-leaning strategies and the anniversaries they aim at.

Rules change on boundaries: the last day a component still counts, the last day of a
registration window, a period exactly N months long, 29 February. These strategies draw
such dates often, and ordinary dates the rest of the time.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta

from hypothesis import strategies as st

from rulekit.calendar import add_years
from rulekit.declaration import Certification

DAY = timedelta(days=1)
EARLIEST_AS_OF = date(1995, 1, 1)
LATEST_AS_OF = date(2040, 12, 31)


def iso(day: date) -> str:
    """Return ``day`` as ``YYYY-MM-DD``."""
    return day.isoformat()


def month_end(day: date) -> date:
    """Return the last day of ``day``'s month."""
    return day.replace(day=_calendar.monthrange(day.year, day.month)[1])


def next_leap_day(day: date) -> date:
    """Return the first 29 February in ``day``'s year or after."""
    year = day.year
    while not _calendar.isleap(year):
        year += 1
    return date(year, 2, 29)


def first_counting_day(as_of: date, validity_years: int | None) -> date | None:
    """Return the earliest acquisition date of a component still counting on ``as_of``.

    A component acquired on ``d`` counts through ``d + validity`` inclusive (29 February +
    N years is 28 February; specs/core.md, Validity). ``None`` when components never expire.
    """
    if validity_years is None:
        return None
    day = add_years(as_of, -validity_years) - 3 * DAY  # a few days early, then walk forward
    while add_years(day, validity_years) < as_of:
        day += DAY
    return day


def dates_between(low: date, high: date) -> st.SearchStrategy[date]:
    """Dates in ``[low, high]``, leaning on both ends, month ends, first days and 29 February."""
    if high <= low:
        return st.just(low)
    base = st.dates(low, high)
    leaning = st.one_of(
        base,
        base.map(month_end),
        base.map(lambda day: day.replace(day=1)),
        base.map(next_leap_day),
        st.sampled_from((low, high)),
    )
    return leaning.map(lambda day: min(max(day, low), high))


def day_offsets(low: int, high: int) -> st.SearchStrategy[int]:
    """A number of days in ``[low, high]``, often the smallest (the boundary)."""
    return st.one_of(st.just(low), st.integers(low, high))


def registration_edges(certification: Certification) -> list[date]:
    """The days on either side of each limit of the registration window, sorted."""
    window = certification.registration
    if window is None:
        return []
    limits = [window.registered_from - DAY, window.registered_until]
    if window.award_deadline is not None:
        limits.append(window.award_deadline)
    return sorted({day + offset * DAY for day in limits for offset in (0, 1)})


def as_of_dates(certification: Certification) -> st.SearchStrategy[date]:
    """As-of dates for ``certification``: anywhere, or on the edges of its registration."""
    window = certification.registration
    if window is None:
        return dates_between(EARLIEST_AS_OF, LATEST_AS_OF)
    last = max(window.registered_until, window.award_deadline or window.registered_until)
    low = max(add_years(window.registered_from, -3), EARLIEST_AS_OF)
    high = min(add_years(last, 3), LATEST_AS_OF)
    return st.one_of(st.sampled_from(registration_edges(certification)), dates_between(low, high))
