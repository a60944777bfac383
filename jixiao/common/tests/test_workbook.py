"""Figures as an Excel workbook (issue 14): typed cells, user text never a formula, sheet names
Excel accepts, and native charts that refer to the cells written."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from python_calamine import CalamineWorkbook

from jixiao.common.figures import Chart, Column, Section, Table
from jixiao.common.workbook import (
    XLSX_TYPE,
    attachment,
    sheet_name,
    table_sections,
    workbook_bytes,
    workbook_response,
)
from jixiao.engine.text import Text


def grades() -> Table:
    return Table(
        key="grades",
        title=Text("等级分布", "Grade distribution"),
        columns=(
            Column(Text("部门", "Department")),
            Column(Text("A 等", "Grade A"), "int"),
            Column(Text("B 等", "Grade B"), "int"),
            Column(Text("A 占比", "Share of A"), "percent"),
            Column(Text("奖金", "Bonus"), "money"),
            Column(Text("平均分", "Mean"), "decimal"),
            Column(Text("A 配额", "Quota of A"), "percent"),
        ),
        rows=(
            ("=1+1", 3, 1, Decimal("0.75"), 123_457, Decimal("85.50"), Decimal("0.2")),
            (
                Text("客服部", "Customer service"),
                0,
                -2,
                Decimal("0.125"),
                -5,
                Decimal("-1.25"),
                Decimal("0.2"),
            ),
            ("@SUM(A1)", None, 4, None, 0, Decimal("NaN"), Decimal("0.2")),
        ),
        note=Text("少于 3 件的部门不细分", "No breakdown below 3"),
    )


def report() -> list[Section]:
    table = grades()
    other = Table(
        "other", Text("其他"), (Column(Text("项")), Column(Text("数"), "int")), (("+cmd|' /C calc'!A0", 7),)
    )
    return [
        Section(
            key="dist",
            title=Text("等级分布：各部门 [全部]/对比?", "Distribution"),
            paragraphs=(Text('=HYPERLINK("http://x")\n结论第二行'),),
            tables=(table, other),
            charts=(
                Chart("column", Text("各部门等级"), table, series=(1, 2), references=(None,)),
                Chart("stacked", Text("堆叠"), table, series=(1, 2)),
            ),
            figures=(
                (Text("人数"), 12),
                (Text("奖金总额"), 123_456, "money"),
                (Text("覆盖率"), Decimal("0.975"), "percent"),
            ),
        ),
        Section(
            key="trend", title=Text("等级分布：各部门 [全部]/对比?", "Distribution again"), tables=(other,)
        ),
        Section(
            key="empty",
            title=Text("空"),
            tables=(Table("none", Text("无行"), (Column(Text("项")),), ()),),
            charts=(
                Chart(
                    "line",
                    Text("空图"),
                    Table("none", Text("无行"), (Column(Text("项")), Column(Text("数"), "int")), ()),
                ),
            ),
        ),
    ]


def read(data: bytes) -> CalamineWorkbook:
    return CalamineWorkbook.from_filelike(io.BytesIO(data))


def rows_of(book: CalamineWorkbook, name: str) -> list[list[Any]]:
    return book.get_sheet_by_name(name).to_python()


def test_a_cover_then_one_legal_unique_sheet_per_section() -> None:
    book = read(workbook_bytes(Text("绩效考核月报 2026-10", "Monthly report"), report(), "zh"))
    names = book.sheet_names
    assert names[0] == "封面" and len(names) == 4
    assert len({n.lower() for n in names}) == 4
    for name in names:
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    cover = rows_of(book, "封面")
    assert cover[0][0] == "绩效考核月报 2026-10" and cover[2][0] == "生成时间"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", str(cover[2][1]))
    assert [row[0] for row in cover[5:8]] == names[1:]
    english = read(workbook_bytes(Text("绩效考核月报", "Monthly report"), report(), "en"))
    assert english.sheet_names[0] == "Cover" and rows_of(english, "Cover")[0][0] == "Monthly report"


def test_sheet_names_are_cut_and_cleaned() -> None:
    assert sheet_name("a[b]c:d*e?f/g\\h'i") == "a_b_c_d_e_f_g_h_i"
    assert len(sheet_name("长" * 100)) == 31 and sheet_name("   ") == "_"


def test_cells_are_typed_and_user_text_stays_text() -> None:
    data = workbook_bytes(Text("月报"), report(), "zh")
    book = read(data)
    sheet = rows_of(book, book.sheet_names[1])
    assert sheet[0][0] == "等级分布：各部门 [全部]/对比?"
    assert sheet[2][:2] == ["人数", 12]  # a count
    assert sheet[3][:2] == ["奖金总额", 1234.56]  # fen → yuan
    assert sheet[4][:2] == ["覆盖率", 0.975]
    assert sheet[6][0] == '=HYPERLINK("http://x")\n结论第二行'
    head = next(i for i, row in enumerate(sheet) if row[0] == "部门")
    assert sheet[head - 1][0] == "等级分布" and sheet[head][:3] == ["部门", "A 等", "B 等"]
    first, second, third = sheet[head + 1], sheet[head + 2], sheet[head + 3]
    assert first[:6] == ["=1+1", 3, 1, 0.75, 1234.57, 85.5]
    assert second[:6] == ["客服部", 0, -2, 0.125, -0.05, -1.25]
    assert third[0] == "@SUM(A1)" and third[1] == "" and third[5] == ""  # None and NaN stay empty
    assert sheet[head + 4][0] == "少于 3 件的部门不细分"
    # No formula anywhere: the sheets' XML has no <f> element, and the cell is a (shared) string.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode()
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert "=1+1" in strings and "+cmd|" in strings


def test_number_formats_are_the_ones_asked() -> None:
    data = workbook_bytes(Text("月报"), report(), "zh")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert 'formatCode="0.00"' in styles and 'formatCode="0.0%"' in styles


def test_native_charts_refer_to_the_written_cells() -> None:
    data = workbook_bytes(Text("月报"), report(), "zh")
    names = read(data).sheet_names
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = sorted(n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        assert charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]  # the empty table draws none
        first = archive.read("xl/charts/chart1.xml").decode()
        second = archive.read("xl/charts/chart2.xml").decode()
        drawing = archive.read("xl/worksheets/_rels/sheet2.xml.rels").decode()
    refs = {ref.replace("'", "") for ref in re.findall(r"<c:f>(.*?)</c:f>", first)}
    sheet = names[1]
    assert all(ref.split("!")[0] == sheet for ref in refs)
    book_rows = rows_of(read(data), sheet)
    head = next(i for i, row in enumerate(book_rows) if row[0] == "部门") + 1  # 1-based
    assert f"{sheet}!$A${head + 1}:$A${head + 3}" in refs  # categories
    assert f"{sheet}!$B${head + 1}:$B${head + 3}" in refs and f"{sheet}!$C${head + 1}:$C${head + 3}" in refs
    assert f"{sheet}!$B${head}" in refs  # the series is named by its header cell
    assert "<c:barChart>" in first and '<c:grouping val="clustered"/>' in first
    assert '<c:grouping val="stacked"/>' in second
    assert "drawing" in drawing


def test_a_quota_reference_is_a_dashed_line_over_the_columns() -> None:
    table = grades()
    section = Section(
        "q", Text("配额"), charts=(Chart("column", Text("占比"), table, series=(3,), references=(6,)),)
    )
    data = workbook_bytes(Text("月报"), [section], "zh")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in chart and "<c:lineChart>" in chart and 'prstDash val="dash"' in chart
    assert "$G$5:$G$7" in chart  # title row 3, header row 4, rows 5-7


def test_two_hundred_rows_and_a_bar_chart() -> None:
    rows = tuple((f"第{i}个部门", i, i * 2, Decimal(i) / 200, i * 100, Decimal(i), None) for i in range(200))
    table = Table("many", Text("多行"), grades().columns, rows)
    section = Section("m", Text("多行"), charts=(Chart("bar", Text("横向"), table, series=(1,)),))
    data = workbook_bytes(Text("月报"), [section], "zh")
    sheet = rows_of(read(data), read(data).sheet_names[1])
    assert sheet[-1][:5] == ["第199个部门", 199, 398, 0.995, 199]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert '<c:barDir val="bar"/>' in chart and "$A$5:$A$204" in chart


def test_table_sections_and_the_download_response() -> None:
    table = grades()
    (section,) = table_sections(table)
    assert section.tables == (table,) and section.title == table.title
    assert table_sections() == ()
    response = workbook_response(Text("结果"), table_sections(table), "绩效结果 2026-10.xlsx", "zh")
    assert response["Content-Type"] == XLSX_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''%E7%BB%A9%E6%95%88%E7%BB%93%E6%9E%9C%202026-10.xlsx" in disposition
    assert read(response.content).sheet_names == ["封面", "等级分布"]
    hostile = attachment('a"b\r\nSet-Cookie: x/..\\y.xlsx')
    assert "\r" not in hostile and "\n" not in hostile and hostile.count('"') == 2


def test_a_chart_of_columns_that_do_not_exist_is_left_out() -> None:
    table = grades()
    section = Section("x", Text("错"), charts=(Chart("line", Text("无"), table, series=(99, -1)),))
    data = workbook_bytes(Text("月报"), [section], "zh")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not [n for n in archive.namelist() if n.startswith("xl/charts/")]
    assert rows_of(read(data), read(data).sheet_names[1])[4][0] == "=1+1"  # the table is still there
