"""Server-made SVG charts of a :class:`~jixiao.common.figures.Chart` (no JavaScript, no CDN).

One function, :func:`chart_svg`, draws the four kinds a report needs: ``column`` (vertical bars,
one per series in each category), ``bar`` (horizontal bars, for long category names), ``line``
(several series over cycles or months, each with its own dash and marker) and ``stacked``
(e.g. the grade distribution per department). Every chart is readable in print and without
colour: series differ by hatching (bars) or by dash and marker (lines), text is black, values
are written on the bars where there is room, and each mark carries a ``<title>`` with its
category and value. The numbers themselves are Decimal or int; floats exist only as SVG
coordinates. Every piece of text is escaped (user text may hold ``<``, ``&`` or 20,000
characters); a table without numbers draws an explicit "no data" picture.

:func:`cell_text` is the one formatting of a cell for people (money in yuan with two decimals,
percent with one, counts with thousands separators), shared by ``_table.html``.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.safestring import SafeString, mark_safe

from jixiao.engine.money import format_yuan, round_half_up
from jixiao.engine.text import Language, Text

from . import text as shown
from .figures import Cell, Chart, ColumnKind, Section, Table

WIDTH = 720
PLOT_HEIGHT = 260
FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, WenQuanYi Micro Hei, PingFang SC, Microsoft YaHei, sans-serif"
INK = "#1f2933"
# Colours that stay apart in greyscale too; each series also has its own hatching or dash.
COLOURS = ("#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#a16207", "#0f766e", "#be185d", "#475569")
DASHES = ("", "7 3", "2 3", "9 3 2 3", "4 2", "12 4", "1 3", "6 2 2 2")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "ex", "circle-open", "square-open")
LABEL_MAX = 120  # the widest category label, in px, before it is cut with "…"
TITLE_MAX = 500  # characters of a label's full text kept in its <title>
PERCENT_QUANTUM = Decimal("0.1")
Scale = Callable[[Decimal | float], float]
_CHART_IDS = itertools.count(1)
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# ---------------------------------------------------------------------------------------------
# Cells as people read them (shared with the HTML table)


def current_language(language: str | None = None) -> Language:
    """The language to draw in: the one given, else the request's."""
    if language in ("zh", "en"):
        return "en" if language == "en" else "zh"
    return shown.language()


def cell_text(value: Cell, kind: ColumnKind = "text", language: str | None = None) -> str:
    """A cell as shown: money (fen) as yuan with 2 decimals, percent (a fraction) with 1 decimal,
    ints with thousands separators, Decimals as given, Text in the language, None as empty."""
    if value is None:
        return ""
    if isinstance(value, Text):
        return value.render(current_language(language))
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal) and not value.is_finite():
        return "—"
    if kind == "money":
        return format_yuan(value if isinstance(value, int) else int(round_half_up(value)))
    if kind == "percent":
        return f"{round_half_up(Decimal(value) * 100, PERCENT_QUANTUM)}%"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:f}"


def numeric(value: Cell, kind: ColumnKind) -> Decimal | None:
    """The number a chart draws for a cell (yuan for money, percent points for percent), or None."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    number = Decimal(value)
    if not number.is_finite():
        return None
    if kind == "money":
        return number.scaleb(-2)
    if kind == "percent":
        return number * 100
    return number


def clean(text: str) -> str:
    """Text safe inside XML: characters XML forbids removed, then ``& < > "`` escaped."""
    text = _INVALID_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def text_width(text: str, size: float = 11) -> float:
    """A generous estimate of the rendered width: CJK characters are one em, others 0.62 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.62 for ch in text)


def cut(text: str, width: float, size: float = 11) -> str:
    """``text`` shortened with "…" to fit ``width`` px (estimated)."""
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


def _title_text(text: str) -> str:
    return text if len(text) <= TITLE_MAX else text[:TITLE_MAX] + "…"


# ---------------------------------------------------------------------------------------------
# Scales


@dataclass(frozen=True)
class Axis:
    """A value axis: ``low``..``high`` in the chart's unit, ticks at multiples of ``step``."""

    low: float
    high: float
    step: Decimal
    ticks: tuple[Decimal, ...]

    def at(self, value: float, start: float, end: float) -> float:
        span = self.high - self.low or 1.0
        return start + (value - self.low) * (end - start) / span


