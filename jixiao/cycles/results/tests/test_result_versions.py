"""The result page after a recheck: "第 2 版" / "Version 2", the earlier version with what changed
and why, to whoever may see the result — totals and grades only where the release shows them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from jixiao.cycles.lifecycle.models import Cycle
from jixiao.cycles.results.models import Result
from jixiao.cycles.results.recheck import Corrections, recheck_apply

from .scenario import recheck_cycle, result_of

pytestmark = pytest.mark.django_db

REASON = "成交单数漏录，复核补正"


def _rechecked(personas: Any) -> tuple[Result, Any]:
    cycle = recheck_cycle(personas, extra=0)
    result = result_of(personas, cycle)
    version = recheck_apply(
        user=personas["leader"],
        result=result,
        corrections=Corrections(measures={"orders": "45", "satisfaction": "99"}),
        reason=REASON,
        source="appeal:12",
    )
    result.refresh_from_db()
    return result, version


def _versions(html: str) -> str:
    found = re.search(r'<section class="card" id="versions">.*?</section>', html, re.S)
    assert found is not None
    return found.group(0)


def test_the_employee_sees_version_2_and_the_earlier_version_with_the_change_and_reason(
    personas: Any, client_for: Any
) -> None:
    result, version = _rechecked(personas)
    url = reverse("cycles:result_detail", args=[result.pk])
    html = client_for("employee").get(url).content.decode()
    assert "第 2 版" in html
    table = _versions(html)
    assert "第 1 版" in table and REASON in table and "申诉 AP-12" in table and "appeal:12" not in html
    change = result.total_milli - version.total_milli
    assert version.total_display in table and f"+{change // 1000}.{change % 1000 // 10:02d}" in table
    assert version.grade in table
    english = client_for("employee")
    english.cookies["django_language"] = "en"
    page = english.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Version 2" in page and "Version 1" in _versions(page) and "Appeal AP-12" in page
    assert client_for("colleague").get(url).status_code == 404  # the versions go with the result


def test_a_hidden_total_and_grade_stay_hidden_in_the_versions_for_the_employee(
    personas: Any, client_for: Any
) -> None:
    result, version = _rechecked(personas)
    Cycle.objects.filter(pk=result.cycle_id).update(release_score=False, release_grade=False)
    url = reverse("cycles:result_detail", args=[result.pk])
    table = _versions(client_for("employee").get(url).content.decode())
    assert REASON in table and "第 1 版" in table
    assert version.total_display not in table and "复核后变化" not in table and "复核后等级" not in table
    full = _versions(client_for("hr").get(url).content.decode())  # HR sees a result whole
    assert version.total_display in full and "复核后等级" in full


def test_a_result_never_rechecked_shows_no_versions(personas: Any, client_for: Any) -> None:
    cycle = recheck_cycle(personas, extra=0)
    html = client_for("employee").get(reverse("cycles:result_detail", args=[result_of(personas, cycle).pk]))
    assert 'id="versions"' not in html.content.decode() and "第 1 版" not in html.content.decode()
