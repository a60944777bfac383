"""Figures: the tables and charts a report or an analysis page shows, as plain data.

One shape for every figure, so that one renderer makes the web page's SVG (``common.charts``),
one makes the Excel workbook with native charts (``common.workbook``) and the PDF reuses the
web page's SVG: a section's numbers are computed once and shown three ways, always the same.

Cells are ``str`` (user text: written as text, never a formula), ``Text`` (bilingual labels),
``int`` (counts, or fen where the column's kind is ``money``), ``Decimal`` (scores, rates;
``percent`` columns hold a fraction, 0.25 = 25 %) or ``None`` (empty).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from jixiao.engine.text import Text

Cell = str | Text | int | Decimal | None
ColumnKind = Literal["text", "int", "decimal", "percent", "money"]
ChartKind = Literal["column", "bar", "line", "stacked"]


@dataclass(frozen=True)
class Column:
    title: Text
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class Table:
    """A titled grid; ``key`` is short ASCII, unique in its section (Excel names ranges by it)."""

    key: str
    title: Text
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: Text | None = None  # e.g. why a breakdown is withheld (fewer than 3 allegations)


@dataclass(frozen=True)
class Chart:
    """A chart of ``table``: categories from column ``category``, one series per ``series`` column."""

    kind: ChartKind
    title: Text
    table: Table
    category: int = 0
    series: tuple[int, ...] = (1,)
    y_title: Text | None = None
    # A reference line (e.g. a quota) per series index, drawn dashed; empty for none:
    # ``references[i]`` is the column of ``table`` holding series i's reference value per
    # category (None: no reference for that series).
    references: tuple[int | None, ...] = ()


@dataclass(frozen=True)
class Section:
    """One part of a report: paragraphs, tables, charts (one Excel sheet, one heading in the PDF)."""

    key: str
    title: Text
    paragraphs: tuple[Text, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    # Headline numbers: (label, value) or (label, value, kind) — the kind says how to show it
    # (``money``: the int is fen, shown in yuan; ``percent``: a fraction); without one, as a cell.
    figures: tuple[tuple[Text, Cell] | tuple[Text, Cell, ColumnKind], ...] = field(default=())