def nice_axis(values: list[Decimal], count: int = 5, *, whole: bool = False) -> Axis:
    """Round ticks covering every value and zero (about ``count`` steps of 1, 2, 2.5 or 5 × 10ⁿ;
    for ``whole`` numbers such as counts, whole steps only)."""
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    if high == low:
        high = low + 1
    rough = (high - low) / count
    exponent = math.floor(math.log10(float(rough))) if rough > 0 else 0
    magnitude = Decimal(10) ** exponent
    step = magnitude * 10
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        candidate = factor * magnitude
        if whole and candidate != candidate.to_integral_value():
            continue
        if rough <= candidate:
            step = candidate
            break
    if whole:
        step = max(step, Decimal(1))
    first = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    last = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    ticks: list[Decimal] = []
    tick = first
    while tick <= last and len(ticks) < 50:
        ticks.append(tick)
        tick += step
    return Axis(float(first), float(last), step, tuple(ticks))


def tick_text(value: Decimal, step: Decimal, kind: ColumnKind) -> str:
    """A tick label: as many decimals as the step needs; ``%`` for percent; yuan separators."""
    places = max(0, -step.normalize().as_tuple().exponent)  # type: ignore[operator]
    number = f"{value:,.{places}f}"
    if number.startswith("-") and float(value) == 0:
        number = number[1:]
    return number + ("%" if kind == "percent" else "")


# ---------------------------------------------------------------------------------------------
# The chart


@dataclass
class Series:
    name: str
    kind: ColumnKind
    values: list[Decimal | None]
    texts: list[str]
    reference: list[Decimal | None] | None = None
    reference_name: str = ""


class Svg:
    """The parts of one SVG, with the chart's own id prefix for its patterns."""

    def __init__(self, uid: str, lang: Language) -> None:
        self.uid = uid
        self.lang = lang
        self.parts: list[str] = []

    def add(self, part: str) -> None:
        self.parts.append(part)

    def text(
        self, x: float, y: float, text: str, *, anchor: str = "start", size: float = 11, extra: str = ""
    ) -> None:
        self.add(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{INK}" text-anchor="{anchor}"{extra}>'
            f"{clean(text)}</text>"
        )

    def label(
        self, x: float, y: float, text: str, width: float, *, anchor: str = "end", rotate: bool = False
    ) -> None:
        """A category label cut to ``width`` px, its full text in a <title>."""
        short = cut(text, width)
        turn = f' transform="rotate(-40 {x:.1f} {y:.1f})"' if rotate else ""
        self.add(f"<g><title>{clean(_title_text(text))}</title>")
        self.text(x, y, short, anchor=anchor, extra=turn)
        self.add("</g>")


def chart_svg(chart: Chart, language: str | None = None) -> SafeString:
    """The chart as an SVG element, in ``language`` (default: the request's)."""
    lang = current_language(language)
    title = chart.title.render(lang)
    categories, series = _series(chart, lang)
    uid = f"c{next(_CHART_IDS):x}"  # pattern ids unique on a page that shows several charts
    numbers = [v for s in series for v in s.values if v is not None]
    if not categories or not series or not numbers:
        return mark_safe(_no_data(title, lang))
    svg = Svg(uid, lang)
    legend = len(series) > 1 or chart.kind == "stacked" or any(s.reference is not None for s in series)
    top = 32
    legend_rows = _legend_rows(series) if legend else []
    top += 18 * len(legend_rows) + (8 if legend_rows else 0)
    if chart.kind == "bar":
        height = _bar(svg, chart, categories, series, top)
    else:
        height = _vertical(svg, chart, categories, series, top)
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" class="chart chart-{chart.kind}" '
        f'role="img" aria-label="{clean(title)}" font-family="{FONT}" data-rows="{len(categories)}">',
        f"<title>{clean(title)}</title>",
        _patterns(uid, len(series)) if chart.kind != "line" else "",
        f'<rect x="0" y="0" width="{WIDTH}" height="{height:.0f}" fill="#fff"/>',
        f'<text x="{WIDTH / 2:.0f}" y="20" font-size="14" font-weight="bold" fill="{INK}" text-anchor="middle">'
        f"{clean(cut(title, WIDTH - 20, 14))}</text>",
    ]
    tail = _legend(uid, chart.kind, legend_rows, 40) if legend else []
    return mark_safe("".join(head + svg.parts + tail + ["</svg>"]))


