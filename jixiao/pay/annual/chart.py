"""A server-made SVG chart of annual bonus against net profit, marking every cliff (悬崖).

No JavaScript and no library: the curve of each role (per person) and of the department sum,
bracket mode solid and progressive dashed, from exact fen values. Within a tier both modes
are straight lines in profit, so sampling every tier bound (and the fen either side) plus an
even grid draws the curves exactly; each cliff gets a red dashed line and its jump in yuan.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

from jixiao.common.charts import text_width
from jixiao.engine.bonus import Cliff, cliffs, what_if
from jixiao.engine.money import format_wan, format_yuan
from jixiao.engine.pay_types import AnnualBonusPlan
from jixiao.engine.types import BonusMode

WIDTH, HEIGHT = 880, 420
LEFT, RIGHT, TOP, BOTTOM = 90, 20, 30, 80
COLOURS = ("#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#a16207")
GRID = 120
Scale = Callable[[int], float]


def profits_for(plan: AnnualBonusPlan, low: int, high: int) -> list[int]:
    """An even grid from ``low`` to ``high`` plus every bound and the fen either side of it."""
    points = {low + (high - low) * i // GRID for i in range(GRID + 1)}
    for tier in plan.tiers:
        for bound in (tier.lower, tier.upper):
            if bound is not None:
                points |= {bound.amount - 1, bound.amount, bound.amount + 1}
    return sorted(p for p in points if low <= p <= high)


def bonus_chart(plan: AnnualBonusPlan, low: int, high: int) -> str:
    """The SVG text (fen on both axes, labelled in 万/yuan)."""
    profits = profits_for(plan, low, high)
    series: list[tuple[str, str, bool, list[int]]] = []
    for mode, dashed in ((BonusMode.BRACKET, False), (BonusMode.PROGRESSIVE, True)):
        results = what_if(plan, profits, mode)
        for i, role in enumerate(plan.roles):
            series.append(
                (
                    f"{role.name_zh}（每人）",
                    COLOURS[i % len(COLOURS)],
                    dashed,
                    [r.role(role.key) for r in results],
                )
            )
        series.append(
            (
                "部门合计",
                COLOURS[(len(plan.roles)) % len(COLOURS)],
                dashed,
                [r.department_sum for r in results],
            )
        )
    top = max([max(values) for *_, values in series] + [100])
    x = _scale(low, max(high, low + 1), LEFT, WIDTH - RIGHT)
    y = _scale(0, top, HEIGHT - BOTTOM, TOP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="bonus-chart" '
        f'role="img" aria-label="年度奖金随净利润变化">',
        f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" height="{HEIGHT - TOP - BOTTOM}" fill="#fff" stroke="#ccc"/>',
    ]
    parts += _axes(low, high, top, x, y)
    for label, colour, dashed, values in series:
        points = " ".join(f"{x(p):.1f},{y(v):.1f}" for p, v in zip(profits, values, strict=True))
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(
            f'<polyline class="series" data-label="{escape(label)}" fill="none" stroke="{colour}" '
            f'stroke-width="2"{dash} points="{points}"/>'
        )
    shown = [c for c in cliffs(plan, BonusMode.BRACKET) if low <= c.bound <= high]
    parts += [_cliff_mark(cliff, plan, x, i) for i, cliff in enumerate(shown)]
    parts += _legend(series)
    parts.append("</svg>")
    return "\n".join(parts)


def _scale(a: int, b: int, out_a: float, out_b: float) -> Scale:
    span = (b - a) or 1
    return lambda v: out_a + (v - a) * (out_b - out_a) / span


def _axes(low: int, high: int, top: int, x: Scale, y: Scale) -> list[str]:
    out = []
    for i in range(6):
        p = low + (high - low) * i // 5
        out.append(
            f'<text x="{x(p):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="11">{format_wan(p)}</text>'
        )
        v = top * i // 5
        out.append(
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">{format_yuan(v)}</text>'
        )
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>')
    out.append(
        f'<text x="{(LEFT + WIDTH) / 2}" y="{HEIGHT - BOTTOM + 32}" text-anchor="middle" font-size="12">净利润（元）</text>'
    )
    return out


def _cliff_mark(cliff: Cliff, plan: AnnualBonusPlan, x: Scale, row: int) -> str:
    first = plan.roles[0].key
    jump = cliff.size(first)
    label = f"悬崖 {format_wan(cliff.bound)}：{plan.roles[0].name_zh} {'+' if jump >= 0 else ''}{format_yuan(jump)}"
    at = x(cliff.bound)
    # A label that would run past the plot's right edge is set to the left of its line instead.
    if at + 4 + text_width(label) > WIDTH - RIGHT:
        text = f'<text x="{at - 4:.1f}" y="{TOP + 14 + 14 * row}" font-size="11" fill="#dc2626" text-anchor="end">'
    else:
        text = f'<text x="{at + 4:.1f}" y="{TOP + 14 + 14 * row}" font-size="11" fill="#dc2626">'
    return (
        f'<g class="cliff" data-bound="{cliff.bound}"><line x1="{at:.1f}" x2="{at:.1f}" '
        f'y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="#dc2626" stroke-dasharray="3 3"/>'
        f"{text}{escape(label)}</text></g>"
    )


def _legend(series: list[tuple[str, str, bool, list[int]]]) -> list[str]:
    out = []
    for i, (label, colour, dashed, _) in enumerate(series):
        lx, ly = LEFT + (i % 3) * 240, HEIGHT - 26 + 14 * (i // 3)
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        mode = "超额累进" if dashed else "全额累进"
        out.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        out.append(f'<text x="{lx + 28}" y="{ly + 4}" font-size="11">{escape(label)} · {mode}</text>')
    return out
