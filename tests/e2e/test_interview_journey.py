"""The feedback interview (绩效面谈) in a real browser: the head records it on a published
result; the employee reads their result as the release settings allow (total and grade, the
rank only as a band), adds a comment and acknowledges the interview."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import demo_month, screenshot

pytestmark = pytest.mark.e2e


def test_head_records_the_interview_and_the_employee_acknowledges_it(login: Any, server: str) -> None:
    agent = login("cs_agent")
    agent.goto(f"{server}/cycles/mine/")
    assert "部门前" in agent.inner_text("main")  # the demo releases the rank as a band only
    agent.click(f"text={demo_month(-1)}")
    result_url = agent.url
    summary = agent.inner_text("p.total")
    assert "总分" in summary and "部门前" in summary and "部门第" not in summary
    assert "尚未记录面谈" not in agent.inner_text("main")  # nothing to show the employee yet

    head = login("cs_head")
    head.goto(result_url)
    assert "公司第" in head.inner_text("p.total")  # the head sees the whole result
    head.click("#interview a:has-text('记录面谈')")
    head.fill("input[name=held_on]", f"{demo_month(0)}-01")
    head.fill("textarea[name=strengths]", "高峰时段主动加班，客户好评多。")
    head.fill("textarea[name=improvements]", "差错件需要逐件复盘。")
    head.fill("textarea[name=goals]", "下月差错件为零，转化率达到 33%。")
    head.click("button[type=submit].primary")
    head.wait_for_url(result_url)
    assert "转化率达到 33%" in head.inner_text("#interview")
    screenshot(head, "interview-01-head-recorded")

    agent.goto(result_url)
    assert "转化率达到 33%" in agent.inner_text("#interview")
    agent.fill("#interview textarea[name=comment]", "同意，会逐件复盘差错。")
    agent.click("#interview button:has-text('确认面谈记录')")
    agent.wait_for_url(result_url)
    text = agent.inner_text("#interview")
    assert "同意，会逐件复盘差错。" in text and "员工确认时间" in text
    assert agent.locator("#interview textarea[name=comment]").count() == 0
    screenshot(agent, "interview-02-employee-acknowledged")
