"""Rules that propose, in a real browser (issue 13): HR drafts a rule set ("grade = A → a reward of
100 yuan") and submits it; the HR supervisor activates it (the author cannot); HR runs the rules
on the locked month whose pay is not yet released (a background job, as when a month locks); the
agent's proposal appears with the result that fired it; neither the agent (the person concerned)
nor HR (the proposer) can approve it, and the agent does not see it while pending; the HR
supervisor approves it; HR computes and releases the month's pay; the agent's pay shows the
reward, its trace naming the rule's proposal, and their commendations page lists it.

Why a server of its own: this journey releases the month whose pay the demo leaves for HR, which
the monthly pay journey releases too, and retires the demo's rule set; each starts from the demo
as loaded.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any, cast

import pytest

from .conftest import demo_month, nav_click, screenshot
from .conftest import server as shared_server

pytestmark = pytest.mark.e2e

MONTH = demo_month(-2)  # locked, its pay not released: a reward approved now is paid in it
AGENT = "张俊杰"  # the demo's customer-service agent (login "cs_agent"), graded A that month
RULE = "本期为 A"  # how the rule "grade = A" reads on the pages
JOB_SECONDS = 30


@pytest.fixture(scope="module")
def server(tmp_path_factory: Any) -> Iterator[str]:
    """This module's own Jixiao, started like the shared one (see the module's docstring)."""
    yield from cast(Any, shared_server).__wrapped__(tmp_path_factory)


def _state(page: Any) -> str:
    return str(page.inner_text("#state")).strip()


def _door(page: Any, label: str) -> None:
    nav_click(page, "成长与发展")
    page.click(f"ul.doors a:text-is('{label}')")


def _draft_and_activate(login: Any) -> None:
    hr = login("hr")
    _door(hr, "奖惩规则")
    assert "生效中" in hr.inner_text("#rule-sets")  # the demo's rule set
    hr.click("#new-rule-set")
    hr.fill("#rule-set-form input[name=name]", "当月优秀奖励")
    hr.fill("#rule-set-form textarea[name=note]", "当月考核为 A 的员工，建议奖励 100 元。")
    hr.click("#rule-set-form button[type=submit]")
    hr.click("#add-rule")
    hr.fill("#rule-form input[name=condition]", "grade is A")  # not the condition language
    hr.select_option("#rule-form select[name=action]", "reward")
    hr.fill("#rule-form input[name=amount]", "100")
    hr.click("#rule-form button[type=submit]")
    assert hr.locator("#rule-form .error").count() > 0  # refused on the form, the input kept
    assert "grade in {C, D} for 3 in a row" in hr.inner_text("#rule-form .error")  # with examples
    assert hr.input_value("#rule-form input[name=amount]") == "100"
    hr.fill("#rule-form input[name=name]", "当月优秀")
    hr.fill("#rule-form input[name=condition]", "grade = A")
    hr.click("#rule-form button[type=submit]")
    assert RULE in hr.inner_text("#rules") and "100.00" in hr.inner_text("#rules")
    hr.click("#step-form button[value=submit]")
    assert _state(hr) == "待批准"
    assert hr.locator("#step-form button[value=activate]").count() == 0  # never by its author
    screenshot(hr, "rules-01-hr-drafts")

    supervisor = login("hrsup")
    supervisor.goto(hr.url)
    supervisor.click("#step-form button[value=activate]")
    assert _state(supervisor) == "生效中"
    _door(supervisor, "奖惩规则")
    assert "已停用" in supervisor.inner_text("#rule-sets")  # the demo's set, replaced
    screenshot(supervisor, "rules-02-supervisor-activates")


def _run(login: Any) -> tuple[Any, str]:
    """HR runs the active rules on the month; return HR's page and the agent's new proposal's link."""
    hr = login("hr")
    _door(hr, "规则建议")
    hr.select_option("#run-form select[name=cycle]", label=MONTH)
    hr.click("#run-form button[type=submit]")
    row = hr.locator(f"#proposals tr:has-text('{AGENT}'):has-text('{RULE}')")
    deadline = time.monotonic() + JOB_SECONDS
    while row.count() == 0 and time.monotonic() < deadline:  # the background worker runs the job
        time.sleep(0.5)
        hr.reload()
    assert row.count() == 1, "the rules' job made no proposal for the agent"
    assert "待审批" in row.inner_text() and "100.00" in row.inner_text()
    screenshot(hr, "rules-03-hr-runs")
    return hr, str(row.locator("a").first.get_attribute("href"))


def _approve(login: Any, server: str, hr: Any, link: str) -> str:
    """Only an approver who is neither the agent nor the proposer decides; return the reference."""
    agent = login("cs_agent")
    response = agent.goto(f"{server}{link}")
    assert response is not None and response.status in (403, 404)  # pending: not shown to the person
    hr.goto(f"{server}{link}")
    assert hr.locator("#step-form button[value=approve]").count() == 0  # HR ran the rules: the proposer
    supervisor = login("hrsup")
    supervisor.goto(f"{server}{link}")
    assert MONTH in supervisor.inner_text("#trace-results") and "A" in supervisor.inner_text("#trace-results")
    found = re.search(r"PR-\d+", supervisor.inner_text("h1"))
    assert found is not None
    reference = found.group(0)
    supervisor.fill("#step-form textarea[name=reason]", "同意，计入当月薪酬。")
    supervisor.click("#step-form button[value=approve]")
    assert _state(supervisor) == "已批准"
    assert MONTH in supervisor.inner_text("#sanction")
    screenshot(supervisor, "rules-04-supervisor-approves")
    return reference


def _pay(login: Any, reference: str) -> None:
    hr = login("hr")
    nav_click(hr, "月度薪酬")
    hr.fill("#monthly-form input[name=month]", MONTH)
    hr.click("#monthly-form button[type=submit]")
    line = hr.locator(f"#lines tr[data-number]:has-text('{AGENT}')")
    assert "400.00" in line.inner_text()  # the demo's reward of 300 and the rule's 100
    hr.click("#release")
    assert "已发放" in hr.inner_text("#run-status")

    agent = login("cs_agent")
    nav_click(agent, "我的薪酬")
    month = agent.locator(f"article.my-month[data-month='{MONTH}']")
    month.locator("summary").click()
    trace = month.inner_text()
    assert "奖励 +100.00" in trace and f"规则建议 {reference}" in trace and RULE in trace
    screenshot(agent, "rules-05-agent-pay")
    _door(agent, "我的表彰与建议")
    assert reference in agent.inner_text("#about-me") and "已批准" in agent.inner_text("#about-me")


def test_rules_propose_after_the_lock_an_approver_decides_and_the_reward_is_paid_with_its_trace(
    login: Any, server: str
) -> None:
    _draft_and_activate(login)
    hr, link = _run(login)
    reference = _approve(login, server, hr, link)
    _pay(login, reference)