def _series(chart: Chart, lang: Language) -> tuple[list[str], list[Series]]:
    table = chart.table
    width = len(table.columns)
    rows = [tuple(row[:width]) + (None,) * (width - len(row)) for row in table.rows]
    if not 0 <= chart.category < width:
        return [], []
    kind = table.columns[chart.category].kind
    # A category is a name: a year or a cycle number is shown as it is ("2026", not "2,026").
    categories = [
        str(row[chart.category])
        if isinstance(row[chart.category], int)
        else cell_text(row[chart.category], kind, lang)
        for row in rows
    ]
    series = []
    for position, index in enumerate(chart.series):
        if not 0 <= index < width:
            continue
        column = table.columns[index]
        ref = chart.references[position] if position < len(chart.references) else None
        reference: list[Decimal | None] | None = None
        reference_name = ""
        if ref is not None and 0 <= ref < width:
            ref_kind = table.columns[ref].kind
            reference = [numeric(row[ref], ref_kind) for row in rows]
            reference_name = table.columns[ref].title.render(lang)
        series.append(
            Series(
                column.title.render(lang),
                column.kind,
                [numeric(row[index], column.kind) for row in rows],
                [cell_text(row[index], column.kind, lang) for row in rows],
                reference,
                reference_name,
            )
        )
    return categories, series


def _no_data(title: str, lang: Language) -> str:
    said = "无数据" if lang == "zh" else "No data"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} 120" class="chart chart-empty" role="img" '
        f'aria-label="{clean(title)}: {said}" font-family="{FONT}"><title>{clean(title)}</title>'
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="119" fill="#fff" stroke="#999" stroke-dasharray="4 3"/>'
        f'<text x="{WIDTH / 2:.0f}" y="36" font-size="14" font-weight="bold" fill="{INK}" text-anchor="middle">'
        f"{clean(cut(title, WIDTH - 20, 14))}</text>"
        f'<text x="{WIDTH / 2:.0f}" y="80" font-size="16" fill="{INK}" text-anchor="middle" class="no-data">{said}</text>'
        "</svg>"
    )


def _patterns(uid: str, count: int) -> str:
    """One fill per series: the first solid, the others hatched in white over their colour."""
    marks = (
        "",
        '<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" stroke="#fff" stroke-width="1.6"/>',
        '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
        '<path d="M0,0 L8,8 M8,0 L0,8" stroke="#fff" stroke-width="1.2"/>',
        '<path d="M0,4 L8,4" stroke="#fff" stroke-width="1.6"/>',
        '<path d="M4,0 L4,8" stroke="#fff" stroke-width="1.6"/>',
        '<path d="M0,0 L8,8 M-2,6 L2,10 M6,-2 L10,2" stroke="#fff" stroke-width="1.6"/>',
        '<rect x="2" y="2" width="4" height="4" fill="#fff"/>',
    )
    out = ["<defs>"]
    for i in range(count):
        colour = COLOURS[i % len(COLOURS)]
        out.append(
            f'<pattern id="{uid}-p{i}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{colour}"/>{marks[i % len(marks)]}</pattern>'
        )
    out.append("</defs>")
    return "".join(out)


def _fill(uid: str, i: int) -> str:
    return f"url(#{uid}-p{i})"


def _value_axis(series: list[Series], stacked: bool) -> Axis:
    values: list[Decimal] = []
    if stacked:
        count = len(series[0].values)
        for c in range(count):
            up = sum((s.values[c] or Decimal(0) for s in series if (s.values[c] or 0) > 0), Decimal(0))
            down = sum((s.values[c] or Decimal(0) for s in series if (s.values[c] or 0) < 0), Decimal(0))
            values += [up, down]
    else:
        values = [v for s in series for v in s.values if v is not None]
    values += [v for s in series for v in (s.reference or []) if v is not None]
    return nice_axis(values, whole=all(s.kind == "int" for s in series))


