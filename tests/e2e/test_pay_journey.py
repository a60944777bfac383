"""Finance corrects the 2025 net profit, the leader approves, HR recomputes and releases the
marketing annual bonus, and the director reads their bonus and why it is that number."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.engine.money import div_half_up, format_yuan

from .conftest import demo_month, nav_click, screenshot

pytestmark = pytest.mark.e2e
YEAR = str(int(demo_month(0)[:4]) - 1)  # the demo's last full year: its profit and annual bonus


def test_profit_to_the_directors_annual_bonus(login: Any, server: str) -> None:
    finance = login("finance")
    nav_click(finance, "净利润")
    finance.fill("input[name=year]", YEAR)
    finance.fill("input[name=amount]", "3000000")
    finance.fill("textarea[name=reason]", "年审调整：按审计报告更正")
    finance.click("#profit-form button[type=submit]")
    finance.click("tr.status-row-draft button[data-action=submit]")
    assert "待审批" in finance.inner_text("#profits")
    screenshot(finance, "pay-01-finance-submits-correction")

    leader = login("leader")
    nav_click(leader, "净利润")
    leader.click("tr.status-row-submitted button[data-action=approve]")
    assert "已被更正" in leader.inner_text("#profits")
    screenshot(leader, "pay-02-leader-approves")

    hr = login("hr")
    nav_click(hr, "年度奖金")
    hr.select_option("select[name=department]", label="市场部")
    hr.fill("input[name=year]", YEAR)
    hr.click("#run-form button[type=submit]")
    assert "3,000,000.00" in hr.inner_text("main")
    hr.click("#release")
    assert "已发布" in hr.inner_text("main")
    screenshot(hr, "pay-03-hr-releases")

    hr.goto(f"{server}/pay/annual/")
    hr.click("#pay-plans a")
    hr.fill("input[name=profits]", "2999999,3000000")
    hr.click("#simulate button[type=submit]")
    table = hr.inner_text("#what-if")
    assert "119,999.96" in table and "180,000.00" in table  # whole-profit mode, for comparison
    assert "39,999.96" in table and "40,000.00" in table  # the approved plan: 超额累进
    assert hr.locator("svg g.cliff").count() == 3
    screenshot(hr, "pay-04-what-if")

    director = login("mkt_director")
    nav_click(director, "我的薪酬")
    bonus = director.locator(f"article.my-bonus[data-year='{YEAR}']")
    bonus.locator("summary").click()
    text = bonus.inner_text()
    # The months come from the demo's hire date, read back from the trace: 40,000 × months / 12.
    found = re.search(rf"{YEAR} 年在职 (\d+) 个月", text)
    assert found is not None and "40,000" in text
    months = int(found.group(1))
    assert format_yuan(div_half_up(4_000_000 * months, 12)) in bonus.locator("h3 .amount").inner_text()
    screenshot(director, "pay-05-director-trace")
