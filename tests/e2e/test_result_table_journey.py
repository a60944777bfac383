"""An employee reads her result like a payslip (issue 11): a table of 指标, 目标, 实际, 完成度,
权重, 得分, one row per indicator, with the calculation behind a toggle she opens; then the
same page in English."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import demo_month, screenshot

pytestmark = pytest.mark.e2e

HEADERS_ZH = ["指标", "目标", "实际", "完成度", "权重", "得分"]
HEADERS_EN = ["Indicator", "Target", "Actual", "Achievement", "Weight", "Points"]


def _headers(page: Any) -> list[str]:
    return [h.strip() for h in page.locator("#result-table thead th").all_inner_texts()]


def test_an_employee_reads_the_result_table_and_opens_the_derivation(login: Any, server: str) -> None:
    agent = login("cs_agent")
    agent.goto(f"{server}/cycles/mine/")
    agent.click(f"text={demo_month(-1)}")
    assert _headers(agent) == HEADERS_ZH
    table = agent.inner_text("#result-table")
    assert "转化率" in table and "客户满意度" in table and "总分" in table
    assert "0.30 %" not in table and "30 %" in table  # a 30 % target reads as a percent
    assert not re.search(r"\d\.\d{3,}", table), "the table shows more than two decimals"
    derivation = agent.locator("#derivation")
    assert not agent.locator("#steps").is_visible()  # behind the toggle until opened
    derivation.locator("summary").click()
    assert agent.locator("#steps").is_visible()
    trace = agent.inner_text("#steps")
    assert "转化率" in trace and "总分" in trace
    assert not re.search(r"\d\.\d{7,}", trace), "the trace prints long decimals"
    screenshot(agent, "result-table-01-chinese")

    agent.click("button[name=language][value=en]")
    agent.wait_for_selector("html[lang=en]")
    assert _headers(agent) == HEADERS_EN
    table = agent.inner_text("#result-table")
    assert "Conversion rate" in table and "Customer satisfaction" in table and "Total" in table
    assert "转化率" not in table and "上级评分" not in table
    agent.locator("#derivation summary").click()
    assert "Conversion rate" in agent.inner_text("#steps")
    screenshot(agent, "result-table-02-english")