def _unit(series: list[Series]) -> ColumnKind:
    kinds = {s.kind for s in series}
    return kinds.pop() if len(kinds) == 1 else "decimal"


def _vertical(svg: Svg, chart: Chart, categories: list[str], series: list[Series], top: float) -> float:
    """Column, line and stacked charts: categories along the bottom, values up the side."""
    axis = _value_axis(series, chart.kind == "stacked")
    unit = _unit(series)
    tick_labels = [tick_text(t, axis.step, unit) for t in axis.ticks]
    left = 16 + max(text_width(t) for t in tick_labels) + (18 if chart.y_title else 0)
    right = WIDTH - 16
    n = len(categories)
    widest = max(text_width(c) for c in categories)
    rotate = widest > (right - left) / n - 4
    if rotate:  # the first label leans left under the axis: leave it room
        left = max(left, min(LABEL_MAX, widest) * 0.77 - (right - left) / n / 2 + 8)
    slot = (right - left) / n
    label_room = min(LABEL_MAX, widest) * 0.65 + 14 if rotate else 16
    bottom = top + PLOT_HEIGHT
    height = bottom + label_room + 16

    def y(v: Decimal | float) -> float:
        return axis.at(float(v), bottom, top)

    _grid(svg, axis, tick_labels, left, right, y)
    if chart.y_title:
        text = cut(chart.y_title.render(svg.lang), PLOT_HEIGHT)
        cy = (top + bottom) / 2
        svg.text(14, cy, text, anchor="middle", extra=f' transform="rotate(-90 14 {cy:.1f})"')
    every = max(1, math.ceil(20 / slot)) if rotate else 1  # leaning labels need 20 px apart
    for c, name in enumerate(categories):
        if c % every:
            continue
        cx = left + slot * (c + 0.5)
        if rotate:
            svg.label(cx + 4, bottom + 14, name, LABEL_MAX, anchor="end", rotate=True)
        else:
            svg.label(cx, bottom + 15, name, slot - 2, anchor="middle")
    if chart.kind == "column":
        _columns(svg, categories, series, left, slot, y)
    elif chart.kind == "stacked":
        _stacks(svg, categories, series, left, slot, y)
    else:
        _lines(svg, categories, series, left, slot, y)
    zero = y(0)
    svg.add(
        f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="{INK}" stroke-width="1"/>'
    )
    svg.add(
        f'<line x1="{left:.1f}" x2="{left:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" stroke="{INK}" stroke-width="1"/>'
    )
    return height


def _grid(svg: Svg, axis: Axis, labels: list[str], left: float, right: float, y: Scale) -> None:
    for tick, label in zip(axis.ticks, labels, strict=True):
        at = y(tick)
        svg.add(
            f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{at:.1f}" y2="{at:.1f}" stroke="#ddd" stroke-width="1"/>'
        )
        svg.text(left - 6, at + 4, label, anchor="end")


def _mark_title(category: str, series: Series, c: int) -> str:
    return f"<title>{clean(_title_text(category))} · {clean(series.name)}: {clean(series.texts[c])}</title>"


def _columns(
    svg: Svg, categories: list[str], series: list[Series], left: float, slot: float, y: Scale
) -> None:
    inner = slot * 0.8
    bar = inner / len(series)
    labelled = len(categories) * len(series) <= 30 and bar >= 14
    zero = y(0)
    for c, name in enumerate(categories):
        for i, s in enumerate(series):
            value = s.values[c]
            x = left + slot * c + slot * 0.1 + bar * i
            if value is not None:
                at = y(value)
                y0, h = min(at, zero), abs(at - zero)
                svg.add(
                    f'<rect x="{x:.1f}" y="{y0:.1f}" width="{max(bar - 1, 0.5):.1f}" height="{max(h, 0.5):.1f}" '
                    f'fill="{_fill(svg.uid, i)}" stroke="{INK}" stroke-width="0.6">{_mark_title(name, s, c)}</rect>'
                )
                if labelled:
                    ty = at - 4 if value >= 0 else at + 12
                    svg.text(x + bar / 2, ty, s.texts[c], anchor="middle", size=10)
            _reference_tick(svg, s, c, x - 2, x + bar + 1, y)


