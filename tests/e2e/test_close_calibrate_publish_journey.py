"""From data entry to publishing in a real browser: HR opens next month's cycle and enters every
person's measured data on the manual entry page, the head rates the team on the grid, HR finds
nothing that blocks the close and closes early with a reason, the head submits the department
summary, HR checks it, the committee leader moves one grade with a reason in calibration (校准)
and verifies, HR publishes.

The journey opens its own month (next month) rather than closing the demo's open month, which
the scoring journey still needs open; that month has not ended, so closing it is an early close.
"""

from __future__ import annotations

import calendar
import re
from typing import Any

import pytest

from .conftest import demo_month, screenshot

pytestmark = pytest.mark.e2e

LABEL = demo_month(1)
MEASURES = ("orders", "inquiries", "satisfaction", "response_seconds", "costly_errors", "praise", "data_leak")


def click_transition(page: Any, label: str) -> None:
    page.click(f"section.actions-panel button:has-text('{label}')")
    page.wait_for_load_state()


def actual(measure: str, row: int) -> str:
    """A plausible month for person ``row``, inside each measure's range (every grade B or A)."""
    values = {
        "orders": 27 + row % 4,  # of 100 inquiries: 27–30 % conversion (target 30 %)
        "inquiries": 100,
        "satisfaction": 91 + row % 7,  # 0–100 分
        "response_seconds": 22 + row,
        "costly_errors": row % 5 == 0,
        "praise": row % 4,
        "data_leak": 0,
    }
    return str(int(values[measure]))


def wait_until_saved(page: Any, cells: int) -> None:
    """Every htmx cell answered with its saved mark (and none with an error)."""
    from playwright.sync_api import expect

    expect(page.locator("td.cell.saved")).to_have_count(cells, timeout=30_000)
    assert page.locator("td.cell.error").count() == 0


def hr_enters_the_actuals(hr: Any) -> None:
    hr.click("nav.card a:has-text('手工录入')")
    header = hr.inner_text("table.entry-grid thead")
    assert "可填 0–100 分" in header and "不小于 0 秒" in header  # each measure's allowed range
    ids = hr.eval_on_selector_all("input[id^=actual-]", "boxes => boxes.map(box => box.id)")
    members = list(dict.fromkeys(i.split("-")[1] for i in ids))
    assert len(ids) == len(members) * len(MEASURES)
    for box in ids:
        _, member, measure = box.split("-", 2)
        hr.fill(f"#{box}", actual(measure, members.index(member)))
        hr.press(f"#{box}", "Tab")  # leaving the box saves it (htmx, on change)
    wait_until_saved(hr, len(ids))
    screenshot(hr, "calibration-00-hr-entered-the-actuals")


def head_rates_the_team(head: Any, cycle_url: str) -> None:
    head.goto(cycle_url)
    head.click("nav.card a:has-text('为团队评分')")
    boxes = head.locator("td.cell select[name=value]")
    count = boxes.count()
    assert count > 0
    for index in range(count):
        boxes.nth(index).select_option("excellent" if index % 3 == 0 else "good")
    wait_until_saved(head, count)


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
    hr_enters_the_actuals(hr)
    head = login("cs_head")
    head_rates_the_team(head, cycle_url)

    hr.goto(cycle_url)
    hr.click("section.actions-panel a:has-text('截止前的数据检查')")
    hr.wait_for_selector("#data-gaps")
    gaps = hr.inner_text("#data-gaps")
    assert "须补齐" not in gaps and "必须补齐" not in gaps  # nothing blocks the close
    hr.fill("#data-gaps textarea[name=reason]", "实际值与评分均已齐全，提前截止以便尽早安排绩效面谈。")
    hr.click("#data-gaps button.primary")  # queued for the worker; the progress bar polls
    hr.wait_for_selector("#close-progress a:has-text('查看考核结果')", timeout=30_000)
    hr.reload()
    assert "评分已截止" in hr.inner_text("h1")
    screenshot(hr, "calibration-01-hr-closed-scoring")

    head.goto(cycle_url)
    head.click("nav.card a:has-text('部门汇总')")
    head.click("#summaries >> text=客服部")
    head.fill("textarea[name=work_done]", "本月咨询量平稳，新人已能独立接待。")
    head.fill("textarea[name=problems]", "两名新人的首次响应偏慢，已安排带教。")
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
    form.locator("input[name=reason]").fill("数据导入延迟期间的两次投诉经复核属实，下调一级。")
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
