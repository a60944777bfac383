"""The English interface: an employee switches to English and reads a result whose trace, grade
and indicator names are in English; the Chinese page stays Chinese."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import demo_month, screenshot

pytestmark = pytest.mark.e2e

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_an_employee_reads_her_result_and_trace_in_english(login: Any, server: str) -> None:
    agent = login("cs_agent")
    agent.goto(f"{server}/cycles/mine/")
    agent.click(f"text={demo_month(-1)}")
    chinese = agent.inner_text("#trace")
    assert "转化率" in chinese and "总分" in chinese
    assert "Conversion rate" not in chinese

    agent.click("button[name=language][value=en]")
    agent.wait_for_selector("html[lang=en]")
    trace = agent.inner_text("#trace")
    assert "Conversion rate" in trace and "Customer satisfaction" in trace and "Total" in trace
    assert "转化率" not in trace and "总分" not in trace
    leftover = sorted(set(CJK.findall(trace)))
    assert not leftover, f"Chinese characters left in the English trace: {''.join(leftover)}"
    main = agent.inner_text("main")
    assert re.search(r"Outstanding|Good|Satisfactory|Needs improvement", main), "grade not in English"
    assert not re.search(r"优秀|良好|合格|待改进", main), "grade label still in Chinese"
    screenshot(agent, "english-01-employee-result")
