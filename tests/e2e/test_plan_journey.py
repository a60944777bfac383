"""A plan's whole life in a real browser: written, linted, returned, revised, approved, published."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.e2e


def _plan_url(page: Any) -> str:
    return str(page.url.split("#")[0])


def _act(page: Any, label: str, note: str = "", **fields: str) -> None:
    if note:
        page.fill(".actions-panel textarea[name=note]", note)
    for name, value in fields.items():
        selector = f".actions-panel [name={name}]"
        if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, index=1)
        else:
            page.fill(selector, value)
    page.click(f".actions-panel button:has-text('{label}')")
    page.wait_for_load_state()


def test_a_plan_goes_from_draft_to_published(login: Any, server: str) -> None:
    head = login("cs_head")
    head.goto(f"{server}/plans/")
    head.click("text=客服部考核细则")
    head.click("text=创建新版本")
    plan_url = _plan_url(head)

    head.fill("#ind-0 input[name=weight]", "45")
    head.locator("#ind-0 input[name=weight]").dispatch_event("change")
    head.wait_for_selector("#lint-panel .finding.blocking")
    assert "5–40" in head.inner_text("#lint-panel")
    screenshot(head, "plan-01-lint-weight-error")

    head.fill("#ind-0 input[name=weight]", "30")
    head.locator("#ind-0 input[name=weight]").dispatch_event("change")
    head.wait_for_selector("#lint-panel .badge.ok")
    _act(head, "提交评审")
    assert "待人力资源部评审" in head.inner_text("h1")

    hr = login("hr")
    hr.goto(plan_url)
    hr.select_option("#comments select[name=indicator_key]", "response")
    hr.fill("#comments input[name=text]", "响应时间目标 30 秒偏松，请参考行业水平。")
    hr.click("#comments button:has-text('提出意见')")
    _act(hr, "退回修改", note="请按意见修改响应时间目标。")
    assert "已退回修改" in hr.inner_text("h1")
    screenshot(hr, "plan-02-returned-with-comment")

    head.goto(plan_url)
    head.fill("#comments input[name=answer]", "已改为 20 秒。")
    head.click("#comments button:has-text('答复')")
    head.fill("#ind-2 input[name=target]", "20")
    head.locator("#ind-2 input[name=target]").dispatch_event("change")
    head.wait_for_selector("#save-state:has-text('已保存')")
    _act(head, "提交评审")
    head.click("text=第 2 次提交")
    assert "20" in head.inner_text("table.diff")
    screenshot(head, "plan-03-diff-between-rounds")

    hr.goto(plan_url)
    _act(hr, "评审通过，报副组长")

    deputy = login("deputy")
    deputy.goto(plan_url)
    _act(deputy, "审核通过，提交小组会议")
    deputy.click("text=记录新的会议")
    deputy.fill("input[name=held_on]", "2026-11-20")
    deputy.fill("input[name=title]", "2026 年第六次考核领导小组会议")
    deputy.select_option("select[name=attendees]", index=[0, 1, 2])
    deputy.fill("textarea[name=decision]", "通过客服部考核细则 v2。")
    deputy.click("button:has-text('保存会议记录')")
    deputy.goto(plan_url)
    _act(deputy, "会议通过", meeting="1")
    assert "待组长审批" in deputy.inner_text("h1")

    leader = login("leader")
    leader.goto(plan_url)
    _act(leader, "组长批准并发布", effective_from="2026-12")
    assert "已发布" in leader.inner_text("h1")
    assert leader.locator("form.ind-row").count() == 0
    screenshot(leader, "plan-04-published-read-only")

    head.goto(plan_url)
    assert head.locator("form.ind-row").count() == 0 and "已发布" in head.inner_text("h1")
