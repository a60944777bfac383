"""The complaints and allegations list in Excel (issue 14 item 6): the list's cases for the
leader and the deputy (every page, same filters), counts per kind and state, never a reporter,
a stated reason audited."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.audit.tests.sheets import table_in, workbook_sheets
from jixiao.cases.concerns import services
from jixiao.cases.concerns.tests.world import allegation, anonymous, complaint

pytestmark = pytest.mark.django_db

HEADER = ["编号", "类型", "匿名", "标题", "被投诉（举报）人", "状态", "应办理日期", "已逾期", "提出时间"]
REFERENCE = re.compile(r'<a href="/cases/concerns/\d+/">([A-Z]+-\d+)</a>')


def _cases(p: Any) -> None:
    allegation(p)  # the employee against the colleague: the deputy handles it
    allegation(p, subject="deputy", reporter="colleague")  # names the deputy: only the leader
    complaint(p)
    complaint(p, reporter="colleague", subject=None)
    anonymous(p)


def _export(client: Any, query: str = "", reason: str = "投诉举报月度统计") -> Any:
    return client.post(reverse("concerns:list_export") + query, {"reason": reason})


@pytest.mark.parametrize("persona", ["leader", "deputy"])
@pytest.mark.parametrize(
    "query", ["", "?kind=allegation", "?state=filed&overdue=1", "?q=评分", "?kind=x&q=" + "y" * 300]
)
def test_the_download_holds_the_cases_the_list_shows(
    personas: Any, client_for: Any, persona: str, query: str
) -> None:
    _cases(personas)
    client = client_for(persona)
    page = client.get(reverse("concerns:list") + query).content.decode()
    response = _export(client, query)
    assert response.status_code == 200
    rows = table_in(response, HEADER)
    assert [row[0] for row in rows] == REFERENCE.findall(page)
    body = json.loads(AuditEvent.objects.get(action="export.personal").body)
    assert body["after"]["rows"] == len(rows) and body["after"]["what"] == "cases.concerns"


def test_the_deputy_does_not_get_the_allegation_that_names_them(personas: Any, client_for: Any) -> None:
    _cases(personas)
    leader = table_in(_export(client_for("leader")), HEADER)
    deputy = table_in(_export(client_for("deputy")), HEADER)
    deputy_name = personas.employees["deputy"].name
    assert any(row[4] == deputy_name for row in leader)
    assert not any(row[4] == deputy_name for row in deputy)


def test_no_reporter_is_in_the_workbook(personas: Any, client_for: Any) -> None:
    _cases(personas)
    response = _export(client_for("deputy"))  # the deputy handles the anonymous allegation
    cells = {
        str(c) for rows in workbook_sheets(response).values() for row in rows for c in row if c is not None
    }
    reporter = personas.employees["employee"]  # reports two cases and is named by none
    assert not any(reporter.name in c or "p_employee" in c or "198.51.100" in c for c in cells)
    rows = table_in(response, HEADER)
    assert sum(1 for row in rows if row[2] == "是") == 1  # the anonymous allegation, marked as such only


def test_every_page_of_the_list_is_in_the_download(personas: Any, client_for: Any) -> None:
    for n in range(53):
        services.concern_file(user=personas["employee"], kind="complaint", title=f"流程问题 {n}", text="说明")
    client = client_for("deputy")
    first = REFERENCE.findall(client.get(reverse("concerns:list")).content.decode())
    second = REFERENCE.findall(client.get(reverse("concerns:list") + "?page=2").content.decode())
    rows = table_in(_export(client), HEADER)
    assert [row[0] for row in rows] == first + second and len(rows) == 53
    counts = table_in(_export(client), ["类型", "状态", "件数"])
    assert sum(int(n) for _k, _s, n in counts) == 53


def test_a_title_that_looks_like_a_formula_stays_text(personas: Any, client_for: Any) -> None:
    services.concern_file(user=personas["employee"], kind="complaint", title="=1+2", text="说明")
    rows = table_in(_export(client_for("deputy")), HEADER)
    assert rows[0][3] == "=1+2"


@pytest.mark.parametrize("reason", ["", "   ", "x" * 20_000, "\x07\x07\x07\x07"])
def test_a_missing_or_hostile_reason_is_refused_on_the_list(
    personas: Any, client_for: Any, reason: str
) -> None:
    _cases(personas)
    response = _export(client_for("deputy"), "?kind=allegation", reason=reason)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and REFERENCE.search(page)
    assert not AuditEvent.objects.filter(action="export.personal").exists()


@pytest.mark.parametrize("persona", ["employee", "head", "hr", "member", "admin", "auditor"])
def test_who_may_not_see_the_list_may_not_download_it(personas: Any, client_for: Any, persona: str) -> None:
    _cases(personas)
    assert _export(client_for(persona)).status_code == 403
    assert not AuditEvent.objects.filter(action="export.personal").exists()


def test_the_download_costs_the_same_queries_with_more_cases(personas: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _cases(personas)
    client = client_for("deputy")
    _export(client)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert _export(client).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for n in range(6):
        allegation(personas, subject="worker" if n % 2 else "colleague")
    assert count() == few
