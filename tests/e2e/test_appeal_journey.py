"""An appeal that re-scores and re-pays, in a real browser (issue 12): the marketing manager
appeals one indicator of a locked month → the leader allows the late appeal → HR accepts it and
assigns the committee member → the member rechecks and recommends an adjustment with a
corrected input → the leader sees the ripple (whose rank moved) and adjusts → the manager
sees version 2 of the result, before and after, and, once HR releases the next month's pay,
the adjustment in it with its reason and case.

Why a locked month: a pay adjustment exists only when that month's pay was already released,
and the demo releases pay for locked months only; after the lock an appeal is late and needs
the leave of the one who decides: the committee leader (the general manager, at the top of every
reporting line: that keeps a person from rechecking, not from deciding; decision 42).

Why a server of its own: this journey releases the month whose pay the demo leaves for HR,
which the monthly pay journey releases too; each starts from the demo as loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast

import pytest

from .conftest import demo_month, nav_click, screenshot
from .conftest import server as shared_server

pytestmark = pytest.mark.e2e

MONTH = demo_month(-5)  # locked, pay released; the manager is B (89.74) there, just short of A
PAID_IN = demo_month(-2)  # the first month whose pay the demo has not released
MEMBER = "周芳"  # the demo's committee member (login "member"), the one eligible rechecker
EVIDENCE = {"name": "合同登记单.txt", "mimeType": "text/plain", "buffer": "加盟商合同签署页与登记单".encode()}


@pytest.fixture(scope="module")
def server(tmp_path_factory: Any) -> Iterator[str]:
    """This module's own Jixiao, started like the shared one (see the module's docstring)."""
    yield from cast(Any, shared_server).__wrapped__(tmp_path_factory)


def _open_case(page: Any, server: str, link: str) -> None:
    page.goto(f"{server}{link}")
    page.wait_for_selector("#state")


def _state(page: Any) -> str:
    return str(page.inner_text("#state")).strip()


def _file(login: Any, server: str) -> tuple[Any, str]:
    manager = login("mkt_manager")
    manager.goto(f"{server}/cycles/mine/")
    manager.click(f"tr:has(a:text-is('{MONTH}')) a.appeal-link")
    assert "逾期申诉" in manager.inner_text("#late-note")  # locked: the leave comes first
    manager.check("input[name=scope][value=indicators]")
    manager.check("input[name=indicators][value=franchisees]")
    manager.fill(
        "textarea[name=reason]",
        "月末最后一天签约的加盟商因合同登记延误被计入了下个月，新签加盟商应为 3 家。附登记单。",
    )
    manager.set_input_files("input[name=evidence]", [EVIDENCE])
    manager.click("#appeal-form button[type=submit]")
    manager.wait_for_selector("#state")
    assert _state(manager) == "待组长准予逾期申诉"
    assert "合同登记单.txt" in manager.inner_text("#files")
    screenshot(manager, "appeal-01-employee-files")
    return manager, manager.url.removeprefix(server)


def _leave_accept_assign(login: Any, server: str, link: str) -> None:
    leader = login("leader")
    leader.click("nav.mainnav a[href='/cases/']")
    leader.click(f"a[href='{link}']")
    assert "由考核小组组长决定" in leader.inner_text("#decider")
    leader.fill("#step-form textarea[name=reason]", "登记延误是公司流程原因，准予逾期申诉。")
    leader.click("#step-form button[value=grant_leave]")
    assert _state(leader) == "待人力资源部受理"

    hr = login("hr")
    hr.click("nav.mainnav a[href='/cases/']")
    hr.click(f"a[href='{link}']")
    hr.click("#step-form button[value=accept]")
    assert _state(hr) == "已受理，待指派复核人"
    hr.click("#actions a:has-text('指派复核人')")
    options = hr.locator("select[name=rechecker] option").all_inner_texts()
    assert any(MEMBER in o for o in options) and not any("孙亮" in o for o in options)  # not the leader
    hr.select_option("select[name=rechecker]", label=next(o for o in options if MEMBER in o))
    hr.click("#assign-form button[type=submit]")
    assert _state(hr) == "复核中"
    screenshot(hr, "appeal-02-hr-assigns")


def _recheck(login: Any, server: str, link: str) -> None:
    member = login("member")
    member.click("a.notify-link")
    member.click("table.notifications a:has-text('您被指派为复核人')")
    assert member.url.endswith(link)
    member.click("#actions a:has-text('提出复核意见')")
    member.check("input[name=recommendation][value=adjust]")
    member.fill("input[name='measure:new_franchisees']", "3")
    member.fill("textarea[name=reason]", "合同签署日期在当月，新签加盟商应为 3 家，按 3 家重新计算。")
    member.click("button[name=preview]")
    figures = member.inner_text("#preview-figures")
    assert "89.74" in figures and "97.24" in figures
    assert "→" in member.inner_text("#ripple")
    member.click("button[name=recommend]")
    assert _state(member) == "待组长决定"
    screenshot(member, "appeal-03-member-recommends")


def _decide(login: Any, server: str, link: str) -> None:
    leader = login("leader")
    _open_case(leader, server, link)
    leader.click("#actions a:has-text('审阅并决定')")
    assert "3" in leader.inner_text("#corrections")
    ripple = leader.locator("#ripple tbody tr")
    assert ripple.count() >= 3  # the people the manager overtakes in the company ranking
    first = ripple.first.inner_text()
    moved = re.search(r"(\d+) → (\d+)\s*$", first)
    assert moved is not None and int(moved.group(2)) == int(moved.group(1)) + 1, first
    assert "全公司" in leader.inner_text("#distribution")
    screenshot(leader, "appeal-04-leader-sees-the-ripple")
    leader.click("#decide-form button[value=decide_adjust]")
    assert _state(leader) == "结果已调整"


def _employee_sees(manager: Any, server: str, link: str) -> str:
    _open_case(manager, server, link)
    before_after = manager.inner_text("#before-after")
    assert "89.74" in before_after and "97.24" in before_after
    assert re.search(r"B\s+1\.0", before_after) and re.search(r"A\s+1\.2", before_after)
    assert "第 2 版" in manager.inner_text("#version")
    pay = manager.inner_text("#pay-adjustment")
    assert PAID_IN in pay
    amount = re.search(r"([\d,]+\.\d\d)", pay)
    assert amount is not None
    manager.click("#version a")
    assert "第 2 版" in manager.inner_text("#version")
    versions = manager.inner_text("#versions")
    reference = link.strip("/").split("/")[-1]
    assert "89.74" in versions and f"AP-{reference}" in versions
    screenshot(manager, "appeal-05-employee-sees-version-2")
    return amount.group(1)


def _pay_released(login: Any) -> None:
    hr = login("hr")
    nav_click(hr, "月度薪酬")
    hr.fill("#monthly-form input[name=month]", PAID_IN)
    hr.click("#monthly-form button[type=submit]")
    assert hr.locator("#budget tr.over").count() == 0
    assert "申诉 AP-" in hr.inner_text("#paid-adjustments")
    hr.click("#release")
    assert "已发放" in hr.inner_text("#run-status")


def test_an_appeal_rescores_the_result_and_repays_it(login: Any, server: str) -> None:
    manager, link = _file(login, server)
    _leave_accept_assign(login, server, link)
    _recheck(login, server, link)
    _decide(login, server, link)
    amount = _employee_sees(manager, server, link)
    reference = "AP-" + link.strip("/").split("/")[-1]

    _pay_released(login)
    nav_click(manager, "我的薪酬")
    month = manager.locator(f"article.my-month[data-month='{PAID_IN}']")
    month.locator("summary").click()
    text = month.inner_text()
    assert f"申诉 {reference}" in text and f"+{amount}" in text and MONTH in text
    screenshot(manager, "appeal-06-employee-sees-the-pay-adjustment")

    _open_case(manager, server, link)  # the same page in English: the state is named, not coded
    manager.click("button[name=language][value=en]")
    manager.wait_for_selector("html[lang=en]")
    assert _state(manager) == "Result adjusted"
