"""Excel everywhere a list is shown (issue 14 item 6) in a real browser: HR opens a month's
results, tries the download without a reason and is told why on the list itself, states one and
gets the workbook with the people the list shows; the customer-service head's download holds
their department only; the auditor finds the export in the audit log by its label."""

from __future__ import annotations

import io
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from .conftest import demo_month, screenshot

pytestmark = pytest.mark.e2e


def _results_page(page: Any, server: str) -> None:
    page.goto(f"{server}/cycles/")
    href = page.locator("a", has_text=demo_month(-1)).first.get_attribute("href")
    page.goto(f"{server}{href.split('?')[0].rstrip('/')}/results/")


def _download(page: Any, reason: str) -> list[list[Any]]:
    page.fill("form.export-form input[name=reason]", reason)
    with page.expect_download() as info:
        page.click("form.export-form button[type=submit]")
    with open(info.value.path(), "rb") as downloaded:
        book = CalamineWorkbook.from_filelike(io.BytesIO(downloaded.read()))
    return [row for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python()]


def _data_rows(rows: list[list[Any]]) -> list[list[Any]]:
    header = next(i for i, row in enumerate(rows) if row[:4] == ["公司排名", "部门排名", "工号", "员工"])
    return [row for row in rows[header + 1 :] if any(c not in ("", None) for c in row)]


def test_hr_downloads_results_with_a_reason_and_the_auditor_sees_it(login: Any, server: str) -> None:
    hr = login("hr")
    _results_page(hr, server)
    names = [n.strip() for n in hr.locator("table.grid tbody td:nth-child(3) a").all_inner_texts()]
    assert len(names) > 5
    # The browser asks for the reason itself; without that check the server refuses on the list.
    hr.evaluate("document.querySelector('form.export-form input[name=reason]').removeAttribute('required')")
    hr.evaluate("document.querySelector('form.export-form input[name=reason]').removeAttribute('minlength')")
    hr.click("form.export-form button[type=submit]")
    assert "说明原因" in hr.inner_text("#export-error")
    assert hr.locator("table.grid tbody tr").count() == len(names)  # still the list
    screenshot(hr, "exports-01-reason-refused")

    rows = _data_rows(_download(hr, "月度绩效分析"))
    assert [row[3] for row in rows] == names

    head = login("cs_head")
    _results_page(head, server)
    head_rows = _data_rows(_download(head, "本部门月度复盘"))
    assert head_rows and {row[4] for row in head_rows} == {"客服部"}

    auditor = login("auditor")
    auditor.goto(f"{server}/integrity/audit/")
    log = auditor.inner_text("main")
    assert "导出个人数据" in log and "export.personal" not in log
    screenshot(auditor, "exports-02-audit-log")
