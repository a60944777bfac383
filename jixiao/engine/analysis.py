"""Statistics the analysis pages (统计分析) show: pure, exact, and stated.

- **Summary** of a group's totals: count, mean, median (the middle value; the mean of the two
  middle values for an even count), spread (the population standard deviation, √(Σ(x−mean)²/n)),
  lowest and highest. Totals come in milli-points (integers); results are ``Decimal`` points
  rounded half-up to 0.01.
- **Shares**: a grade's share is its count ÷ the group's size, a fraction (0.25 = 25 %) rounded
  half-up to 0.0001.
- **Drift from quota**: for each grade with a quota, how far (in share) the actual share lies
  beyond it — above an "at most" quota or below an "at least" quota; zero inside. The group's
  drift is the sum over its grades. Shares, not the calibration's rounded counts: the analysis
  compares distributions across groups of different sizes.
- **KPI attainment** of one person: the measured (not rated) weighted indicators' contributions
  ÷ their weights × 100, i.e. the score they would have had if every indicator were measured.
- **Team above KPI**: a group is flagged when its mean total exceeds its KPI evidence by at
  least ``gap`` points and it has at least ``min_size`` people.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .money import round_half_up

POINT = Decimal("0.01")
SHARE = Decimal("0.0001")
MILLI = Decimal(1000)


@dataclass(frozen=True)
class Summary:
    n: int
    mean: Decimal | None
    median: Decimal | None
    spread: Decimal | None
    low: Decimal | None
    high: Decimal | None


def points(milli: int | Decimal) -> Decimal:
    """Milli-points as points, rounded half-up to 0.01."""
    return round_half_up(Decimal(milli) / MILLI, POINT)


def mean(values: Sequence[Decimal | int]) -> Decimal | None:
    """The exact arithmetic mean (unrounded), or None for no values."""
    if not values:
        return None
    return sum((Decimal(v) for v in values), Decimal(0)) / len(values)


def median(values: Sequence[Decimal | int]) -> Decimal | None:
    """The middle value (the mean of the two middle ones for an even count), or None."""
    if not values:
        return None
    ordered = sorted(Decimal(v) for v in values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def spread(values: Sequence[Decimal | int]) -> Decimal | None:
    """The population standard deviation, or None for no values."""
    centre = mean(values)
    if centre is None:
        return None
    variance = sum(((Decimal(v) - centre) ** 2 for v in values), Decimal(0)) / len(values)
    return variance.sqrt()


def summarise_milli(totals: Sequence[int]) -> Summary:
    """Count, mean, median, spread, lowest and highest of totals in milli-points, as points."""
    if not totals:
        return Summary(0, None, None, None, None, None)

    def p(value: Decimal | int | None) -> Decimal | None:
        return None if value is None else points(value)

    return Summary(
        len(totals), p(mean(totals)), p(median(totals)), p(spread(totals)), p(min(totals)), p(max(totals))
    )


def share(count: int, size: int) -> Decimal | None:
    """``count ÷ size`` as a fraction rounded to 0.0001; None for an empty group."""
    if size <= 0:
        return None
    return round_half_up(Decimal(count) / size, SHARE)


def grade_shares(grades: Iterable[str], keys: Sequence[str]) -> tuple[int, dict[str, Decimal | None]]:
    """The group's size and each grade key's share (grades outside ``keys`` count in the size)."""
    counted = Counter(grades)
    size = sum(counted.values())
    return size, {k: share(counted.get(k, 0), size) for k in keys}


@dataclass(frozen=True)
class GradeDrift:
    grade: str
    share: Decimal  # actual share (fraction)
    quota_max: Decimal | None
    quota_min: Decimal | None
    beyond: Decimal  # how far outside the quota (fraction ≥ 0); 0 inside or without quota


def drift(
    counts: Mapping[str, int], size: int, quotas: Sequence[tuple[str, Decimal | None, Decimal | None]]
) -> tuple[tuple[GradeDrift, ...], Decimal]:
    """Each grade's share against its (max, min) quota, and the group's total drift (their sum)."""
    lines: list[GradeDrift] = []
    for key, quota_max, quota_min in quotas:
        actual = share(counts.get(key, 0), size) or Decimal(0)
        beyond = Decimal(0)
        if quota_max is not None and actual > quota_max:
            beyond = actual - quota_max
        if quota_min is not None and actual < quota_min:
            beyond = quota_min - actual
        lines.append(GradeDrift(key, actual, quota_max, quota_min, beyond))
    return tuple(lines), sum((line.beyond for line in lines), Decimal(0))


def kpi_attainment(contributions: Mapping[str, int | None], weights: Mapping[str, Decimal]) -> Decimal | None:
    """Measured indicators' contributions (milli-points) ÷ their weights × 100, as points (0.01).

    ``weights`` names the measured weighted indicators; one without a contribution (missing data)
    leaves both sums. None when no measured indicator has a contribution."""
    earned = Decimal(0)
    weight = Decimal(0)
    for key, w in weights.items():
        value = contributions.get(key)
        if value is None or w <= 0:
            continue
        earned += Decimal(value) / MILLI
        weight += w
    if weight == 0:
        return None
    return round_half_up(earned / weight * 100, POINT)


def above_kpi(
    total_mean: Decimal | None, evidence: Decimal | None, size: int, *, gap: Decimal, min_size: int
) -> bool:
    """Whether a group's mean total exceeds its KPI evidence by at least ``gap`` points."""
    if total_mean is None or evidence is None or size < min_size:
        return False
    return total_mean - evidence >= gap
