"""The results list's Excel download (issue 14 item 6): the page's rows for each persona, a
reason asked and audited, user text kept as text, hostile reasons refused on the page."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.audit.tests.sheets import table_in
from jixiao.cycles.results.tests.scenario import recheck_cycle
from jixiao.org.models import Employee

pytestmark = pytest.mark.django_db

HEADER = ["公司排名", "部门排名", "工号", "员工", "部门", "总分", "等级", "一票否决", "系数"]
LINK = re.compile(r'<a href="/cycles/results/\d+/">([^<]+)</a>')


def _page_names(client: Any, cycle_pk: int) -> list[str]:
    page = client.get(reverse("cycles:results", args=[cycle_pk]))
    assert page.status_code == 200
    return LINK.findall(page.content.decode())


@pytest.mark.parametrize("persona", ["hr", "leader", "member", "head", "other_head"])
def test_the_download_holds_the_rows_the_page_shows(personas: Any, client_for: Any, persona: str) -> None:
    cycle = recheck_cycle(personas)
    client = client_for(persona)
    shown = _page_names(client, cycle.pk)
    response = client.post(reverse("cycles:results_export", args=[cycle.pk]), {"reason": "月度分析"})
    assert response.status_code == 200
    rows = table_in(response, HEADER)
    assert [row[3] for row in rows] == shown and shown
    departments = {row[4] for row in rows}
    if persona == "head":
        assert departments == {personas.department.name}
    elif persona == "other_head":
        assert departments == {personas.other_department.name}
    else:
        assert departments == {personas.department.name, personas.other_department.name}
    event = AuditEvent.objects.get(action="export.personal")
    body = json.loads(event.body)
    assert body["after"]["rows"] == len(rows) and body["after"]["what"] == "cycles.results"
    assert body["reason"] == "月度分析" and event.actor_id == personas[persona].pk


def test_totals_and_ranks_are_numbers_as_the_page_shows_them(personas: Any, client_for: Any) -> None:
    cycle = recheck_cycle(personas, extra=2)
    response = client_for("hr").post(
        reverse("cycles:results_export", args=[cycle.pk]), {"reason": "季度复盘"}
    )
    page = client_for("hr").get(reverse("cycles:results", args=[cycle.pk])).content.decode()
    for row in table_in(response, HEADER):
        assert isinstance(row[0], int | float) and isinstance(row[5], int | float)
        assert f"{row[5]:.2f}" in page


@pytest.mark.parametrize("reason", ["", "  ", "abc", "x" * 20_000, "月度\x00分析", "月度\x1b分析"])
def test_a_missing_or_hostile_reason_is_refused_on_the_list_and_nothing_is_recorded(
    personas: Any, client_for: Any, reason: str
) -> None:
    cycle = recheck_cycle(personas, extra=1)
    response = client_for("hr").post(reverse("cycles:results_export", args=[cycle.pk]), {"reason": reason})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "导出原因" in page and LINK.search(page)
    assert not AuditEvent.objects.filter(action="export.personal").exists()


def test_a_name_that_looks_like_a_formula_stays_text(personas: Any, client_for: Any) -> None:
    cycle = recheck_cycle(personas, extra=1)
    Employee.objects.filter(number="RC00").update(name='=HYPERLINK("http://evil","x")')
    response = client_for("hr").post(
        reverse("cycles:results_export", args=[cycle.pk]), {"reason": "月度分析"}
    )
    names = [row[3] for row in table_in(response, HEADER)]
    assert '=HYPERLINK("http://evil","x")' in names


@pytest.mark.parametrize("persona", ["employee", "colleague", "admin", "finance", "auditor"])
def test_who_may_not_see_the_list_may_not_download_it(personas: Any, client_for: Any, persona: str) -> None:
    cycle = recheck_cycle(personas, extra=1)
    response = client_for(persona).post(
        reverse("cycles:results_export", args=[cycle.pk]), {"reason": "月度分析"}
    )
    assert response.status_code in {403, 404}
    assert not AuditEvent.objects.filter(action="export.personal").exists()


def test_the_list_offers_the_download_with_its_reason_field(personas: Any, client_for: Any) -> None:
    cycle = recheck_cycle(personas, extra=1)
    page = client_for("hr").get(reverse("cycles:results", args=[cycle.pk])).content.decode()
    assert reverse("cycles:results_export", args=[cycle.pk]) in page
    assert 'name="reason"' in page and "csrfmiddlewaretoken" in page


def _more_people(cycle: Any, n: int) -> None:
    """``n`` more people in ``cycle``, each a copy of one computed member and result (not
    ``more_people.add_people``: its shared numbering is what other tests' names rely on)."""
    from jixiao.cycles.lifecycle.models import CycleMember

    model = CycleMember.objects.filter(cycle=cycle, result__isnull=False).select_related("result").first()
    assert model is not None
    for i in range(n):
        employee = Employee.objects.create(
            number=f"EXQ{i:03d}", name=f"导出加人{i}", department_id=model.department_id
        )
        member = CycleMember.objects.create(
            cycle=cycle,
            employee=employee,
            snapshot_id=model.snapshot_id,
            department_id=model.department_id,
            position_id=model.position_id,
            manager_id=model.manager_id,
        )
        result = model.result
        result.pk, result.id, result.member = None, None, member
        result.save()


def test_the_download_costs_the_same_queries_with_more_people(personas: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cycle = recheck_cycle(personas, extra=1)
    client = client_for("hr")
    url = reverse("cycles:results_export", args=[cycle.pk])
    client.post(url, {"reason": "月度分析"})

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.post(url, {"reason": "月度分析"}).status_code == 200
        return len(captured.captured_queries)

    few = count()
    _more_people(cycle, 8)
    assert count() == few
    rows = table_in(client.post(url, {"reason": "月度分析"}), HEADER)
    assert sum(1 for row in rows if str(row[3]).startswith("导出加人")) == 8


def test_the_refusal_and_the_workbook_read_in_english(personas: Any, client_for: Any) -> None:
    cycle = recheck_cycle(personas, extra=1)
    client = client_for("hr")
    client.cookies["django_language"] = "en"
    url = reverse("cycles:results_export", args=[cycle.pk])
    refused = client.post(url, {"reason": "no"}).content.decode()
    assert "Exporting personal data needs a stated reason" in refused and "必须说明原因" not in refused
    response = client.post(url, {"reason": "monthly review"})
    header = ["Company rank", "Department rank", "Number", "Employee", "Department", "Total", "Grade", "Veto"]
    assert table_in(response, header)
