"""HR tries to close the open month while people still lack data: the close page lists who lacks
what (department, person, indicator, measure or rater) and nothing closes."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import demo_month, screenshot

pytestmark = pytest.mark.e2e


def test_hr_sees_who_lacks_what_and_the_cycle_stays_open(login: Any, server: str) -> None:
    hr = login("hr")
    hr.goto(f"{server}/cycles/")
    hr.click(f"text={demo_month(0)}")
    hr.click("text=截止前的数据检查")
    hr.wait_for_selector("#gap-list")
    listed = hr.inner_text("#gap-list")
    assert "客服部" in listed and "须补齐" in listed
    reason = hr.locator("textarea[name=reason]")
    if reason.count():  # the month has not ended: an early close states why
        reason.fill("测试：提前截止")
    hr.click("#data-gaps button.primary")
    hr.wait_for_selector("#close-refused")
    assert "缺少考核数据" in hr.inner_text("#close-refused")
    assert hr.locator("#gap-list tr").count() > 1  # the list is shown again with the refusal
    screenshot(hr, "close-01-refused-with-the-list")
    hr.click(f"h1 a:has-text('{demo_month(0)}')")
    assert "数据录入与评分中" in hr.inner_text("h1")