def _reference_tick(svg: Svg, s: Series, c: int, x1: float, x2: float, y: Scale) -> None:
    value = s.reference[c] if s.reference is not None else None
    if value is None:
        return
    ry = y(value)
    svg.add(
        f'<line class="reference" x1="{x1:.1f}" x2="{x2:.1f}" y1="{ry:.1f}" y2="{ry:.1f}" stroke="{INK}" '
        f'stroke-width="2" stroke-dasharray="3 2"/>'
    )


def _stacks(
    svg: Svg, categories: list[str], series: list[Series], left: float, slot: float, y: Scale
) -> None:
    width = slot * 0.7
    for c, name in enumerate(categories):
        x = left + slot * c + slot * 0.15
        up = down = Decimal(0)
        for i, s in enumerate(series):
            value = s.values[c]
            if value is None or value == 0:
                continue
            if value > 0:
                a, b = up, up + value
                up = b
            else:
                a, b = down, down + value
                down = b
            ya, yb = y(a), y(b)
            y0, h = min(ya, yb), abs(ya - yb)
            svg.add(
                f'<rect x="{x:.1f}" y="{y0:.1f}" width="{max(width - 1, 0.5):.1f}" height="{max(h, 0.5):.1f}" '
                f'fill="{_fill(svg.uid, i)}" stroke="{INK}" stroke-width="0.6">{_mark_title(name, s, c)}</rect>'
            )
            label = s.texts[c]
            if h >= 13 and text_width(label, 10) + 4 <= width:
                svg.add(
                    f'<rect x="{x + width / 2 - text_width(label, 10) / 2 - 2:.1f}" y="{y0 + h / 2 - 7:.1f}" '
                    f'width="{text_width(label, 10) + 4:.1f}" height="12" fill="#fff" opacity="0.85"/>'
                )
                svg.text(x + width / 2, y0 + h / 2 + 3.5, label, anchor="middle", size=10)


def _lines(svg: Svg, categories: list[str], series: list[Series], left: float, slot: float, y: Scale) -> None:
    labelled = len(series) == 1 and len(categories) <= 24
    for i, s in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        dash = f' stroke-dasharray="{DASHES[i % len(DASHES)]}"' if DASHES[i % len(DASHES)] else ""
        runs: list[list[str]] = [[]]
        for c, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append(f"{left + slot * (c + 0.5):.1f},{y(value):.1f}")
        for run in runs:
            if len(run) > 1:
                svg.add(
                    f'<polyline class="series" fill="none" stroke="{colour}" stroke-width="2"{dash} '
                    f'points="{" ".join(run)}"/>'
                )
        _reference_line(svg, s, left, slot, y)
        _points(svg, categories, s, i, left, slot, y, labelled)


def _reference_line(svg: Svg, s: Series, left: float, slot: float, y: Scale) -> None:
    if s.reference is None:
        return
    points = [f"{left + slot * (c + 0.5):.1f},{y(v):.1f}" for c, v in enumerate(s.reference) if v is not None]
    if points:
        svg.add(
            f'<polyline class="reference" fill="none" stroke="{INK}" stroke-width="1.2" '
            f'stroke-dasharray="3 2" points="{" ".join(points)}"/>'
        )


def _points(
    svg: Svg, categories: list[str], s: Series, i: int, left: float, slot: float, y: Scale, labelled: bool
) -> None:
    colour = COLOURS[i % len(COLOURS)]
    for c, value in enumerate(s.values):
        if value is None:
            continue
        cx, cy = left + slot * (c + 0.5), y(value)
        svg.add(
            f"<g>{_mark_title(categories[c], s, c)}{_marker(MARKERS[i % len(MARKERS)], cx, cy, colour)}</g>"
        )
        if labelled:
            svg.text(cx, cy - 8, s.texts[c], anchor="middle", size=10)


