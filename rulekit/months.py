"""The months measure: how many months of (possibly part-time) work a set of periods proves.

Specification (specs/core.md, "Months"): build the working fraction of each day (the sum
of the ``fte`` of the periods covering it, capped at 1); group consecutive days of equal
fraction into stretches; a stretch from day ``a`` to day ``b`` inclusive counts
``(m + r/s) * fraction`` where ``m`` is the largest number of whole months with
``a + m months <= b + 1 day``, ``r`` the days from ``a + m months`` to ``b + 1 day`` and
``s`` the days from ``a + m months`` to ``a + m + 1 months``.

The result is an exact :class:`~fractions.Fraction`, so that thresholds (18 months, 3
months) are compared without rounding and splitting a period changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise

from attrs import frozen

from rulekit.calendar import add_months

_ONE = Fraction(1)
_DAY = timedelta(days=1)


@frozen
class Span:
    """A closed period of work: ``start`` to ``end`` inclusive at ``fraction`` of full time."""

    start: date
    end: date
    fraction: Fraction


@frozen
class Stretch:
    """Consecutive days of one equal working fraction, ``start`` to ``end`` inclusive."""

    start: date
    end: date
    fraction: Fraction


def stretches(spans: Iterable[Span]) -> list[Stretch]:
    """Return the maximal stretches of equal daily fraction (capped at 1) covered by ``spans``.

    Days covered by no span are gaps and separate stretches. The order of ``spans`` does
    not matter.
    """
    delta: dict[date, Fraction] = {}
    for span in spans:
        if span.end < span.start or span.fraction <= 0:
            continue
        delta[span.start] = delta.get(span.start, Fraction(0)) + span.fraction
        after = span.end + _DAY
        delta[after] = delta.get(after, Fraction(0)) - span.fraction
    result: list[Stretch] = []
    level = Fraction(0)
    boundaries = sorted(delta)
    for here, there in pairwise(boundaries):
        level += delta[here]
        fraction = min(level, _ONE)
        if fraction <= 0:
            continue
        last = there - _DAY
        if result and result[-1].fraction == fraction and result[-1].end + _DAY == here:
            result[-1] = Stretch(result[-1].start, last, fraction)
        else:
            result.append(Stretch(here, last, fraction))
    return result


def stretch_months(start: date, end: date) -> Fraction:
    """Return the calendar months from ``start`` to ``end`` inclusive, at full time."""
    stop = end + _DAY
    whole = (stop.year - start.year) * 12 + (stop.month - start.month)
    while whole > 0 and add_months(start, whole) > stop:
        whole -= 1
    while add_months(start, whole + 1) <= stop:
        whole += 1
    anchor = add_months(start, whole)
    remainder = (stop - anchor).days
    month_length = (add_months(start, whole + 1) - anchor).days
    return whole + Fraction(remainder, month_length)


def months(spans: Iterable[Span]) -> Fraction:
    """Return the months of work proved by ``spans``, overlaps counted once, capped at full time."""
    return sum(
        (stretch_months(s.start, s.end) * s.fraction for s in stretches(spans)),
        start=Fraction(0),
    )


def calendar_span_months(spans: Iterable[Span]) -> Fraction:
    """Return the months of the union of ``spans`` at full time: the measure's upper bound."""
    full = [Span(s.start, s.end, _ONE) for s in spans]
    return months(full)
