"""Figures as an Excel workbook: a cover sheet, then one sheet per section, with native charts.

Each section's headline figures, paragraphs and tables are written as typed cells (counts and
Decimals as numbers, money from fen to yuan as a number formatted ``0.00``, fractions as
``0.0%``, text always as text: a cell that starts with "=" is never a formula). Each
:class:`~jixiao.common.figures.Chart` becomes a native Excel chart beside its table that refers
to the cells just written (its title and series names too), so what Excel draws is the table.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from jixiao.engine.text import Language, Text

from .charts import Part, cell_text, current_language, section_figures, section_parts, text_width
from .errors import JixiaoError
from .figures import Cell, Chart, ColumnKind, Section, Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL = 32_767  # Excel's longest cell text
MAX_ROWS = 1_048_576
CHART_WIDTH, CHART_HEIGHT = 640, 320
ROW_PX = 20  # a default row's height in pixels
_SHEET_BAD = re.compile(r"[\[\]:*?/\\'\x00-\x1f]")
EXCEL_TYPES = {
    "column": ("column", None),
    "bar": ("bar", None),
    "line": ("line", None),
    "stacked": ("column", "stacked"),
}


def table_sections(*tables: Table, title: Text | None = None, key: str = "data") -> tuple[Section, ...]:
    """Wrap the tables of a list page into one section (one sheet) for its download."""
    if not tables:
        return ()
    return (Section(key=key, title=title or tables[0].title, tables=tuple(tables)),)


def workbook_response(
    title: Text, sections: Sequence[Section], filename: str, language: str | None = None
) -> HttpResponse:
    """The workbook as a download named ``filename`` (Chinese kept, RFC 5987)."""
    response = HttpResponse(workbook_bytes(title, sections, language), content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment(filename)
    return response


def attachment(filename: str) -> str:
    """``attachment; filename="…"; filename*=UTF-8''…``: an ASCII stand-in for old clients and
    the real (Chinese) name for everyone else; quotes, slashes and line breaks cannot get in."""
    filename = re.sub(r"[\x00-\x1f\x7f/\\]", "_", filename).strip() or "download"
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def workbook_bytes(title: Text, sections: Sequence[Section], language: str | None = None) -> bytes:
    """The xlsx file: a cover sheet (title, time generated, contents), then one sheet per section."""
    lang = current_language(language)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    writer = _Writer(book, lang)
    names = _sheet_names([Text("封面", "Cover")] + [s.title for s in sections], sections, lang)
    cover = book.add_worksheet(names[0])
    for name, section in zip(names[1:], sections, strict=True):
        writer.section(book.add_worksheet(name), name, section)
    writer.cover(cover, title, list(zip(names[1:], sections, strict=True)))
    book.close()
    return buffer.getvalue()


def sheet_name(text: str) -> str:
    """A legal sheet name: no ``[]:*?/\\'``, at most 31 characters, never empty."""
    cleaned = _SHEET_BAD.sub("_", text).strip() or "_"
    return cleaned[:31]


def _sheet_names(titles: list[Text], sections: Sequence[Section], lang: Language) -> list[str]:
    """Unique sheet names (Excel ignores case; "History" is reserved)."""
    used = {"history"}
    out = []
    for position, title in enumerate(titles):
        base = sheet_name(title.render(lang))
        if base == "_" and position > 0:
            base = sheet_name(sections[position - 1].key)
        name, n = base, 1
        while name.lower() in used:
            n += 1
            suffix = f"({n})"
            name = base[: 31 - len(suffix)] + suffix
        used.add(name.lower())
        out.append(name)
    return out


