"""Analysis (统计分析, issue 14) in a real browser: the customer-service head opens the analysis
pages, sees the department trend as a chart (server SVG) with its numbers in a table, switches to
the KPI series of customer service (转化率 first, then 客户满意度), and downloads the Excel — the
values name people, so the download asks for a reason; the workbook holds the same numbers."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from .conftest import demo_month, screenshot

pytestmark = pytest.mark.e2e


def test_head_reads_trend_and_kpi_series_and_downloads(login: Any, server: str) -> None:
    head = login("cs_head")
    head.goto(f"{server}/reports/analysis/")
    assert "客服部" in head.inner_text("#analysis-departments")
    head.click("#open-trend")
    assert "客服部" in head.inner_text("h1")
    trend = head.locator("#section-trend")
    assert trend.locator("svg").count() >= 2  # the mean line and the grade distribution
    table = trend.locator("table").first.inner_text()
    for offset in range(-6, 0):
        assert demo_month(offset) in table  # six closed months
    screenshot(head, "analysis-01-trend")

    head.click("#tab-kpi")
    assert "客服部" in head.inner_text("h1")
    assert head.locator("#measure option:checked").inner_text().strip() == "转化率"
    head.select_option("#measure", label="客户满意度")
    head.click("#analysis-filters button[type=submit]")
    kpi = head.locator("#section-kpi")
    assert kpi.locator("svg").count() >= 1
    series = kpi.locator("table").first.inner_text()
    assert demo_month(-1) in series and "satisfaction" not in head.inner_text("main")  # names, not codes
    screenshot(head, "analysis-02-kpi")

    head.fill("form.export-form input[name=reason]", "月度客服满意度分析")
    with head.expect_download() as info:
        head.click("form.export-form button[type=submit]")
    with open(info.value.path(), "rb") as downloaded:
        data = downloaded.read()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    cells = [
        str(c) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for c in row
    ]
    assert any(demo_month(-1) in c for c in cells)
    assert any("客户满意度" in c for c in cells)
    assert any(
        n.startswith("xl/charts/chart") for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
    )  # a native chart
