"""A month's pay in a real browser: HR computes September from its locked cycle and releases
it; a customer-service agent reads their September pay line and why it is that number."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import demo_month, nav_click, screenshot

pytestmark = pytest.mark.e2e


def test_hr_computes_and_releases_the_month_and_the_agent_reads_the_trace(login: Any, server: str) -> None:
    hr = login("hr")
    nav_click(hr, "月度薪酬")
    hr.fill("#monthly-form input[name=month]", demo_month(-1))
    hr.click("#monthly-form button[type=submit]")
    assert "尚未锁定" in hr.inner_text("#monthly-form")  # October is published, not locked
    hr.fill("#monthly-form input[name=month]", demo_month(-2))
    hr.click("#monthly-form button[type=submit]")
    assert "客服部 小计" in hr.inner_text("#lines")
    assert hr.locator("#budget tr.over").count() == 0
    screenshot(hr, "monthly-01-hr-computes")
    hr.click("#release")
    assert "已发放" in hr.inner_text("#run-status")
    screenshot(hr, "monthly-02-hr-releases")

    agent = login("cs_agent")
    nav_click(agent, "我的薪酬")
    month = agent.locator(f"article.my-month[data-month='{demo_month(-2)}']")
    amount = month.locator("h3 .amount").inner_text()
    month.locator("summary").click()
    text = month.inner_text()
    assert "base * completion * coefficient" in text and "客服部工作完成情况 90%" in text
    assert "奖励 +300.00" in text  # the approved reward for September
    total = re.search(r"应发合计 = .* = ([\d,]+\.\d\d) 元", text)
    assert total is not None and total.group(1) == amount
    assert agent.locator("article.my-month").count() == 5  # May–August from the demo, and September
    screenshot(agent, "monthly-03-agent-trace")
