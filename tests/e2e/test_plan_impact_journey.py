"""A plan's impact before approval in a real browser (issue 14): the committee deputy opens the
production plan's version 2 waiting for the meeting, reads on its page what it would have done
over the last closed months — the grade distribution old against new (a chart and its table) and
who drops from A to B because of 产量完成率 — opens the whole preview over six months with the
bonus totals to the fen, and returns the version at the meeting with the reason; HR opens the
marketing plan's version 2, sees that nobody changes grade over three months, and passes it.

Why a server of its own: this journey returns the production version and passes the marketing
one, which other journeys' to-do counts would otherwise see change under them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast

import pytest

from .conftest import screenshot
from .conftest import server as shared_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: Any) -> Iterator[str]:
    """This module's own Jixiao, started like the shared one (see the module's docstring)."""
    yield from cast(Any, shared_server).__wrapped__(tmp_path_factory)


def _open_version(page: Any, server: str, name: str) -> None:
    page.goto(f"{server}/plans/")
    page.click(f"a:text-is('{name}') >> nth=0")
    page.wait_for_selector("#impact-preview")  # the section the plan page loads from the preview


def test_the_committee_reads_the_impact_and_returns_the_version(login: Any, server: str) -> None:
    deputy = login("deputy")
    _open_version(deputy, server, "生产部考核细则")
    assert "v2" in deputy.inner_text("h1") and "待考核小组会议" in deputy.inner_text("h1")
    section = deputy.locator("#impact")
    assert section.locator("svg").count() >= 1  # the grade distribution, old against new
    movers = section.locator("#section-movers table").inner_text()
    assert "产量完成率" in movers and "A 优秀" in movers and "B 良好" in movers
    screenshot(deputy, "impact-01-plan-page-section")

    deputy.click("#impact a:has-text('完整影响预览')")
    deputy.select_option("#impact-n select[name=n]", "6")
    deputy.click("#impact-n button[type=submit]")
    deputy.wait_for_selector("#section-bonus")
    total = deputy.locator("#section-bonus tbody tr").last.inner_text()
    assert total.startswith("合计") and re.search(r"\d,?\d*\.\d\d", total)  # yuan, to the fen
    assert deputy.locator("#section-people tbody tr").count() >= 100  # six months of the plant
    screenshot(deputy, "impact-02-full-preview")

    deputy.go_back()
    deputy.go_back()
    deputy.wait_for_selector("#impact-preview")
    deputy.select_option(".actions-panel select[name=meeting]", index=1)
    deputy.fill(".actions-panel textarea[name=note]", "7 人次由 A 降为 B，目标值请结合设备检修安排重新测算。")
    deputy.click(".actions-panel button:has-text('会议退回')")
    deputy.wait_for_load_state()
    assert "已退回修改" in deputy.inner_text("h1")


def test_hr_sees_nobody_changes_grade_and_passes_the_version(login: Any, server: str) -> None:
    hr = login("hr")
    _open_version(hr, server, "市场部考核细则")
    assert "待人力资源部评审" in hr.inner_text("h1")
    assert "没有人的等级发生变化" in hr.inner_text("#impact")
    screenshot(hr, "impact-03-nobody-moves")
    hr.click(".actions-panel button:has-text('评审通过，报副组长')")
    hr.wait_for_load_state()
    assert "待副组长审核" in hr.inner_text("h1")
