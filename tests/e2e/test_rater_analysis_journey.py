"""Rater analysis (评分者分析, issue 14) in a real browser: HR opens it from the top bar, sees the
latest closed month (peers who rated one person say "not enough to conclude"), widens the range
to six months, reads each rater's measures with their uncertainty and n, opens a rater's page
(every figure with its method, a chart of their means per indicator against the compared mean)
and downloads the table — it names raters, so the download asks for a reason. The customer-
service head sees only the raters of their own people, with the page saying so; the agent has no
such page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from .conftest import demo_month, nav_click, screenshot

pytestmark = pytest.mark.e2e


def _names(page: Any) -> set[str]:
    return {str(t).strip() for t in page.locator("#raters-table tbody tr td:first-child a").all_inner_texts()}


def test_hr_reads_the_rater_analysis_and_a_head_sees_their_raters(login: Any, server: str) -> None:
    hr = login("hr")
    nav_click(hr, "评分者分析")
    assert "评分者分析" in hr.inner_text("h1")
    # The default is the latest month whose scoring has closed; other journeys on this server may
    # have closed a later one by now, so the demo's last closed month is chosen explicitly.
    hr.select_option("#raters-filters select[name=first]", label=demo_month(-1))
    hr.select_option("#raters-filters select[name=last]", label=demo_month(-1))
    hr.click("#raters-filters button[type=submit]")
    assert "不足 5" in hr.inner_text("#raters-table")  # a peer who rated one person this month

    hr.select_option("#raters-filters select[name=first]", label=demo_month(-6))
    hr.select_option("#raters-filters select[name=last]", label=demo_month(-1))
    hr.click("#raters-filters button[type=submit]")
    table = hr.inner_text("#raters-table")
    assert "±" in table and "n=" in table
    assert hr.locator("svg").count() >= 1  # the leniency chart
    everyone = _names(hr)
    assert len(everyone) >= 10
    screenshot(hr, "raters-01-list")

    hr.locator("#raters-table tbody tr td:first-child a").first.click()
    for key in ("leniency", "central", "same", "evidence", "disagreement"):
        section = hr.inner_text(f"#measure-{key}")
        assert "方法" in section and "样本量" in section
    assert hr.locator("main svg").count() >= 1
    screenshot(hr, "raters-02-detail")

    hr.go_back()
    hr.fill("form.export-form input[name=reason]", "半年评分质量检查")
    with hr.expect_download() as info:
        hr.click("form.export-form button[type=submit]")
    with open(info.value.path(), "rb") as downloaded:
        book = CalamineWorkbook.from_filelike(io.BytesIO(downloaded.read()))
    cells = {str(c) for n in book.sheet_names for row in book.get_sheet_by_name(n).to_python() for c in row}
    assert everyone <= cells

    head = login("cs_head")
    nav_click(head, "评分者分析")
    head.select_option("#raters-filters select[name=first]", label=demo_month(-6))
    head.select_option("#raters-filters select[name=last]", label=demo_month(-1))
    head.click("#raters-filters button[type=submit]")
    assert "本部门人员" in head.inner_text("#raters-scope")
    theirs = _names(head)
    assert theirs and theirs < everyone
    screenshot(head, "raters-03-head")

    agent = login("cs_agent")
    assert agent.locator("nav.mainnav a", has_text="评分者分析").count() == 0
    response = agent.goto(f"{server}/integrity/raters/")
    assert response is not None and response.status == 403
