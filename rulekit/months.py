"""The months measure: full-time-equivalent days, and the days that make k months.

Specification (specs/core.md, "Months"):

- each day weighs its working fraction, the sum of the ``fte`` of the periods covering it,
  capped at 1; the days a set of periods proves is the exact sum of those weights
  (:func:`days_proven`). The sum is additive: more work never lowers it, disjoint periods
  add, and it never exceeds the number of days of the periods' union;
- k months are met by at least ``D(k)`` such days, ``D(k)`` being the fewest days any k
  consecutive calendar months hold (:func:`required_days`: D(3) = 89, D(12) = 365,
  D(18) = 546), so k months of full-time work counted date to date are never refused;
- an internship that states its hours of presence counts them instead (Code de
  l'éducation, art. D124-6: 7 hours of presence make a day and 22 days a month):
  :func:`presence_days`.

Everything is exact: fractions of full time are taken as the decimals they are written as,
and the sum is kept in integers over a common denominator, so no rounding ever reaches a
threshold.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from itertools import pairwise

from attrs import frozen

from rulekit.calendar import add_months

_DAY = timedelta(days=1)

GREGORIAN_CYCLE_YEARS = 400
"""The Gregorian calendar repeats every 400 years, so its extremes are found in one cycle."""

HOURS_PER_DAY = 7
"""Code de l'éducation, art. D124-6: "chaque période au moins égale à sept heures de
présence, consécutives ou non, est considérée comme équivalente à un jour"."""

DAYS_PER_MONTH = 22
"""Code de l'éducation, art. D124-6: "chaque période au moins égale à vingt-deux jours de
présence, consécutifs ou non, est considérée comme équivalente à un mois"."""


@frozen
class Span:
    """A closed period of work: ``start`` to ``end`` inclusive at ``fraction`` of full time."""

    start: date
    end: date
    fraction: Fraction


def days_proven(spans: Iterable[Span]) -> Fraction:
    """Return the full-time-equivalent days ``spans`` prove, exactly.

    Each day weighs the sum of the fractions of the spans covering it, capped at 1; days
    covered by none weigh 0. The order of ``spans`` does not matter. The sum is computed
    over a common denominator of the fractions, in integers, one step per span boundary
    (not per day).
    """
    kept = [s for s in spans if s.end >= s.start and s.fraction.numerator > 0]
    if not kept:
        return _ZERO
    first = kept[0]
    if len(kept) == 1 and first.fraction <= 1:  # the common case: one period, nothing to weigh
        days = (first.end - first.start).days + 1
        return Fraction(days * first.fraction.numerator, first.fraction.denominator)
    scale = math.lcm(*(s.fraction.denominator for s in kept))
    delta: dict[date, int] = {}
    for span in kept:
        weight = span.fraction.numerator * (scale // span.fraction.denominator)
        delta[span.start] = delta.get(span.start, 0) + weight
        after = span.end + _DAY
        delta[after] = delta.get(after, 0) - weight
    total = 0
    level = 0
    boundaries = sorted(delta)
    for here, there in pairwise(boundaries):
        level += delta[here]
        if level > 0:
            total += (there - here).days * min(level, scale)
    return Fraction(total, scale)


_ZERO = Fraction(0)


def union_days(spans: Iterable[Span]) -> int:
    """Return how many days at least one of ``spans`` covers: the measure's upper bound."""
    return int(days_proven(Span(s.start, s.end, Fraction(1)) for s in spans))


@cache
def required_days(months: int) -> int:
    """Return ``D(months)``: the fewest days any ``months`` consecutive calendar months hold.

    Computed over every starting month of a full 400-year Gregorian cycle, so it holds for
    every year. ``D(0)`` is 0.

    :raises ValueError: for a negative number of months.
    """
    if months < 0:
        raise ValueError(f"{months} months: a number of months is at least 0")
    # The first day of month n after January 2000 is add_months(date(2000, 1, 1), n) (the
    # 1st is never clamped); its ordinal is that of month n mod one cycle plus as many whole
    # cycles, each CYCLE_DAYS long. Subtracting ordinals is subtracting those dates.
    first = _first_days()
    cycle = len(first)
    whole, rest = divmod(months, cycle)
    later = first[rest:] + tuple(day + CYCLE_DAYS for day in first[:rest])
    fewest: int = min(map(operator.sub, later, first))
    return whole * CYCLE_DAYS + fewest


CYCLE_DAYS = 146_097
"""Days in one 400-year Gregorian cycle (97 leap years): the calendar's period."""


@cache
def _first_days() -> tuple[int, ...]:
    """The ordinals of the first day of each month of one cycle, from January 2000.

    Computed on first use, in C (:class:`datetime.date`), rather than by adding months one by
    one: :func:`required_days` is called on the first evaluation of every process.
    """
    return tuple(
        date(2000 + n // 12, n % 12 + 1, 1).toordinal() for n in range(12 * GREGORIAN_CYCLE_YEARS)
    )


@frozen
class DateToDate:
    """How many days ``months`` months counted date to date hold, over every start day.

    ``fewest`` and ``most``: the extremes over every start day of a 400-year Gregorian
    cycle of the days from ``a`` to ``a + months`` months (adding months clamps to the
    month's last day), that is of a period ``a .. a + months months - 1 day``.
    """

    months: int
    fewest: int
    most: int

    @property
    def tolerance(self) -> int:
        """The most days a period can fall short of ``months`` months date to date and be met."""
        return self.most - required_days(self.months)


@cache
def date_to_date(months: int) -> DateToDate:
    """Return the range of days of ``months`` months counted date to date (see DateToDate).

    Only days 1, 29, 30 and 31 of each month need trying: every start day from 1 to 28 of
    a month gives the same count as the 1st, since neither end is clamped.
    """
    counts = []
    for year in range(2000, 2000 + GREGORIAN_CYCLE_YEARS):
        for month in range(1, 13):
            for day in (1, 29, 30, 31):
                try:
                    start = date(year, month, day)
                except ValueError:
                    continue
                counts.append((add_months(start, months) - start).days)
    return DateToDate(months, min(counts), max(counts))


def months_made(days: Fraction, months: int) -> Fraction:
    """Return the months of a ``months``-month requirement that ``days`` make: k × d / D(k).

    At least ``months`` exactly when ``days`` reaches :func:`required_days`.
    """
    if months == 0:
        return _ZERO
    # One exact fraction built from integers: k × (n / d) / D(k) = k·n / (d·D(k)).
    return Fraction(months * days.numerator, days.denominator * required_days(months))


def presence_days(hours: int) -> int:
    """Return the days of presence ``hours`` make: one per whole 7 hours (art. D124-6)."""
    return hours // HOURS_PER_DAY


def presence_months(days: int) -> Fraction:
    """Return the months ``days`` of presence make: 22 days a month (art. D124-6)."""
    return Fraction(days, DAYS_PER_MONTH)


TABLE_MONTHS = (*range(1, 25), 30, 36)
"""The numbers of months the table in specs/core.md lists."""


def days_table_markdown() -> str:
    """Return the table of D(k) and the date-to-date range printed in specs/core.md."""
    lines = [
        "| months k | D(k): days required | date to date: fewest–most days | tolerance (days) |",
        "|---------:|--------------------:|-------------------------------:|-----------------:|",
    ]
    for k in TABLE_MONTHS:
        span = date_to_date(k)
        lines.append(f"| {k} | {required_days(k)} | {span.fewest}–{span.most} | {span.tolerance} |")
    return "\n".join(lines) + "\n"
