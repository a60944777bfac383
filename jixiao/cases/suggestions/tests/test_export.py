"""HR's suggestions list in Excel (issue 14 item 6): the list's rows (every page, same filters),
counts per topic and state, a stated reason audited, user text kept as text."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.audit.tests.sheets import table_in
from jixiao.cases.suggestions import services
from jixiao.cases.suggestions.tests.world import suggestion

pytestmark = pytest.mark.django_db

HEADER = ["编号", "涉及方面", "标题", "提出人", "状态", "应答复日期", "已逾期"]
REFERENCE = re.compile(r'<a href="/cases/suggestions/\d+/">(SG-\d+)</a>')


def _export(client: Any, query: str = "", reason: str = "整理本月意见") -> Any:
    return client.post(reverse("suggestions:list_export") + query, {"reason": reason})


@pytest.mark.parametrize("persona", ["hr", "hrsup"])
@pytest.mark.parametrize(
    "query", ["", "?topic=pay_rules", "?state=received&q=互评", "?page=2", "?topic=%00&q=" + "z" * 500]
)
def test_the_download_holds_the_rows_the_list_shows(
    personas: Any, client_for: Any, persona: str, query: str
) -> None:
    suggestion(personas)
    suggestion(personas, author="colleague")
    services.suggestion_file(
        user=personas["head"], topic="pay_rules", title="=SUM(A1:A9)", text="绩效工资发放太晚。"
    )
    client = client_for(persona)
    shown = REFERENCE.findall(
        client.get(reverse("suggestions:list") + query.replace("?page=2", "")).content.decode()
    )
    response = _export(client, query)
    assert response.status_code == 200
    rows = table_in(response, HEADER)
    assert [row[0] for row in rows] == shown
    body = json.loads(AuditEvent.objects.get(action="export.personal").body)
    assert body["after"]["rows"] == len(rows) and body["after"]["what"] == "cases.suggestions"


def test_counts_and_text_cells(personas: Any, client_for: Any) -> None:
    suggestion(personas)
    services.suggestion_file(user=personas["head"], topic="pay_rules", title="=SUM(A1:A9)", text="说明")
    response = _export(client_for("hr"))
    rows = table_in(response, HEADER)
    assert "=SUM(A1:A9)" in [row[2] for row in rows]
    assert {row[3] for row in rows} == {"p_employee", "p_head"}
    counts = table_in(response, ["涉及方面", "状态", "件数"])
    assert sum(int(n) for _t, _s, n in counts) == 2


@pytest.mark.parametrize("reason", ["", "ok", "y" * 20_000, "\x1f\x1f\x1f\x1f\x1f"])
def test_a_missing_or_hostile_reason_is_refused_on_the_list(
    personas: Any, client_for: Any, reason: str
) -> None:
    suggestion(personas)
    response = _export(client_for("hr"), reason=reason)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode() and REFERENCE.search(response.content.decode())
    assert not AuditEvent.objects.filter(action="export.personal").exists()


@pytest.mark.parametrize("persona", ["employee", "head", "leader", "admin"])
def test_who_may_not_see_the_list_may_not_download_it(personas: Any, client_for: Any, persona: str) -> None:
    suggestion(personas)
    assert _export(client_for(persona)).status_code == 403


def test_the_download_costs_the_same_queries_with_more_suggestions(personas: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    suggestion(personas)
    client = client_for("hr")
    _export(client)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert _export(client).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for name in ("colleague", "head", "member", "leader"):
        suggestion(personas, author=name)
    assert count() == few
