"""Checks of a band table (分档表): rows well formed, no gaps or overlaps between bands, points
that rise (or fall) the way the indicator's direction says. Called by
:func:`jixiao.engine.lint_indicators.check_indicator`."""

from __future__ import annotations

from decimal import Decimal

from .findings import B, Collector, W
from .findings import p as _p
from .types import Indicator


def bands_check(c: Collector, ind: Indicator, where: str) -> None:
    bands = ind.bands
    if not bands:
        c.add(
            "plan.bands_missing",
            f"{where}.bands",
            B,
            "分档指标没有分档表",
            "a bands indicator has no bands",
            "填写分档表",
            "add a band table",
            ind.key,
        )
        return
    _band_rows(c, ind, where)
    _band_joins(c, ind, where)
    _band_shape(c, ind, where)


def _band_rows(c: Collector, ind: Indicator, where: str) -> None:
    for j, band in enumerate(ind.bands):
        if band.lower is not None and band.upper is not None and band.lower >= band.upper:
            c.add(
                "plan.bands_empty",
                f"{where}.bands[{j}]",
                B,
                "该档下限不小于上限",
                "band lower is not below its upper",
                "修正该档上下限",
                "fix the band's bounds",
                ind.key,
            )
        if not 0 <= band.points <= 100:
            c.add(
                "plan.bands_points",
                f"{where}.bands[{j}]",
                B,
                "分档得分应在 0–100 之间",
                "band points must be 0–100",
                "改为 0–100 的达成分",
                "use 0–100",
                ind.key,
            )


def _band_joins(c: Collector, ind: Indicator, where: str) -> None:
    bands = ind.bands
    for j in range(1, len(bands)):
        prev, cur = bands[j - 1], bands[j]
        if prev.upper is None or cur.lower is None or prev.upper > cur.lower:
            c.add(
                "plan.bands_overlap",
                f"{where}.bands[{j}]",
                B,
                "分档区间重叠或未按从低到高排列",
                "bands overlap or are not in ascending order",
                "按下限从低到高排列，上一档上限 = 下一档下限",
                "order bands by lower bound; each upper equals the next lower",
                ind.key,
            )
        elif prev.upper < cur.lower:
            c.add(
                "plan.bands_gap",
                f"{where}.bands[{j}]",
                B,
                f"分档之间有空档：{_p(prev.upper)} 到 {_p(cur.lower)} 之间的值不属于任何一档",
                f"gap between bands: values from {_p(prev.upper)} to {_p(cur.lower)} fall in no band",
                f"把上一档上限改为 {_p(cur.lower)}",
                f"set the previous upper to {_p(cur.lower)}",
                ind.key,
            )


def _band_shape(c: Collector, ind: Indicator, where: str) -> None:
    bands = ind.bands
    points = [b.points for b in bands]
    if points != sorted(points) and points != sorted(points, reverse=True):
        c.add(
            "plan.bands_not_monotonic",
            f"{where}.bands",
            B,
            "分档得分忽高忽低，不是单调的",
            "band points go up and down (not monotonic)",
            "让得分随实际值单调变化",
            "make points rise (or fall) steadily with the actual",
            ind.key,
        )
    else:
        _band_direction(c, ind, where, points)
    if bands[0].lower is not None or bands[-1].upper is not None:
        c.add(
            "plan.bands_uncovered",
            f"{where}.bands",
            W,
            "分档表两端未覆盖全部数值，超出部分得 0 分",
            "the table does not cover all values; values outside score 0",
            "让第一档下限、最后一档上限留空",
            "leave the first lower and last upper empty",
            ind.key,
        )


def _band_direction(c: Collector, ind: Indicator, where: str, points: list[Decimal]) -> None:
    """The table's slope against the stated direction (higher = 越高越好, lower = 越低越好)."""
    rising, falling = points[-1] > points[0], points[-1] < points[0]
    if (ind.direction == "higher" and falling) or (ind.direction == "lower" and rising):
        stated_zh = "越高越好" if ind.direction == "higher" else "越低越好"
        table_zh = "实际值越高得分越低" if falling else "实际值越高得分越高"
        c.add(
            "plan.bands_direction",
            f"{where}.bands",
            B,
            f"该指标写明“{stated_zh}”，分档表却是{table_zh}",
            f"the indicator is stated as {ind.direction}-is-better but its band table scores the other way",
            "把各档得分倒过来排，或改正 direction",
            "reverse the bands' points, or correct direction",
            ind.key,
        )