class _Writer:
    """Writes sections into sheets with one set of formats per workbook."""

    def __init__(self, book: Workbook, lang: Language) -> None:
        self.book = book
        self.lang = lang
        self.big = book.add_format({"bold": True, "font_size": 16})
        self.bold = book.add_format({"bold": True, "font_size": 12})
        self.header = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.muted = book.add_format({"italic": True, "font_color": "#555555"})
        self.link = book.add_format({"font_color": "#0B5CAD", "underline": 1})
        self.formats: dict[str, Any] = {}

    def number_format(self, pattern: str) -> Any:
        if pattern not in self.formats:
            self.formats[pattern] = self.book.add_format({"num_format": pattern})
        return self.formats[pattern]

    def say(self, text: Text | str) -> str:
        said = text.render(self.lang) if isinstance(text, Text) else text
        return said[:MAX_CELL]

    # -- the cover ---------------------------------------------------------------------------

    def cover(self, sheet: Worksheet, title: Text, contents: list[tuple[str, Section]]) -> None:
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 60)
        sheet.write_string(0, 0, self.say(title), self.big)
        generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        sheet.write_string(2, 0, self.say(Text("生成时间", "Generated")), self.bold)
        sheet.write_string(2, 1, generated)
        sheet.write_string(4, 0, self.say(Text("目录", "Contents")), self.bold)
        for row, (name, section) in enumerate(contents, start=5):
            target = "internal:'" + name.replace("'", "''") + "'!A1"
            sheet.write_url(row, 0, target, self.link, string=name)
            sheet.write_string(row, 1, self.say(section.title))

    # -- a section ---------------------------------------------------------------------------

    def section(self, sheet: Worksheet, name: str, section: Section) -> None:
        widths: dict[int, float] = {0: 14}
        sheet.write_string(0, 0, self.say(section.title), self.big)
        row = 2
        for figure in section_figures(section):
            sheet.write_string(row, 0, self.say(figure.label))
            self.cell(sheet, row, 1, figure.value, figure.kind)
            widths[0] = max(widths[0], min(40, text_width(self.say(figure.label), 1) + 2))
            row += 1
        if section.figures:
            row += 1
        for paragraph in section.paragraphs:
            sheet.merge_range(row, 0, row, 9, "", self.wrap)
            said = self.say(paragraph)
            sheet.write_string(row, 0, said, self.wrap)
            lines = sum(max(1, math.ceil(text_width(line, 1) / 100)) for line in said.split("\n"))
            sheet.set_row(row, min(409, 15 * lines))
            row += 1
        if section.paragraphs:
            row += 1
        for part in section_parts(section):
            row = self.table(sheet, name, row, part, widths)
        for column, width in widths.items():
            sheet.set_column(column, column, width)

    def table(self, sheet: Worksheet, name: str, top: int, part: Part, widths: dict[int, float]) -> int:
        """Write ``part``'s table at row ``top`` (its chart beside it); return the next free row."""
        table = part.table
        if top + len(table.rows) + 4 >= MAX_ROWS:
            raise JixiaoError(
                zh=f"表“{table.title.zh}”行数过多（{len(table.rows)} 行），超出 Excel 的上限。",
                en=f"The table “{table.title.en or table.title.zh}” has too many rows ({len(table.rows)}) for Excel.",
                code="too_many_rows",
            )
        sheet.write_string(top, 0, self.say(table.title), self.bold)
        head = top + 1
        kinds = [column.kind for column in table.columns]
        for c, column in enumerate(table.columns):
            title = self.say(column.title)
            sheet.write_string(head, c, title, self.header)
            widths[c] = max(widths.get(c, 8), min(40, text_width(title, 1) + 2))
        self.rows(sheet, table, head + 1, widths)
        last = head + len(table.rows)
        if not table.rows:
            last += 1
            sheet.write_string(last, 0, self.say(Text("无数据", "No data")), self.muted)
        if table.note is not None:
            last += 1
            sheet.write_string(last, 0, self.say(table.note), self.muted)
        used = last - top + 1
        if table.rows:
            at = len(kinds) + 1
            for chart in part.charts:  # side by side, each about ten columns wide
                used = max(used, self.chart(sheet, name, chart, top, head, len(kinds), at))
                at += math.ceil(CHART_WIDTH / 64) + 1
        return top + used + 2

    def rows(self, sheet: Worksheet, table: Table, first: int, widths: dict[int, float]) -> None:
        """The table's rows from row ``first``; columns widened to fit the first 50 rows."""
        kinds = [column.kind for column in table.columns]
        for r, values in enumerate(table.rows):
            for c, kind in enumerate(kinds):
                value = values[c] if c < len(values) else None
                self.cell(sheet, first + r, c, value, kind)
                if r < 50:
                    shown = cell_text(value, kind, self.lang) if kind == "text" else "0,000,000.00"
                    widths[c] = max(widths.get(c, 8), min(50, text_width(shown, 1) + 2))

    def cell(self, sheet: Worksheet, row: int, column: int, value: Cell, kind: ColumnKind) -> None:
        """One typed cell: text as text (never a formula), numbers as numbers with their format."""
        if value is None:
            return
        if isinstance(value, Text | str):
            sheet.write_string(row, column, self.say(value))
            return
        number = Decimal(value)
        if not number.is_finite():
            return
        if kind == "money":
            sheet.write_number(row, column, float(number.scaleb(-2)), self.number_format("0.00"))
        elif kind == "percent":
            sheet.write_number(row, column, float(number), self.number_format("0.0%"))
        elif isinstance(value, int):
            sheet.write_number(row, column, value, self.number_format("0"))
        else:
            places = min(10, max(0, -int(number.as_tuple().exponent)))
            sheet.write_number(
                row, column, float(number), self.number_format("0." + "0" * places if places else "0")
            )

    def chart(
        self, sheet: Worksheet, name: str, chart: Chart, top: int, head: int, width: int, at: int
    ) -> int:
        """A native chart of the cells just written, beside the table; return the rows it covers."""
        drawn = [s for s in chart.series if 0 <= s < width]
        if not drawn or not 0 <= chart.category < width:
            return 0  # nothing to draw: no chart rather than an empty one Excel complains about
        kind, subtype = EXCEL_TYPES.get(chart.kind, ("column", None))
        options = {"type": kind} | ({"subtype": subtype} if subtype else {})
        excel = self.book.add_chart(options)
        if excel is None:  # pragma: no cover - only for an unknown type
            return 0
        first, last = head + 1, head + len(chart.table.rows)
        sheet.write_string(top, at, self.say(chart.title), self.bold)
        categories = [name, first, chart.category, last, chart.category]
        for position, index in enumerate(drawn):
            series: dict[str, Any] = {
                "name": [name, head, index],
                "categories": categories,
                "values": [name, first, index, last, index],
            }
            if chart.kind == "line":
                series["marker"] = {
                    "type": ("circle", "square", "triangle", "diamond", "x", "star")[position % 6]
                }
                series["line"] = {
                    "dash_type": ("solid", "dash", "round_dot", "dash_dot", "long_dash", "square_dot")[
                        position % 6
                    ]
                }
            excel.add_series(series)
        self._references(excel, chart, name, categories, first, last, width)
        excel.set_title({"name": [name, top, at], "name_font": {"size": 12}})
        if chart.y_title is not None:
            axis = {"name": " " + self.say(chart.y_title)}
            (excel.set_x_axis if chart.kind == "bar" else excel.set_y_axis)(axis)
        if len(chart.series) < 2 and chart.kind != "stacked" and not chart.references:
            excel.set_legend({"none": True})
        else:
            excel.set_legend({"position": "bottom"})
        height = CHART_HEIGHT
        if chart.kind == "bar":
            height = min(4000, max(CHART_HEIGHT, 18 * len(chart.table.rows) * max(1, len(chart.series)) + 80))
        excel.set_size({"width": CHART_WIDTH, "height": height})
        sheet.insert_chart(top + 1, at, excel, {"object_position": 1})
        return math.ceil(height / ROW_PX) + 2

    def _references(
        self, excel: Any, chart: Chart, name: str, categories: list[Any], first: int, last: int, width: int
    ) -> None:
        """Reference values (quotas) as a dashed line over a column or stacked chart."""
        refs = [r for r in chart.references if r is not None and 0 <= r < width]
        if not refs or chart.kind in ("bar", "line"):
            if refs and chart.kind == "line":
                for ref in refs:
                    excel.add_series(
                        {
                            "name": [name, first - 1, ref],
                            "categories": categories,
                            "values": [name, first, ref, last, ref],
                            "line": {"dash_type": "dash", "color": "#1F2933", "width": 1.25},
                            "marker": {"type": "none"},
                        }
                    )
            return
        line = self.book.add_chart({"type": "line"})
        if line is None:  # pragma: no cover
            return
        for ref in refs:
            line.add_series(
                {
                    "name": [name, first - 1, ref],
                    "categories": categories,
                    "values": [name, first, ref, last, ref],
                    "line": {"dash_type": "dash", "color": "#1F2933", "width": 1.5},
                    "marker": {"type": "dash", "size": 10},
                }
            )
        excel.combine(line)
