"""The appeals list in Excel (issue 14 item 6): the rows and filters of the page per persona,
the count per state, a stated reason audited, hostile reasons refused on the list."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.audit.tests.sheets import table_in
from jixiao.cases.appeals import services
from jixiao.cases.appeals.tests.world import filed_appeal, note, rechecking_appeal, result_of

pytestmark = pytest.mark.django_db

HEADER = ["编号", "逾期申诉", "申诉人", "周期", "状态", "本环节期限", "已逾期"]
REFERENCE = re.compile(r">(AP-\d+)</a>")


def _two_appeals(personas: Any) -> None:
    rechecking_appeal(personas)  # the employee's, assigned to the committee member
    services.appeal_file(
        user=personas["colleague"],
        result=result_of(personas, "colleague"),
        indicators=["teamwork"],
        reason='=HYPERLINK("http://evil","申诉")',
        files=[note()],
    )


def _export(client: Any, query: str = "", reason: str = "季度申诉分析") -> Any:
    return client.post(reverse("appeals:list_export") + query, {"reason": reason})


@pytest.mark.parametrize("persona", ["hr", "hrsup", "leader", "deputy", "member"])
@pytest.mark.parametrize(
    "query", ["", "?state=filed", "?state=open&cycle=999999", "?state=<script>&overdue=1"]
)
def test_the_download_holds_the_rows_the_list_shows(
    personas: Any, client_for: Any, persona: str, query: str
) -> None:
    _two_appeals(personas)
    client = client_for(persona)
    page = client.get(reverse("appeals:list") + query).content.decode()
    response = _export(client, query)
    assert response.status_code == 200
    rows = table_in(response, HEADER)
    assert [row[0] for row in rows] == REFERENCE.findall(page)
    event = AuditEvent.objects.get(action="export.personal")
    assert json.loads(event.body)["after"]["rows"] == len(rows)


def test_a_member_downloads_only_the_appeals_they_recheck(personas: Any, client_for: Any) -> None:
    _two_appeals(personas)
    hr_rows = table_in(_export(client_for("hr")), HEADER)
    member_rows = table_in(_export(client_for("member")), HEADER)
    assert len(hr_rows) == 2 and [r[2] for r in member_rows] == [personas.employees["employee"].name]


def test_the_counts_per_state_add_up_to_the_rows(personas: Any, client_for: Any) -> None:
    _two_appeals(personas)
    response = _export(client_for("hr"))
    states = table_in(response, ["状态", "件数"])
    assert sorted((s, int(n)) for s, n in states) == sorted([("复核中", 1), ("待人力资源部受理", 1)])


def test_the_list_carries_its_filters_to_the_download(personas: Any, client_for: Any) -> None:
    _two_appeals(personas)
    page = client_for("hr").get(reverse("appeals:list") + "?state=filed").content.decode()
    assert reverse("appeals:list_export") + "?state=filed" in page and 'name="reason"' in page


@pytest.mark.parametrize("reason", ["", "ab", "x" * 20_000, "原因\x00\x01原因"])
def test_a_missing_or_hostile_reason_is_refused_on_the_list(
    personas: Any, client_for: Any, reason: str
) -> None:
    filed_appeal(personas)
    response = _export(client_for("hr"), reason=reason)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and REFERENCE.search(page)
    assert not AuditEvent.objects.filter(action="export.personal").exists()


@pytest.mark.parametrize("persona", ["employee", "head", "admin", "finance"])
def test_who_may_not_see_the_list_may_not_download_it(personas: Any, client_for: Any, persona: str) -> None:
    filed_appeal(personas)
    assert _export(client_for(persona)).status_code == 403
    assert not AuditEvent.objects.filter(action="export.personal").exists()
