"""The staff directory in Excel (issue 14 item 6): the directory's people under its filters
(every page), its columns and no personal data, for HR and the administrator only, with a
stated reason audited."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.audit.tests.sheets import table_in, workbook_sheets
from jixiao.org.models import Employee

pytestmark = pytest.mark.django_db

HEADER = ["工号", "姓名", "部门", "岗位", "直接上级", "状态", "工作电话"]
NUMBER = re.compile(r"<tr><td>([^<]+)</td><td><a href=\"/org/employees/\d+/\">")


def _numbers_on_every_page(client: Any, query: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for page in range(1, 20):
        html = client.get(reverse("org:employees"), {**query, "page": page}).content.decode()
        numbers = NUMBER.findall(html)
        if not numbers or (found and numbers[0] in found):
            return found
        found += numbers
    return found


def _export(client: Any, query: str = "", reason: str = "年度人员盘点") -> Any:
    return client.post(reverse("org:employees_export") + query, {"reason": reason})


def _more_people(personas: Any, n: int) -> None:
    for i in range(n):
        Employee.objects.create(
            number=f"X{i:03d}",
            name=f"名录{i}" if i else '=HYPERLINK("http://x","点我")',
            department=personas.department,
            hire_date=dt.date(2021, 1, 1),
        )


@pytest.mark.parametrize("persona", ["hr", "hrsup", "admin"])
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "名录1"},
        {"department": "PK"},
        {"status": "active"},
        {"department": "999999"},
        {"q": "x" * 300},
    ],
)
def test_the_download_holds_the_people_the_directory_lists(
    personas: Any, client_for: Any, persona: str, query: dict[str, Any]
) -> None:
    _more_people(personas, 30)
    query = {k: (str(personas.department.pk) if v == "PK" else v) for k, v in query.items()}
    client = client_for(persona)
    shown = _numbers_on_every_page(client, query)
    encoded = "?" + "&".join(f"{k}={v}" for k, v in query.items())
    response = _export(client, encoded)
    assert response.status_code == 200
    rows = table_in(response, HEADER)
    assert [row[0] for row in rows] == shown and shown
    body = json.loads(AuditEvent.objects.get(action="export.personal").body)
    assert body["after"]["rows"] == len(rows) and body["after"]["what"] == "org.employees"


def test_no_personal_data_and_text_stays_text(personas: Any, client_for: Any) -> None:
    _more_people(personas, 2)
    response = _export(client_for("hr"))
    cells = {
        str(c) for rows in workbook_sheets(response).values() for row in rows for c in row if c is not None
    }
    employee = personas.employees["employee"]
    assert employee.name in cells
    assert not any(employee.id_number in c or employee.personal_phone in c for c in cells)
    assert '=HYPERLINK("http://x","点我")' in cells


@pytest.mark.parametrize("persona", ["employee", "head", "leader", "finance", "auditor"])
def test_only_those_who_administer_the_organisation_may_download(
    personas: Any, client_for: Any, persona: str
) -> None:
    client = client_for(persona)
    assert 'name="reason"' not in client.get(reverse("org:employees")).content.decode()
    assert _export(client).status_code == 403
    assert _export(client, reason="").status_code == 403
    assert not AuditEvent.objects.filter(action="export.personal").exists()


@pytest.mark.parametrize("reason", ["", "abc", "x" * 20_000, "名录\r\n导出"])
def test_a_missing_or_hostile_reason_is_refused_on_the_directory(
    personas: Any, client_for: Any, reason: str
) -> None:
    response = _export(client_for("hr"), "?q=测试", reason=reason)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and NUMBER.search(page)
    assert not AuditEvent.objects.filter(action="export.personal").exists()


def test_the_download_costs_the_same_queries_with_more_people(personas: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("hr")
    _export(client)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert _export(client).status_code == 200
        return len(captured.captured_queries)

    few = count()
    _more_people(personas, 12)
    assert count() == few
