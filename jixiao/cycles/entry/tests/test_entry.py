"""Manual entry of actuals, the cycle dashboard and the grid through real requests: who sees whom,
the state guard, overdue stages, and query counts that do not grow with the team."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.cycles.entry.models import Actual
from jixiao.cycles.lifecycle.models import Cycle, CycleMember
from jixiao.cycles.tests.helpers import closed_cycle, member_of, open_cycle
from jixiao.org.models import Employee

pytestmark = pytest.mark.django_db


def grow_team(personas: Any, cycle: Cycle, extra: int) -> None:
    """Add ``extra`` members to the head's team in ``cycle`` under the employee's snapshot."""
    snapshot_id = member_of(personas, cycle).snapshot_id
    head = personas.employees["head"]
    for i in range(extra):
        employee = Employee.objects.create(
            number=f"T{i:03d}", name=f"组员{i}", department=personas.department, manager=head
        )
        CycleMember.objects.create(
            cycle=cycle,
            employee=employee,
            snapshot_id=snapshot_id,
            department=personas.department,
            manager=head,
        )


def queries(client: Any, url: str) -> int:
    assert client.get(url).status_code == 200  # warm: session, actor
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_hr_enters_an_actual_on_the_entry_page_and_gets_the_cell_back_with_its_version(
    personas: Any, client_for: Any
) -> None:
    cycle = open_cycle(personas)
    member = member_of(personas, cycle)
    client = client_for("hr")
    page = client.get(reverse("cycles:actuals_entry", args=[cycle.pk])).content.decode()
    assert "测试employee" in page and "成交单数" in page
    assert f'id="actual-{member.pk}-orders"' in page
    assert "submit" in page  # Enter saves the cell (htmx handles the form's submit)
    answer = client.post(
        reverse("cycles:actual_save", args=[member.pk]), {"measure": "orders", "value": "31", "version": "0"}
    )
    assert answer.status_code == 200
    assert 'name="version" value="1"' in answer.content.decode()
    assert Actual.objects.get(member=member, measure_key="orders").value == "31"
    again = client.get(reverse("cycles:actuals_entry", args=[cycle.pk])).content.decode()
    assert 'value="31"' in again


def test_a_head_enters_for_their_own_department_only(personas: Any, client_for: Any) -> None:
    cycle = open_cycle(personas)
    url = reverse("cycles:actuals_entry", args=[cycle.pk])
    mine = client_for("head").get(url).content.decode()
    assert "测试employee" in mine and "测试colleague" in mine
    other = client_for("other_head").get(url).content.decode()
    assert "测试employee" not in other and "没有您可以录入实际值的员工" in other
    assert client_for("employee").get(url).status_code == 403


def test_the_department_filter_narrows_the_sheet(personas: Any, client_for: Any) -> None:
    cycle = open_cycle(personas)
    url = reverse("cycles:actuals_entry", args=[cycle.pk])
    shown = client_for("hr").get(url, {"department": personas.other_department.pk}).content.decode()
    assert "测试employee" not in shown
    shown = client_for("hr").get(url, {"department": personas.department.pk}).content.decode()
    assert "测试employee" in shown


def test_entry_is_refused_on_a_cycle_that_is_not_open_in_both_languages(
    personas: Any, client_for: Any
) -> None:
    cycle = closed_cycle(personas)
    answer = client_for("hr").get(reverse("cycles:actuals_entry", args=[cycle.pk]))
    assert answer.status_code == 409
    assert "只有在录入与评分期间才能录入实际值" in answer.content.decode()
    member = member_of(personas, cycle)
    saved = client_for("hr").post(
        reverse("cycles:actual_save", args=[member.pk]), {"measure": "orders", "value": "1", "version": "1"}
    )
    assert saved.status_code == 409


def test_the_entry_page_query_count_does_not_grow_with_the_team(personas: Any, client_for: Any) -> None:
    cycle = open_cycle(personas)
    client = client_for("hr")
    url = reverse("cycles:actuals_entry", args=[cycle.pk])
    small = queries(client, url)
    grow_team(personas, cycle, 27)
    assert queries(client, url) == small


def test_the_grid_query_count_is_the_same_for_a_team_of_3_and_of_30(personas: Any, client_for: Any) -> None:
    cycle = open_cycle(personas)
    client = client_for("head")
    url = reverse("cycles:grid", args=[cycle.pk])
    small = queries(client, url)
    grow_team(personas, cycle, 28)
    page = client.get(url).content.decode()
    assert page.count('<tr><th scope="row">') >= 30
    assert queries(client, url) == small


def test_the_dashboard_names_who_lacks_data_or_scores_with_a_constant_query_count(
    personas: Any, client_for: Any
) -> None:
    cycle = open_cycle(personas)
    client = client_for("hr")
    url = reverse("cycles:cycle_detail", args=[cycle.pk])
    page = client.get(url).content.decode()
    assert "缺数据" in page and "测试employee" in page
    small = queries(client, url)
    grow_team(personas, cycle, 27)
    page = client.get(url).content.decode()
    assert "组员26" in page
    assert queries(client, url) == small


def test_the_cycle_page_shows_each_stage_deadline_and_marks_the_overdue_one(
    personas: Any, client_for: Any
) -> None:
    cycle = open_cycle(personas)
    cycle.deadlines = {"open": "2020-01-31", "published": "2999-12-31"}
    cycle.save()
    page = client_for("hr").get(reverse("cycles:cycle_detail", args=[cycle.pk])).content.decode()
    assert "各阶段截止日期" in page and "2020-01-31" in page and "2999-12-31" in page
    assert page.count("已逾期") == 1
    assert 'class="overdue"' in page


@pytest.mark.django_db
def test_the_cycle_page_offers_the_import_only_to_those_who_may_import(
    personas: Any, client_for: Any
) -> None:
    cycle = open_cycle(personas)
    import_url = f"/cycles/{cycle.pk}/actuals/"
    head_page = client_for("head").get(f"/cycles/{cycle.pk}/").content.decode()
    assert f"/cycles/{cycle.pk}/actuals/entry/" in head_page and f'href="{import_url}"' not in head_page
    assert client_for("head").get(import_url).status_code == 403
    assert f'href="{import_url}"' in client_for("hr").get(f"/cycles/{cycle.pk}/").content.decode()
