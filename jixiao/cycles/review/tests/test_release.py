"""Release (结果开通): the employee sees only what HR releases of their own result."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.cycles.review.release import rank_band
from jixiao.cycles.review.services import cycle_release_set
from jixiao.cycles.tests.helpers import closed_cycle, member_of, published_cycle

TOTAL = "90.34"  # the persona employee's total in the 2026-10 cycle


@pytest.mark.parametrize(
    "rank,size,band",
    [(1, 10, 10), (2, 10, 20), (3, 10, 30), (5, 10, 50), (6, 10, None), (1, 3, 50), (1, 1, 50), (2, 2, None)],
)
def test_a_rank_falls_in_the_smallest_band_that_holds_it(rank: int, size: int, band: int | None) -> None:
    assert rank_band(rank, size) == band


def _published_with(personas: Any, **release: Any) -> Any:
    cycle = closed_cycle(personas)
    if release:
        cycle_release_set(user=personas["hr"], cycle=cycle, **release)
    return published_cycle(personas)


def _pages(personas: Any, client_for: Any, name: str = "employee") -> tuple[str, str]:
    result = member_of(personas, published_cycle(personas)).result
    detail = client_for(name).get(reverse("cycles:result_detail", args=[result.pk])).content.decode()
    mine = client_for("employee").get(reverse("cycles:my_results")).content.decode()
    return detail, mine


@pytest.mark.django_db
def test_by_default_the_employee_sees_total_grade_and_a_band_but_no_rank_number(
    personas: Any, client_for: Any
) -> None:
    _published_with(personas)
    detail, mine = _pages(personas, client_for)
    assert TOTAL in detail and 'id="trace"' in detail and "部门前" in detail
    assert "部门第" not in detail and "公司第" not in detail
    assert TOTAL in mine and "部门前" in mine and "部门第" not in mine


@pytest.mark.django_db
def test_a_hidden_total_hides_its_trace_from_the_employee_but_not_from_hr_or_the_head(
    personas: Any, client_for: Any
) -> None:
    _published_with(personas, score=False, grade=True, rank="hidden")
    detail, mine = _pages(personas, client_for)
    assert TOTAL not in detail and 'id="trace"' not in detail and "转化率" not in detail
    assert "不公布总分" in detail and "部门前" not in detail
    assert TOTAL not in mine and "不公布" in mine
    for name in ("hr", "head", "leader"):
        full, _ = _pages(personas, client_for, name)
        assert TOTAL in full and 'id="trace"' in full and "公司第" in full


@pytest.mark.django_db
def test_a_hidden_grade_hides_the_grade_and_the_coefficient(personas: Any, client_for: Any) -> None:
    _published_with(personas, score=True, grade=False, rank="department")
    result = member_of(personas, published_cycle(personas)).result
    detail, mine = _pages(personas, client_for)
    assert TOTAL in detail and "系数" not in detail and f"等级 {result.grade}" not in detail
    assert "部门第" in detail and "公司第" not in detail
    assert f"<td>{result.grade}</td>" not in mine


@pytest.mark.django_db
def test_company_rank_is_shown_only_when_released(personas: Any, client_for: Any) -> None:
    _published_with(personas, score=True, grade=True, rank="company")
    detail, _ = _pages(personas, client_for)
    assert "部门第" in detail and "公司第" in detail


@pytest.mark.django_db
def test_only_hr_sets_the_release_and_only_before_publishing(personas: Any) -> None:
    cycle = closed_cycle(personas)
    with pytest.raises(PermissionRefused):
        cycle_release_set(user=personas["head"], cycle=cycle, score=False, grade=False, rank="hidden")
    with pytest.raises(JixiaoError):
        cycle_release_set(user=personas["hr"], cycle=cycle, score=True, grade=True, rank="everyone")
    cycle_release_set(user=personas["hr"], cycle=cycle, score=False, grade=True, rank="hidden")
    event = AuditEvent.objects.get(action="cycle.release")
    assert '"after":{"grade":true,"rank":"hidden","score":false}' in event.body
    cycle = published_cycle(personas)
    with pytest.raises(JixiaoError) as refused:
        cycle_release_set(user=personas["hr"], cycle=cycle, score=True, grade=True, rank="band")
    assert refused.value.code == "cycle_state"


@pytest.mark.django_db
def test_hr_sets_the_release_on_its_page(personas: Any, client_for: Any) -> None:
    cycle = closed_cycle(personas)
    url = reverse("cycles:release", args=[cycle.pk])
    page = client_for("hr").get(url).content.decode()
    assert "只显示所在区间" in page
    assert client_for("hr").post(url, {"grade": "on", "rank": "department"}).status_code == 302
    cycle.refresh_from_db()
    assert (cycle.release_score, cycle.release_grade, cycle.release_rank) == (False, True, "department")
    assert client_for("head").post(url, {"rank": "hidden"}).status_code == 403