def _marker(shape: str, x: float, y: float, colour: str, r: float = 4) -> str:
    fill = "#fff" if shape.endswith("-open") else colour
    stroke = f'fill="{fill}" stroke="{colour}" stroke-width="1.5"'
    if shape.startswith("circle"):
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:g}" {stroke}/>'
    if shape.startswith("square"):
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:g}" height="{2 * r:g}" {stroke}/>'
    if shape == "triangle":
        return f'<path d="M{x:.1f},{y - r - 1:.1f} L{x + r + 1:.1f},{y + r:.1f} L{x - r - 1:.1f},{y + r:.1f} Z" {stroke}/>'
    if shape == "diamond":
        return f'<path d="M{x:.1f},{y - r - 1:.1f} L{x + r + 1:.1f},{y:.1f} L{x:.1f},{y + r + 1:.1f} L{x - r - 1:.1f},{y:.1f} Z" {stroke}/>'
    if shape == "cross":
        return f'<path d="M{x - r:.1f},{y:.1f} H{x + r:.1f} M{x:.1f},{y - r:.1f} V{y + r:.1f}" stroke="{colour}" stroke-width="2.2"/>'
    return f'<path d="M{x - r:.1f},{y - r:.1f} L{x + r:.1f},{y + r:.1f} M{x + r:.1f},{y - r:.1f} L{x - r:.1f},{y + r:.1f}" stroke="{colour}" stroke-width="2.2"/>'


def _bar(svg: Svg, chart: Chart, categories: list[str], series: list[Series], top: float) -> float:
    """Horizontal bars: categories down the side (room for long names), values along the bottom."""
    axis = _value_axis(series, False)
    unit = _unit(series)
    names = [cut(c, LABEL_MAX * 1.5) for c in categories]
    negative = [t for s in series for v, t in zip(s.values, s.texts, strict=True) if v is not None and v < 0]
    # Room for the values written left of negative bars, between the names and the axis.
    room = max(text_width(t, 10) for t in negative) + 8 if negative else 0
    left = 12 + max(text_width(n) for n in names) + room
    right = WIDTH - 56
    bar = 16 if len(series) == 1 else max(8, 24 / len(series))
    slot = bar * len(series) + 8
    bottom = top + slot * len(categories)
    height = bottom + 36 + (16 if chart.y_title else 0)

    def x(v: Decimal | float) -> float:
        return axis.at(float(v), left, right)

    for tick in axis.ticks:
        at = x(tick)
        svg.add(
            f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" stroke="#ddd" stroke-width="1"/>'
        )
        svg.text(at, bottom + 16, tick_text(tick, axis.step, unit), anchor="middle")
    if chart.y_title:
        svg.text(
            (left + right) / 2,
            bottom + 32,
            cut(chart.y_title.render(svg.lang), right - left),
            anchor="middle",
        )
    zero = x(0)
    for c, name in enumerate(categories):
        y0 = top + slot * c + 4
        svg.label(left - 6 - room, y0 + slot / 2, name, LABEL_MAX * 1.5)
        for i, s in enumerate(series):
            value = s.values[c]
            yy = y0 + bar * i
            if value is not None:
                at = x(value)
                x0, w = min(at, zero), abs(at - zero)
                svg.add(
                    f'<rect x="{x0:.1f}" y="{yy:.1f}" width="{max(w, 0.5):.1f}" height="{bar - 1:.1f}" '
                    f'fill="{_fill(svg.uid, i)}" stroke="{INK}" stroke-width="0.6">{_mark_title(name, s, c)}</rect>'
                )
                if value >= 0:
                    svg.text(at + 4, yy + bar / 2 + 3.5, s.texts[c], size=10)
                else:
                    svg.text(at - 4, yy + bar / 2 + 3.5, s.texts[c], anchor="end", size=10)
            mark = s.reference[c] if s.reference is not None else None
            if mark is not None:
                rx = x(mark)
                svg.add(
                    f'<line class="reference" x1="{rx:.1f}" x2="{rx:.1f}" y1="{yy - 2:.1f}" y2="{yy + bar + 1:.1f}" '
                    f'stroke="{INK}" stroke-width="2" stroke-dasharray="3 2"/>'
                )
    svg.add(
        f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" stroke="{INK}" stroke-width="1"/>'
    )
    return height


Entry = tuple[int, str, bool]  # series index, name, whether it is the series' reference line


