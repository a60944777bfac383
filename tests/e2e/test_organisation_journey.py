"""Journeys through the organisation pages in a real browser, as HR and as an agent."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import ROOT, nav_click, screenshot

pytestmark = pytest.mark.e2e


def test_hr_browses_the_organisation_and_is_told_what_is_wrong(
    login: Any, server: str, tmp_path: Any
) -> None:
    page = login("hr")
    assert "组织架构" in page.text_content("nav.mainnav")
    screenshot(page, "01-home-hr")

    nav_click(page, "组织架构")
    assert "市场部" in page.inner_text("main")
    screenshot(page, "02-department-tree")

    nav_click(page, "岗位")
    over = page.locator("tr.over")
    assert over.count() >= 1 and "超编" in over.first.inner_text()
    screenshot(page, "03-positions-quota")

    nav_click(page, "员工")
    page.fill("input[name=q]", "E1009")
    page.click("form.filters button[type=submit]")
    rows = page.locator("table.grid tbody tr")
    assert rows.count() == 1
    rows.first.locator("a").click()
    assert "身份证号" in page.inner_text("main")
    screenshot(page, "04-employee-detail-hr")

    page.click("text=编辑")
    page.fill("input[name=id_number]", "123")
    page.click("button[type=submit].primary")
    assert "身份证号应为 18 位" in page.inner_text("main")
    screenshot(page, "05-employee-edit-error")

    page.goto(f"{server}/org/import/")
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    page.set_input_files("input[name=file]", str(bad))
    page.click("button[type=submit].primary")
    assert "不是 Excel" in page.inner_text("main")
    screenshot(page, "06-import-error")


def test_an_agent_sees_colleagues_but_not_their_personal_data(login: Any, server: str) -> None:
    page = login("cs_agent")
    nav = page.text_content("nav.mainnav")
    assert "数据导入" not in nav and "审计日志" not in nav
    page.goto(f"{server}/org/employees/?q=E1001")
    page.locator("table.grid tbody tr a").first.click()
    main = page.inner_text("main")
    assert "工作信息" in main and "身份证号" not in main
    response = page.goto(f"{server}/org/import/")
    assert response is not None and response.status == 403
    screenshot(page, "07-agent-forbidden")


def test_the_interface_switches_to_english(login: Any) -> None:
    page = login("auditor")
    page.click("button[name=language][value=en]")
    nav_click(page, "Audit log")
    page.click("text=Verify hash chain")
    assert "Hash chain intact" in page.inner_text("main")
    screenshot(page, "08-audit-english")
    assert ROOT.exists()
