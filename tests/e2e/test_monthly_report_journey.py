"""The monthly report (绩效考核月报) in a real browser (issue 14): HR asks for this month's report,
the background worker generates it while the page shows its progress, HR writes the conclusion
and publishes it (the conclusion form and the button go; who published and when is shown), then
downloads the PDF — its text holds the Chinese headings — and the workbook, which holds native
Excel charts. The demo has published the six closed months' reports already (listed first)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from .conftest import demo_month, screenshot

pytestmark = pytest.mark.e2e

MONTH = demo_month(0)  # open for scoring: no report yet
CONCLUSION = "本月考核按计划进行，各部门评分进度正常。\n建议：月底前完成全部评分。"
HEADINGS = (
    "绩效考核月报",
    "一、结论",
    "二、考核覆盖与按时评分",
    "三、等级分布与配额",
    "四、分数统计",
    "九、绩效薪酬",
)


def _download(page: Any, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_bytes()


def test_hr_generates_edits_publishes_and_downloads_the_month_s_report(login: Any, server: str) -> None:
    hr = login("hr")
    hr.goto(f"{server}/reports/monthly/")
    published = hr.locator("#reports tr[data-month]")
    assert published.count() >= 6 and "已发布" in hr.inner_text("#reports")
    hr.fill("#generate input[name=month]", MONTH)
    hr.click("#generate button[type=submit]")
    # The page polls the job and reloads itself until the worker has finished: then the sections show.
    hr.wait_for_selector("#section-coverage", timeout=120_000)
    hr.wait_for_selector("#report-progress p.ok")
    screenshot(hr, "monthly-report-01-generated")
    assert MONTH in hr.inner_text("h1") and "草稿" in hr.inner_text("#report-state")
    assert hr.locator("#section-coverage svg").count() >= 1

    hr.fill("#conclusion", CONCLUSION)
    hr.click("#save-conclusion")
    assert "本月考核按计划进行" in hr.inner_text("#section-conclusion")
    hr.click("#publish")
    hr.wait_for_selector("#report-state:has-text('已发布')")
    assert hr.locator("#conclusion").count() == 0 and hr.locator("#publish").count() == 0
    assert "发布" in hr.inner_text("#report-made")
    screenshot(hr, "monthly-report-02-published")

    pdf = _download(hr, "#download-pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for heading in HEADINGS:
        assert heading in text, heading
    assert "本月考核按计划进行" in text
    book = zipfile.ZipFile(io.BytesIO(_download(hr, "#download-xlsx")))
    assert any(name.startswith("xl/charts/chart") for name in book.namelist())
