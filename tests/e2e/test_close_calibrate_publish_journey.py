"""From closing to publishing in a real browser: HR opens and closes a cycle, the head submits
the department summary, HR checks it, the committee leader moves one grade with a reason in
calibration (校准) and verifies, HR publishes.

The journey opens its own month (next month) rather than closing the demo's open month, which
the scoring journey still needs open.
"""

from __future__ import annotations

import calendar
import re
from typing import Any

import pytest

from .conftest import demo_month, screenshot

pytestmark = pytest.mark.e2e

LABEL = demo_month(1)


def click_transition(page: Any, label: str) -> None:
    page.click(f"section.actions-panel button:has-text('{label}')")
    page.wait_for_load_state()


def test_hr_closes_the_committee_calibrates_and_hr_publishes(login: Any, server: str) -> None:
    hr = login("hr")
    hr.goto(f"{server}/cycles/new/")
    hr.fill("input[name=label]", LABEL)
    hr.select_option("select[name=kind]", "month")
    hr.fill("input[name=start]", f"{LABEL}-01")
    hr.fill("input[name=end]", f"{LABEL}-{calendar.monthrange(*map(int, LABEL.split('-')))[1]}")
    hr.select_option("select[name=departments]", label="客服部")
    hr.click("button[type=submit].primary")
    hr.wait_for_url(re.compile(r".*/cycles/\d+/$"))
    cycle_url = hr.url
    click_transition(hr, "截止评分并计算结果")  # queued for the worker; the progress bar polls
    hr.wait_for_selector("#close-progress a:has-text('查看考核结果')", timeout=30_000)
    hr.reload()
    assert "评分已截止" in hr.inner_text("h1")
    screenshot(hr, "calibration-01-hr-closed-scoring")

    head = login("cs_head")
    head.goto(cycle_url)
    head.click("nav.card a:has-text('部门汇总')")
    head.click("#summaries >> text=客服部")
    head.fill("textarea[name=work_done]", "本月咨询量平稳，新人已能独立接待。")
    head.fill("textarea[name=problems]", "部分数据尚未导入。")
    head.click("button[name=submit]")
    head.wait_for_load_state()

    hr.goto(cycle_url)
    click_transition(hr, "部门汇总已提交")
    hr.click("nav.card a:has-text('部门汇总')")
    hr.click("#summaries >> text=客服部")
    hr.click("button[value=check]")
    hr.wait_for_load_state()
    hr.goto(cycle_url)
    click_transition(hr, "人力资源部核对完成")
    assert "人力资源部已核对" in hr.inner_text("h1")

    leader = login("leader")
    leader.goto(cycle_url)
    leader.click("nav.card a:has-text('结果校准')")
    assert "等级分布与配额" in leader.inner_text("#distribution")
    form = leader.locator("form.move-form").first
    row = leader.locator("#people tbody tr", has=form)
    name = row.locator("td").nth(2).inner_text()
    form.locator("select[name=to_grade]").select_option("C")
    form.locator("input[name=reason]").fill("数据导入延迟，按上月表现复核后上调一级。")
    form.locator("button[type=submit]").click()
    leader.wait_for_load_state()
    assert "等级已调整" in leader.inner_text(".messages")
    moves = leader.inner_text("#moves")
    assert name in moves and "数据导入延迟" in moves and "leader" in moves
    screenshot(leader, "calibration-02-committee-moved-a-grade")
    leader.goto(cycle_url)
    click_transition(leader, "考核小组核实")
    assert "考核小组已核实" in leader.inner_text("h1")

    hr.goto(cycle_url)
    click_transition(hr, "公布结果")
    assert "已公布" in hr.inner_text("h1")
    hr.click("nav.card a:has-text('结果校准')")
    assert "数据导入延迟" in hr.inner_text("#moves")
    screenshot(hr, "calibration-03-hr-published")
