"""One scorer per indicator kind (指标评分), on whole columns.

Every scorer turns a column of inputs into a column of *achievements* in milli-percent
(``int``; 100 % of the indicator = 100 000), rounded half-up to 0.001 %; ``None`` marks a
missing input. Formulas, per kind:

- ratio (越高越好): ``clamp(actual / target, 0, cap) × 100``; cap defaults to 1 (100 %).
- inverse_ratio (越低越好): ``clamp(target / actual, 0, cap) × 100``; an actual of 0 or less
  earns the cap.
- bands (分档): the points of the first band with ``lower ≤ actual < upper``; none → 0.
- rubric (等级): a level key earns its points; a number is taken as points directly and must
  lie between the lowest and highest level's points.
- derived (派生): the formula's value, scored as ``score_as`` (ratio, inverse_ratio or bands).

Event kinds (deduction, bonus, veto) count incidents; scoring.py applies them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from .types import Indicator, Kind

Milli = int | None
RatingValue = str | Decimal | int
RatingCell = RatingValue | tuple[RatingValue, ...] | None

_ONE = Decimal(1)
_PCT_MILLI = Decimal(100_000)  # a ratio of 1 = 100 % = 100 000 milli-percent
_POINT_MILLI = Decimal(1000)


class ScoringError(ValueError):
    """Input that cannot be scored (an unknown rubric level, points out of range)."""

    def __init__(self, item: str, message_zh: str, message_en: str) -> None:
        super().__init__(f"{item}: {message_en}")
        self.item = item
        self.message_zh = message_zh
        self.message_en = message_en


def to_milli(value: Decimal) -> int:
    """Points (or percent) as an int of thousandths, rounded half-up."""
    return int((value * _POINT_MILLI).quantize(_ONE, rounding=ROUND_HALF_UP))


def from_milli(milli: int) -> Decimal:
    return Decimal(milli).scaleb(-3)


def _q(value: Decimal) -> int:
    return int(value.quantize(_ONE, rounding=ROUND_HALF_UP))


def score_ratio(ind: Indicator, values: Sequence[Decimal | None]) -> list[Milli]:
    target = ind.target
    if target is None or target <= 0:
        raise ScoringError(ind.key, "比率指标需要大于 0 的目标值", "a ratio indicator needs a target above 0")
    cap = _q(ind.effective_cap * _PCT_MILLI)
    return [None if x is None else max(0, min(cap, _q(x / target * _PCT_MILLI))) for x in values]


def score_inverse_ratio(ind: Indicator, values: Sequence[Decimal | None]) -> list[Milli]:
    target = ind.target
    if target is None or target <= 0:
        raise ScoringError(
            ind.key, "反向比率指标需要大于 0 的目标值", "an inverse-ratio indicator needs a target above 0"
        )
    cap = _q(ind.effective_cap * _PCT_MILLI)
    return [None if x is None else (cap if x <= 0 else min(cap, _q(target / x * _PCT_MILLI))) for x in values]


def band_points(ind: Indicator, value: Decimal) -> int:
    for band in ind.bands:
        if (band.lower is None or value >= band.lower) and (band.upper is None or value < band.upper):
            return to_milli(band.points)
    return 0


def score_bands(ind: Indicator, values: Sequence[Decimal | None]) -> list[Milli]:
    return [None if x is None else band_points(ind, x) for x in values]


def score_values(ind: Indicator, values: Sequence[Decimal | None], kind: Kind | None = None) -> list[Milli]:
    """Score measured values by ``kind`` (default: the indicator's own, or ``score_as``)."""
    kind = kind or (ind.score_as if ind.kind is Kind.DERIVED else ind.kind)
    if kind is Kind.RATIO:
        return score_ratio(ind, values)
    if kind is Kind.INVERSE_RATIO:
        return score_inverse_ratio(ind, values)
    if kind is Kind.BANDS:
        return score_bands(ind, values)
    if kind is Kind.RUBRIC:
        return [None if x is None else rubric_cell(ind, x) for x in values]
    raise ScoringError(ind.key, f"“{kind}”类型不能按数值评分", f"kind {kind!r} cannot score a value")


def rubric_cell(ind: Indicator, value: RatingValue) -> int:
    """One rater's rubric value: a level key, or points within the levels' range."""
    if isinstance(value, str):
        for level in ind.levels:
            if level.key == value or level.name_zh == value:
                return to_milli(level.points)
        known = "、".join(f"{lv.key}({lv.name_zh})" for lv in ind.levels)
        raise ScoringError(
            ind.key, f"没有等级“{value}”；可选：{known}", f"no level {value!r}; choose one of {known}"
        )
    points = Decimal(value)
    if ind.levels:
        low = min(lv.points for lv in ind.levels)
        high = max(lv.points for lv in ind.levels)
        if not low <= points <= high:
            raise ScoringError(
                ind.key,
                f"分数 {points} 不在 {low}–{high} 之间",
                f"points {points} are not between {low} and {high}",
            )
    return to_milli(points)


def rating_value(ind: Indicator, value: RatingValue) -> int:
    """Score one rater's value for a rated indicator (rubric level/points, or an actual)."""
    if ind.kind is Kind.RUBRIC:
        return rubric_cell(ind, value)
    if isinstance(value, str):
        raise ScoringError(ind.key, f"应填写数值，而不是“{value}”", f"expected a number, not {value!r}")
    result = score_values(ind, [Decimal(value)])[0]
    assert result is not None
    return result


def rating_column(ind: Indicator, cells: Sequence[RatingCell]) -> list[Milli]:
    """Turn one rater kind's column into achievements; a tuple (several peers) is averaged
    (mean of their achievements, half-up to 0.001 %).

    Each distinct cell is scored once: a cycle's ratings repeat a handful of levels, so the
    column is mostly dictionary look-ups (the batch benchmark depends on this).
    """
    memo: dict[RatingCell, Milli] = {None: None}
    if ind.kind is Kind.RUBRIC:
        memo.update({lv.key: to_milli(lv.points) for lv in ind.levels})
    try:
        return [memo[c] for c in cells]
    except (KeyError, TypeError):
        pass
    out: list[Milli] = []
    append = out.append
    for cell in cells:
        try:
            append(memo[cell])
            continue
        except KeyError:
            value = _rating_cell(ind, cell)
        except TypeError:  # an unhashable cell (a list of peers)
            append(_rating_cell(ind, cell))
            continue
        memo[cell] = value
        append(value)
    return out


def _rating_cell(ind: Indicator, cell: RatingCell) -> Milli:
    if cell is None:
        return None
    if isinstance(cell, tuple | list):
        if not cell:
            return None
        scores = [rating_value(ind, v) for v in cell]
        total, n = sum(scores), len(scores)
        return (2 * total + n) // (2 * n) if total >= 0 else -((-2 * total + n) // (2 * n))
    return rating_value(ind, cell)
