"""Cadre review and promotion in a real browser (issue 13): the customer-service head finds the
agent eligible for 客服主管 (each condition with its figures) and nominates her; the deputy and the
committee member evaluate (the leader, at the top of her reporting line, is given no score form);
HR ends the evaluation; the leader approves from the first day of the locked month whose pay is
not yet released — over the post's quota only once a reason is given; the agent's 任职记录 shows
the change from that date; HR computes that month's pay and the agent's line is on the new post's
structure (base 5,000.00 instead of 4,000.00), which the agent also reads on "how I am appraised
and paid" and in the worked example of that month; the agent reads the outcome, never the scores.

Why a server of its own: this journey moves the agent to another post and releases the month
whose pay the demo leaves for HR, which the monthly pay journey reads and releases.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest

from .conftest import demo_month, nav_click, screenshot
from .conftest import server as shared_server

pytestmark = pytest.mark.e2e

MONTH = demo_month(-2)  # locked, its pay not released
EFFECTIVE = f"{MONTH}-01"
AGENT = "张俊杰"  # the demo's customer-service agent (login "cs_agent"): A every month
TARGET = "客服主管"  # level 2, quota 2, both posts held
NEW_BASE = "5,000.00"  # the base salary of 客服主管 (the agent's post pays 4,000.00)
POINTS = {"integrity": "18", "ability": "17", "diligence": "19", "performance": "19", "probity": "19"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: Any) -> Iterator[str]:
    """This module's own Jixiao, started like the shared one (see the module's docstring)."""
    yield from cast(Any, shared_server).__wrapped__(tmp_path_factory)


def _state(page: Any) -> str:
    return str(page.inner_text("#state")).strip()


def _door(page: Any, label: str) -> None:
    nav_click(page, "成长与发展")
    page.click(f"ul.doors a:text-is('{label}')")


def _nominate(login: Any, server: str) -> str:
    """The head nominates the agent; return the nomination's path."""
    head = login("cs_head")
    _door(head, "任职资格")
    option = head.locator("#target-filter select[name=position] option", has_text=TARGET)
    head.select_option("#target-filter select[name=position]", value=option.get_attribute("value"))
    head.click("#target-filter button[type=submit]")
    row = head.locator(f"#eligible tr:has-text('{AGENT}')")
    assert "✓" in row.inner_text() and "✗" not in row.inner_text()  # every condition met, with figures
    assert "✗" in head.inner_text("#ineligible")  # the others say which condition they miss
    screenshot(head, "promotion-01-eligibility")
    row.locator("a.button").click()
    assert "符合任职条件" in head.inner_text("#verdict")
    head.fill("#nominate-form textarea[name=reason]", "连续六个月考核优秀，带教新同事，可担任客服主管。")
    head.click("#nominate-form button[type=submit]")
    assert _state(head) == "考核小组评议中"
    assert "批准后将超编" in head.inner_text("#quota")
    return str(head.url).removeprefix(server)


def _evaluate(login: Any, server: str, link: str) -> None:
    comments = {"deputy": "业务熟练，责任心强，同意提名。", "member": "群众基础好，带教认真，同意提名。"}
    for name, comment in comments.items():
        page = login(name)
        page.goto(f"{server}{link}")
        for key, points in POINTS.items():
            page.fill(f"#score-form input[name={key}]", points)
        page.fill("#score-form textarea[name=comment]", comment)
        page.click("#score-form button[type=submit]")
        assert comment in page.inner_text("#evaluations")
    screenshot(page, "promotion-02-committee-evaluates")
    leader = login("leader")
    leader.goto(f"{server}{link}")
    assert leader.locator("#score-form").count() == 0  # in the agent's reporting line: no score
    hr = login("hr")
    hr.goto(f"{server}{link}")
    hr.click("#step-form button[value=end_evaluation]")
    assert _state(hr) == "待组长审批"


def _approve(login: Any, server: str, link: str) -> None:
    leader = login("leader")
    leader.goto(f"{server}{link}")
    leader.click("#step-form a.button.primary")
    assert "批准后将超编" in leader.inner_text("#quota")
    leader.fill("#approve-form input[name=effective]", EFFECTIVE)
    leader.fill("#approve-form textarea[name=reason]", "同意晋升为客服主管。")
    leader.click("#approve-form button[type=submit]")
    assert leader.locator("#approve-form .error").count() > 0  # over the quota: a reason first
    leader.fill(
        "#approve-form textarea[name=quota_reason]", "客服部增设夜班组，主管编制调整已报总经理办公室。"
    )
    leader.click("#approve-form button[type=submit]")
    assert _state(leader) == "已批准晋升"
    assert EFFECTIVE in leader.inner_text("#decision")
    screenshot(leader, "promotion-03-leader-approves")
    leader.click("#decision a[href*='position-history']")
    history = leader.inner_text("#position-history")
    assert TARGET in history and EFFECTIVE in history
    screenshot(leader, "promotion-04-position-history")


def _pay(login: Any, server: str, link: str) -> None:
    hr = login("hr")
    nav_click(hr, "月度薪酬")
    hr.fill("#monthly-form input[name=month]", MONTH)
    hr.click("#monthly-form button[type=submit]")
    line = hr.locator(f"#lines tr[data-number]:has-text('{AGENT}')").inner_text()
    assert TARGET in line and NEW_BASE in line  # the month of the effective date: the new structure
    screenshot(hr, "promotion-05-month-on-the-new-post")
    hr.click("#release")
    assert "已发放" in hr.inner_text("#run-status")

    agent = login("cs_agent")
    _door(agent, "我的考核与薪酬规则")
    assert TARGET in agent.inner_text("#pay") and agent.inner_text("#base-salary") == NEW_BASE
    assert MONTH in agent.inner_text("#example") and NEW_BASE in agent.inner_text("#example-items")
    screenshot(agent, "promotion-06-agent-my-rules")
    _door(agent, "我的晋升")
    mine = agent.inner_text("#my-nominations")
    assert TARGET in mine and "已批准晋升" in mine and EFFECTIVE in mine
    agent.goto(f"{server}{link}")
    assert "已批准晋升" in agent.inner_text("#outcome")
    assert agent.locator("#evaluations").count() == 0 and "同意提名" not in agent.inner_text("main")


def test_a_head_nominates_the_committee_evaluates_the_leader_approves_and_post_and_pay_follow(
    login: Any, server: str
) -> None:
    link = _nominate(login, server)
    _evaluate(login, server, link)
    _approve(login, server, link)
    _pay(login, server, link)
