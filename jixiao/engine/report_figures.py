"""Figures of the monthly report (绩效考核月报) from counted values: pure, exact, no database.

The shell counts with aggregate queries (a value and how many rows have it) and hands the counts
here, so 100,000 results arrive as a few hundred (score, count) pairs; every figure is a
``Decimal`` (never a float) and the same counts always give the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, localcontext

from .money import round_half_up

MILLI = Decimal(1000)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Spread:
    """Statistics of a department's totals: how many, mean, median, lowest, highest, standard
    deviation (of the population: everyone of the month is counted, not a sample)."""

    count: int
    mean: Decimal
    median: Decimal
    low: Decimal
    high: Decimal
    deviation: Decimal


def _sorted_counts(counts: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: dict[int, int] = {}
    for value, count in counts:
        if count > 0:
            merged[value] = merged.get(value, 0) + count
    return sorted(merged.items())


def _nth(pairs: list[tuple[int, int]], index: int) -> int:
    """The ``index``-th value (0-based) of the sorted multiset the pairs describe."""
    seen = 0
    for value, count in pairs:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)


def spread_of(
    counts: Iterable[tuple[int, int]], unit: Decimal = MILLI, quantum: Decimal = TENTH
) -> Spread | None:
    """Statistics of values given as (value, count) pairs in ``unit`` (milli-points by default),
    rounded half up to ``quantum``; None when nothing was counted."""
    pairs = _sorted_counts(counts)
    n = sum(count for _, count in pairs)
    if n == 0:
        return None
    with localcontext() as context:
        context.prec = 40
        total = sum((Decimal(value) * count for value, count in pairs), Decimal(0))
        mean: Decimal = total / n
        median_units = Decimal(_nth(pairs, (n - 1) // 2) + _nth(pairs, n // 2)) / 2
        variance: Decimal = (
            sum(((Decimal(value) - mean) ** 2 * count for value, count in pairs), Decimal(0)) / n
        )
        deviation = variance.sqrt()

        def shown(units: Decimal) -> Decimal:
            return round_half_up(units / unit, quantum)

        return Spread(
            n,
            shown(mean),
            shown(median_units),
            shown(Decimal(pairs[0][0])),
            shown(Decimal(pairs[-1][0])),
            shown(deviation),
        )


def median_days(durations: Iterable[int]) -> Decimal | None:
    """The median of whole-day durations (half a day when the count is even); None for none."""
    values = sorted(durations)
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return Decimal(values[middle])
    return Decimal(values[middle - 1] + values[middle]) / 2


def share(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a fraction rounded to 0.0001 (a percent column shows 12.34 %)."""
    if whole <= 0:
        return None
    return round_half_up(Decimal(part) / Decimal(whole), Decimal("0.0001"))