def _legend_rows(series: list[Series]) -> list[list[Entry]]:
    entries: list[Entry] = [(i, s.name, False) for i, s in enumerate(series)]
    entries += [(i, s.reference_name, True) for i, s in enumerate(series) if s.reference is not None]
    rows: list[list[Entry]] = [[]]
    used = 16.0
    for i, name, reference in entries:
        name = cut(name, 200)
        need = 36 + text_width(name) + 16
        if rows[-1] and used + need > WIDTH - 16:
            rows.append([])
            used = 16.0
        rows[-1].append((i, name, reference))
        used += need
    return rows


def _swatch(uid: str, kind: str, i: int, reference: bool, lx: float, ly: float) -> str:
    if reference:
        return (
            f'<line x1="{lx:.1f}" x2="{lx + 28:.1f}" y1="{ly:.1f}" y2="{ly:.1f}" stroke="{INK}" '
            f'stroke-width="2" stroke-dasharray="3 2"/>'
        )
    if kind == "line":
        colour = COLOURS[i % len(COLOURS)]
        dash = f' stroke-dasharray="{DASHES[i % len(DASHES)]}"' if DASHES[i % len(DASHES)] else ""
        return (
            f'<line x1="{lx:.1f}" x2="{lx + 28:.1f}" y1="{ly:.1f}" y2="{ly:.1f}" stroke="{colour}" stroke-width="2"{dash}/>'
            + _marker(MARKERS[i % len(MARKERS)], lx + 14, ly, colour, 3.5)
        )
    return (
        f'<rect x="{lx:.1f}" y="{ly - 6:.1f}" width="28" height="12" fill="{_fill(uid, i)}" '
        f'stroke="{INK}" stroke-width="0.6"/>'
    )


def _legend(uid: str, kind: str, rows: list[list[Entry]], top: float) -> list[str]:
    out = ['<g class="legend">']
    for r, row in enumerate(rows):
        lx, ly = 16.0, top + 18 * r
        for i, name, reference in row:
            out.append(_swatch(uid, kind, i, reference, lx, ly))
            out.append(
                f'<text x="{lx + 34:.1f}" y="{ly + 4:.1f}" font-size="11" fill="{INK}">{clean(name)}</text>'
            )
            lx += 36 + text_width(name) + 16
    out.append("</g>")
    return out


# ---------------------------------------------------------------------------------------------
# Tables as rows of shown cells (for _table.html)


@dataclass(frozen=True)
class ShownCell:
    text: str
    numeric: bool
    header: bool


def shown_rows(table: Table, language: str | None = None) -> list[list[ShownCell]]:
    """The table's rows as the HTML table shows them; the first text column heads its row."""
    lang = current_language(language)
    kinds = [c.kind for c in table.columns]
    row_header = bool(kinds) and kinds[0] == "text"
    out = []
    for row in table.rows:
        cells = []
        for i, kind in enumerate(kinds):
            value = row[i] if i < len(row) else None
            cells.append(ShownCell(cell_text(value, kind, lang), kind != "text", row_header and i == 0))
        out.append(cells)
    return out


@dataclass(frozen=True)
class Part:
    """A table and the charts drawn from it (none for a plain table), in a section's order."""

    charts: tuple[Chart, ...]
    table: Table


def section_parts(section: Section) -> list[Part]:
    """Each charted table after its charts (a table two charts share, once), then the section's
    tables no chart draws."""
    order: list[str] = []
    tables: dict[str, Table] = {}
    charts: dict[str, list[Chart]] = {}
    for chart in section.charts:
        key = chart.table.key
        if key not in tables:
            order.append(key)
            tables[key] = chart.table
        charts.setdefault(key, []).append(chart)
    parts = [Part(tuple(charts[key]), tables[key]) for key in order]
    parts += [Part((), table) for table in section.tables if table.key not in tables]
    return parts


@dataclass(frozen=True)
class Figure:
    label: Text
    value: Cell
    kind: ColumnKind


def section_figures(section: Section) -> list[Figure]:
    """The section's headline numbers with the kind each is shown as (``text`` when not given)."""
    out = []
    for figure in section.figures:
        kind: ColumnKind = figure[2] if len(figure) > 2 else "text"
        out.append(Figure(figure[0], figure[1], kind))
    return out
