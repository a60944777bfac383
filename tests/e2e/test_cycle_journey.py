"""A cycle in a real browser: the head scores the team on the grid; an employee reads the trace."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import demo_month, screenshot

pytestmark = pytest.mark.e2e


def test_head_scores_the_team_and_the_employee_reads_the_trace(login: Any, server: str) -> None:
    head = login("cs_head")
    head.goto(f"{server}/cycles/")
    head.click(f"text={demo_month(0)}")
    head.click("text=为团队评分")
    first = head.locator("select[name=value]").first
    first.select_option("excellent")
    head.wait_for_selector("td.saved")
    assert "主动分享经验" in head.inner_text("main")
    screenshot(head, "cycle-01-manager-grid")

    agent = login("cs_agent")
    agent.goto(f"{server}/cycles/mine/")
    agent.click(f"text={demo_month(-1)}")
    text = agent.inner_text("#trace")
    assert "转化率" in text and "总分" in text
    screenshot(agent, "cycle-02-employee-trace")
