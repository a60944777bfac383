"""Cycle pages through real requests: the grid saves per cell, the trace reads in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.cycles.entry.models import Score
from jixiao.cycles.lifecycle import services
from jixiao.cycles.results.models import Result
from jixiao.cycles.tests.helpers import closed_cycle, member_of, open_cycle, summaries_checked

pytestmark = pytest.mark.django_db


def test_manager_saves_a_grid_cell_and_gets_it_back_with_its_new_version(
    personas: Any, client_for: Any
) -> None:
    cycle = open_cycle(personas)
    member = member_of(personas, cycle)
    client = client_for("head")
    page = client.get(reverse("cycles:grid", args=[cycle.pk]))
    assert page.status_code == 200
    assert "主动分享经验" in page.content.decode()
    url = reverse("cycles:score_save", args=[member.pk])
    answer = client.post(url, {"indicator": "teamwork", "kind": "manager", "value": "good", "version": "0"})
    assert answer.status_code == 200
    assert 'name="version" value="1"' in answer.content.decode()
    stale = client.post(url, {"indicator": "teamwork", "kind": "manager", "value": "fair", "version": "0"})
    assert stale.status_code == 409
    assert Score.objects.get(member=member, rater_kind="manager").value == "good"


def test_the_grid_query_count_does_not_grow_with_the_team(
    personas: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    cycle = open_cycle(personas)
    client = client_for("head")
    client.get(reverse("cycles:grid", args=[cycle.pk]))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cycles:grid", args=[cycle.pk])).status_code == 200


def test_employee_reads_the_trace_of_a_published_result(personas: Any, client_for: Any) -> None:
    cycle = closed_cycle(personas)
    result = Result.objects.get(member=member_of(personas, cycle))
    url = reverse("cycles:result_detail", args=[result.pk])
    assert client_for("employee").get(url).status_code == 404  # not yet published
    summaries_checked(personas, cycle)
    for action in ("submit_summaries", "hr_check", "publish"):
        if action == "publish":
            services.cycle_verify(user=personas["leader"], cycle=cycle)
        cycle = services.cycle_transition(user=personas["hr"], cycle=cycle, action=action)
    page = client_for("employee").get(url).content.decode()
    assert "计算过程" in page and "转化率" in page and "四舍五入" in page
    assert "90.34" in page
    assert client_for("colleague").get(url).status_code == 404


def test_reading_another_persons_result_is_logged(personas: Any, client_for: Any) -> None:
    cycle = closed_cycle(personas)
    result = Result.objects.get(member=member_of(personas, cycle))
    assert client_for("hr").get(reverse("cycles:result_detail", args=[result.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="result.read", object_id=str(result.pk)).count() == 1


def test_dashboard_names_who_has_not_been_scored(personas: Any, client_for: Any) -> None:
    cycle = open_cycle(personas)
    page = client_for("hr").get(reverse("cycles:cycle_detail", args=[cycle.pk])).content.decode()
    assert "各部门进度" in page and "测试employee" in page
