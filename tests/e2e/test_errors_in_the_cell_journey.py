"""A head types bad values in the scoring grid's count boxes: the cell shows the refusal where the
head is looking, keeps what was typed, is marked as an error, and never says "已保存"."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import demo_month, screenshot

pytestmark = pytest.mark.e2e


def test_a_bad_count_in_the_grid_shows_its_error_in_the_cell(login: Any, server: str) -> None:
    head = login("cs_head")
    head.goto(f"{server}/cycles/")
    head.click(f"text={demo_month(0)}")
    head.click("text=为团队评分")
    box = head.locator("td.cell input[name=value][id^=actual-]").first
    cell_id = box.get_attribute("id")
    for bad, says in (("1e30", "大于"), ("abc", "不是数字"), ("-3", "小于 0")):
        box = head.locator(f"#{cell_id}")
        box.fill(bad)
        box.press("Enter")
        cell = head.locator(f"td.cell:has(#{cell_id})")
        head.wait_for_function(
            "([id, says]) => { const td = document.getElementById(id)?.closest('td');"
            " return td && td.classList.contains('error') && td.innerText.includes(says); }",
            arg=[cell_id, says],
            timeout=10_000,
        )
        assert "已保存" not in cell.inner_text()
        assert head.locator(f"#{cell_id}").input_value() == bad  # the input is kept
        assert cell.locator("[role=alert]").count() == 1
    screenshot(head, "errors-01-count-refused-in-the-cell")
    box = head.locator(f"#{cell_id}")
    box.fill("2")
    box.press("Enter")
    head.wait_for_function(
        "id => document.getElementById(id)?.closest('td')?.classList.contains('saved')", arg=cell_id
    )
