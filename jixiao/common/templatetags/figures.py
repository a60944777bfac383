"""Template tags for figures: ``{% load figures %}{{ chart|svg }}``, the rows of ``_table.html``
and the parts of ``_section.html`` (each chart followed by its table)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from jixiao.common.charts import (
    Figure,
    Part,
    ShownCell,
    cell_text,
    chart_svg,
    section_figures,
    section_parts,
    shown_rows,
)
from jixiao.common.figures import Cell, Chart, ColumnKind, Section, Table

register = template.Library()


@register.filter(name="svg")
def svg(chart: Chart) -> SafeString:
    """The chart as server-made SVG in the page's language."""
    return chart_svg(chart)


@register.filter(name="cell")
def cell(value: Cell, kind: ColumnKind = "text") -> str:
    """A value as a table shows it: ``{{ fen|cell:"money" }}`` → ``1,234.56``."""
    return cell_text(value, kind)


@register.simple_tag
def table_rows(table: Table) -> list[list[ShownCell]]:
    """``{% table_rows table as rows %}``: the rows as shown (text, numeric, row header)."""
    return shown_rows(table)


@register.filter(name="parts")
def parts(section: Section) -> list[Part]:
    return section_parts(section)


@register.filter(name="headline")
def headline(section: Section) -> list[Figure]:
    return section_figures(section)
