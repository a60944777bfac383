"""Scoring rules (评分规则): rater weights, weighted total, caps, bonus points and veto.

All figures here are ``int`` thousandths (milli-points, milli-percent) so a whole cycle runs
on integers; ``batch.score_batch`` drives these column helpers. The rules, stated once:

- **Precision.** Each indicator's achievement and each contribution is rounded half-up to
  0.001 (point or percent). The total is rounded half-up once, to the framework's
  ``score_precision`` (0.01 point by default). Nothing else is rounded.
- **Raters.** An indicator's raters are weighted by the framework's rater weights
  (self/manager/peer/committee). Several peers are averaged first. A rater who gave no
  score is left out and the weights of those present are used as they stand, i.e. a
  missing rater's weight is redistributed proportionally among the present raters
  (``Σ wᵢ·sᵢ / Σ wᵢ`` over present raters). No rater present → the indicator is missing.
- **Missing data** contributes 0 and is listed in the result's ``missing``; an event count
  that was not entered counts as 0 incidents.
- **Caps.** Bonus points (加分) are capped per indicator (``max_points``) and then in total
  by the framework's ``bonus_cap``; off-weight deductions (扣分) likewise with
  ``deduction_cap``. The total never falls below 0.
- **Veto** (一票否决): any incident caps the grade at the worst of the triggered
  indicators' ``veto_grade`` and/or voids the bonus; the score itself is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .indicators import Milli, to_milli
from .money import div_half_up
from .types import Framework, Indicator, Rater

PCT = 100_000  # 100 % in milli-percent


def rater_weights(framework: Framework, ind: Indicator) -> list[tuple[Rater, int]]:
    """The indicator's raters with a positive framework weight, as milli-weights."""
    out = []
    for rater in ind.raters:
        weight = to_milli(framework.rater_weight(rater))
        if weight > 0:
            out.append((rater, weight))
    return out


def combine_raters(columns: Sequence[list[Milli]], weights: Sequence[int]) -> list[Milli]:
    """Weighted mean per row over the raters present (see the module's rule), half-up."""
    if not columns:
        raise ValueError("no raters")
    if len(columns) == 1:
        return list(columns[0])
    distinct: set[int] = {v for col in columns for v in set(col) if v is not None}
    if len(columns) <= 3 and min(distinct, default=0) >= 0:
        # Integer fast path: (2·Σwᵢsᵢ + W) // 2W is half-up for non-negative sums.
        whole = sum(weights)
        twice = 2 * whole
        if len(columns) == 3:
            w0, w1, w2 = weights
            return [
                (2 * (a * w0 + b * w1 + c * w2) + whole) // twice
                if a is not None and b is not None and c is not None
                else _combine_row((a, b, c), weights)
                for a, b, c in zip(*columns, strict=True)
            ]
        w0, w1 = weights
        return [
            (2 * (a * w0 + b * w1) + whole) // twice
            if a is not None and b is not None
            else _combine_row((a, b), weights)
            for a, b in zip(*columns, strict=True)
        ]
    return [_combine_row(row, weights) for row in zip(*columns, strict=True)]


def _combine_row(row: Sequence[Milli], weights: Sequence[int]) -> Milli:
    num = den = 0
    for value, weight in zip(row, weights, strict=True):
        if value is not None:
            num += value * weight
            den += weight
    return div_half_up(num, den) if den else None


def contributions(achievements: Sequence[Milli], weight: int) -> list[Milli]:
    """``achievement × weight / 100`` in milli-points, half-up."""
    twice = 2 * PCT
    return [
        None if a is None else ((2 * a * weight + PCT) // twice if a >= 0 else div_half_up(a * weight, PCT))
        for a in achievements
    ]


def event_points(ind: Indicator, counts: Sequence[Decimal]) -> list[int]:
    """Points for counted events (``count × points_per_event``), capped by ``max_points``."""
    per = ind.points_per_event or Decimal(0)
    cap = None if ind.max_points is None else to_milli(ind.max_points)
    points = [to_milli(per * c) if c else 0 for c in counts]
    return points if cap is None else [min(p, cap) for p in points]


def weighted_deduction(ind: Indicator, counts: Sequence[Decimal]) -> list[int]:
    """A weighted deduction: ``max(floor, weight − count × points_per_event)`` (扣完为止)."""
    weight = to_milli(ind.weight)
    floor = to_milli(ind.effective_floor)
    per = ind.points_per_event or Decimal(0)
    return [max(floor, weight - to_milli(per * c)) if c else weight for c in counts]


def cap_total(values: list[int], cap: Decimal | None) -> list[int]:
    if cap is None:
        return values
    limit = to_milli(cap)
    return [min(v, limit) for v in values]


def round_total(raw: Sequence[int], quantum: int) -> list[int]:
    """Clamp at 0 and round half-up to ``quantum`` milli-points (10 = 0.01 point)."""
    twice = 2 * quantum
    return [((2 * r + quantum) // twice) * quantum if r > 0 else 0 for r in raw]
