"""Server-made SVG charts and the HTML table/section partials (issue 14): well-formed, escaped,
readable without colour, and unbroken by empty, negative, zero, one-row and 200-row data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from jixiao.common.charts import cell_text, chart_svg, nice_axis, section_parts, text_width
from jixiao.common.figures import Chart, ChartKind, Column, Section, Table
from jixiao.engine.text import Text

SVG = "{http://www.w3.org/2000/svg}"
KINDS: tuple[ChartKind, ...] = ("column", "bar", "line", "stacked")
HOSTILE = '<script>alert("x")</script> & 部门 ]]> \x00\x07' + "长" * 20_000


def grades(rows: list[tuple[object, ...]]) -> Table:
    return Table(
        key="grades",
        title=Text("等级分布", "Grade distribution"),
        columns=(
            Column(Text("部门", "Department")),
            Column(Text("A 等", "Grade A"), "int"),
            Column(Text("B 等", "Grade B"), "int"),
            Column(Text("A 占比", "Share of A"), "percent"),
            Column(Text("奖金", "Bonus"), "money"),
            Column(Text("A 配额", "Quota of A"), "percent"),
            Column(Text("平均分", "Mean score"), "decimal"),
        ),
        rows=tuple(rows),  # type: ignore[arg-type]
    )


def sample(n: int = 4) -> Table:
    return grades(
        [
            (f"部门{i}", i, 3 - i, Decimal(i) / 10, 123_456 * i, Decimal("0.2"), Decimal("85.5") + i)
            for i in range(n)
        ]
    )


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_well_formed_titled_and_has_no_inline_style(kind: ChartKind) -> None:
    svg = chart_svg(Chart(kind, Text("等级分布图", "Grades"), sample(), series=(1, 2)), "zh")
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "等级分布图"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}title").text == "等级分布图"  # type: ignore[union-attr]
    assert "style=" not in svg  # the CSP forbids inline styles
    assert "部门3" in texts(root)
    # two series: a legend naming both
    legend = root.find(f"{SVG}g[@class='legend']")
    assert legend is not None and {"A 等", "B 等"} <= set(texts(legend))


def test_english_labels_when_asked() -> None:
    root = parse(chart_svg(Chart("column", Text("等级分布图", "Grades"), sample(), series=(1, 2)), "en"))
    assert root.get("aria-label") == "Grades" and "Grade A" in texts(root)
    with translation.override("en"):
        assert parse(chart_svg(Chart("line", Text("图", "Chart"), sample()))).get("aria-label") == "Chart"


def test_series_differ_by_more_than_colour() -> None:
    root = parse(chart_svg(Chart("line", Text("趋势"), sample(), series=(1, 2, 6)), "zh"))
    dashes = [p.get("stroke-dasharray") for p in root.iter(f"{SVG}polyline") if p.get("class") == "series"]
    assert len(set(dashes)) == 3  # solid, dashed, dotted
    bars = parse(chart_svg(Chart("column", Text("柱"), sample(), series=(1, 2)), "zh"))
    patterns = bars.findall(f".//{SVG}pattern")
    assert len(patterns) == 2 and len(patterns[1]) > len(patterns[0])  # the second is hatched


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_text_is_escaped_cut_and_kept_whole_in_a_title(kind: ChartKind) -> None:
    table = grades([(HOSTILE, 1, 2, Decimal("0.1"), 100, None, Decimal(1))])
    hostile_title = Text('<b>"标题"</b> & co', "")
    svg = chart_svg(Chart(kind, hostile_title, table, series=(1, 2)), "zh")
    root = parse(svg)
    assert "<script>" not in svg and "<b>" not in svg and "\x00" not in svg
    assert root.get("aria-label") == '<b>"标题"</b> & co'
    shown = [t for t in texts(root) if "script" in t]
    assert shown and all(len(t) < 60 and t.endswith("…") for t in shown)
    full = [t.text for t in root.iter(f"{SVG}title") if t.text and t.text.startswith("<script>")]
    assert full and all(len(t) < 560 for t in full)  # the full label (capped at 500 characters) in a <title>


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_table_draws_no_data(kind: ChartKind) -> None:
    root = parse(chart_svg(Chart(kind, Text("空", "Empty"), grades([])), "zh"))
    assert "无数据" in texts(root) and root.get("role") == "img"
    root = parse(chart_svg(Chart(kind, Text("空", "Empty"), grades([])), "en"))
    assert "No data" in texts(root)
    # rows whose series cells are all empty (or NaN) are no data too
    nothing = grades([("甲", None, None, Decimal("NaN"), None, None, Decimal("sNaN"))])
    assert "无数据" in texts(parse(chart_svg(Chart(kind, Text("空"), nothing, series=(1, 3, 6)), "zh")))


@pytest.mark.parametrize("kind", KINDS)
def test_negative_zero_one_and_many_rows(kind: ChartKind) -> None:
    negative = grades(
        [("甲", -5, -1, Decimal("-0.25"), -12_345, None, Decimal("-3.5")), ("乙", 2, 0, None, 0, None, 0)]
    )
    zeros = grades(
        [("甲", 0, 0, Decimal(0), 0, None, Decimal(0)), ("乙", 0, 0, Decimal(0), 0, None, Decimal(0))]
    )
    one = grades([("甲", 7, 1, Decimal("0.5"), 1, None, Decimal("0.001"))])
    many = grades(
        [
            (f"第{i}个很长的部门名称", i * 3 - 250, i, Decimal(i) / 200, i * 999, None, Decimal(i))
            for i in range(200)
        ]
    )
    for table in (negative, zeros, one, many):
        for series in ((1,), (1, 2), (3,), (4,), (6,)):
            root = parse(chart_svg(Chart(kind, Text("图"), table, series=series), "zh"))
            assert root.get("data-rows") == str(len(table.rows))
            for element in root.iter():
                for name in ("x", "y", "width", "height", "x1", "x2", "y1", "y2"):
                    value = element.get(name)
                    if value is not None:
                        assert re.fullmatch(r"-?\d+(\.\d+)?", value), (name, value)


def test_the_first_rotated_label_stays_inside_the_picture() -> None:
    table = grades([(f"客户服务中心第{i}组", i, 0, None, 0, None, 0) for i in range(12)])
    root = parse(chart_svg(Chart("column", Text("图"), table), "zh"))
    labels = [t for t in root.iter(f"{SVG}text") if t.get("transform")]
    first = labels[0]
    assert float(first.get("x", "0")) - text_width(first.text or "") * 0.77 >= 0


def test_a_negative_bar_goes_below_zero() -> None:
    table = grades([("甲", 4, 0, None, 0, None, 0), ("乙", -4, 0, None, 0, None, 0)])
    root = parse(chart_svg(Chart("column", Text("图"), table), "zh"))
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    up, down = bars
    assert float(up.get("y", 0)) + float(up.get("height", 0)) == pytest.approx(
        float(down.get("y", 0)), abs=0.2
    )


def test_a_negative_bars_value_stays_clear_of_its_name() -> None:
    """The value written left of a negative bar ends before the bar; the name ends before the value."""
    columns = (Column(Text("评分者")), Column(Text("宽严"), "decimal"))
    table = Table("lenient", Text("宽严"), columns, (("丁军", Decimal("-0.6")),))
    root = parse(chart_svg(Chart("bar", Text("宽严"), table), "zh"))
    by_text = {t.text: t for t in root.iter(f"{SVG}text") if t.text}
    name, value = by_text["丁军"], by_text["-0.6"]
    value_start = float(value.get("x", 0)) - text_width("-0.6", 10)
    assert name.get("text-anchor") == value.get("text-anchor") == "end"
    assert float(name.get("x", 0)) <= value_start


def test_money_is_drawn_in_yuan_and_percent_in_percent() -> None:
    root = parse(chart_svg(Chart("column", Text("奖金"), sample(), series=(4,)), "zh"))
    assert "3,703.68" in texts(root)  # 370,368 fen
    assert any(t.replace(",", "") == "4000" for t in texts(root))  # an axis tick in yuan
    root = parse(chart_svg(Chart("column", Text("占比"), sample(), series=(3,), references=(5,)), "zh"))
    assert "30.0%" in texts(root) and any(t.endswith("%") and "." not in t for t in texts(root))
    assert len([e for e in root.iter() if e.get("class") == "reference"]) == 4  # the quota, dashed
    legend = root.find(f"{SVG}g[@class='legend']")
    assert legend is not None and texts(legend) == ["A 占比", "A 配额"]  # the dashed line is named


def test_nice_axis_covers_zero_and_the_values() -> None:
    axis = nice_axis([Decimal("3.7"), Decimal("-1.2")])
    assert axis.low <= -1.2 and axis.high >= 3.7 and Decimal(0) in axis.ticks
    assert nice_axis([Decimal(0)]).ticks[-1] > 0
    assert nice_axis([Decimal("1E+30")]).high >= 1e30
    assert len(nice_axis([Decimal("0.0001"), Decimal("0.0003")]).ticks) <= 12


def test_cells_as_people_read_them() -> None:
    assert cell_text(123_456, "money") == "1,234.56"
    assert cell_text(-5, "money") == "-0.05"
    assert cell_text(Decimal("0.125"), "percent") == "12.5%"
    assert cell_text(Decimal("0.12549"), "percent") == "12.5%"
    assert cell_text(12_345, "int") == "12,345"
    assert cell_text(Decimal("85.50"), "decimal") == "85.50"
    assert cell_text(Decimal("NaN"), "decimal") == "—"
    assert cell_text(None, "money") == ""
    assert cell_text(Text("是", "yes"), "text", "en") == "yes"


def test_the_table_partial_is_accessible_and_formats_numbers() -> None:
    table = grades(
        [("客服<部>", 3, 1, Decimal("0.25"), 123_456, Decimal("0.2"), Decimal("85.50"))],
    )
    html = render_to_string(
        "_table.html", {"table": Table(**{**table.__dict__, "note": Text("少于 3 件，不细分")})}
    )
    assert "<caption>等级分布</caption>" in html
    assert html.count('<th scope="col"') == 7 and '<th scope="row">客服&lt;部&gt;</th>' in html
    assert '<td class="num">1,234.56</td>' in html and '<td class="num">25.0%</td>' in html
    assert '<td class="num">85.50</td>' in html and "少于 3 件，不细分" in html
    assert "style=" not in html
    empty = render_to_string("_table.html", {"table": grades([])})
    assert 'colspan="7"' in empty


def test_the_section_partial_shows_each_chart_then_its_table_once() -> None:
    table = sample()
    other = Table("other", Text("其他表"), (Column(Text("项")),), (("<i>用户文字</i>",),))
    chart = Chart("column", Text("等级分布图"), table, series=(1, 2))
    section = Section(
        key="dist",
        title=Text("等级分布", "Distribution"),
        paragraphs=(Text("第一段\n第二段"),),
        tables=(table, other),
        charts=(chart,),
        figures=(
            (Text("人数"), 1234),
            (Text("奖金总额"), 123_456, "money"),
            (Text("覆盖率"), Decimal("0.975"), "percent"),
        ),
    )
    assert [(p.table.key, len(p.charts)) for p in section_parts(section)] == [("grades", 1), ("other", 0)]
    html = render_to_string("_section.html", {"section": section})
    assert html.count("<caption>") == 2 and html.count("<svg") == 1
    assert (
        html.index("<svg")
        < html.index("<caption>等级分布</caption>")
        < html.index("<caption>其他表</caption>")
    )
    assert "<dd>1,234</dd>" in html and "<dd>1,234.56</dd>" in html and "<dd>97.5%</dd>" in html
    assert "第一段<br>第二段" in html and "&lt;i&gt;用户文字&lt;/i&gt;" in html
    assert "style=" not in html


def test_counts_get_whole_ticks() -> None:
    assert all(t == t.to_integral_value() for t in nice_axis([Decimal(11)], whole=True).ticks)
    assert nice_axis([Decimal(1)], whole=True).step == 1


def test_a_numeric_category_is_a_name() -> None:
    table = Table(
        "y", Text("年度"), (Column(Text("年"), "int"), Column(Text("人数"), "int")), ((2025, 3), (2026, 5))
    )
    assert {"2025", "2026"} <= set(texts(parse(chart_svg(Chart("line", Text("趋势"), table), "zh"))))


def test_two_identical_charts_on_one_page_have_their_own_pattern_ids() -> None:
    chart = Chart("column", Text("图"), sample(), series=(1, 2))
    first, second = parse(chart_svg(chart, "zh")), parse(chart_svg(chart, "zh"))
    ids = [p.get("id") for root in (first, second) for p in root.iter(f"{SVG}pattern")]
    assert len(ids) == 4 and len(set(ids)) == 4
