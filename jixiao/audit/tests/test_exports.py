"""Bulk exports of personal data need a stated reason and are logged (SPEC §8): the rule for the
reason, the one audit event, its label, and the download flow every list's view uses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse

from jixiao.audit.exports import (
    Download,
    export_download,
    export_reason_clean,
    export_refused,
    personal_export_record,
    table_rows,
)
from jixiao.audit.models import AuditEvent
from jixiao.audit.selectors import audit_chain_verify
from jixiao.common.errors import JixiaoError
from jixiao.common.figures import Column, Section, Table
from jixiao.common.labels import action_label
from jixiao.common.text import Text

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "   ",
    "abc",
    " 月度 ",
    "x" * 20_000,
    "月度分析\x00",
    "月度\x1b[31m分析",
    "月度\u0007分析",
    "月\n度分析",
]


@pytest.mark.parametrize("reason", HOSTILE)
def test_a_missing_short_long_or_control_reason_is_refused_in_both_languages(reason: str) -> None:
    with pytest.raises(JixiaoError) as refused:
        export_reason_clean(reason)
    assert refused.value.zh and refused.value.en and refused.value.status == 400


@pytest.mark.parametrize("reason", [None, 12, ["月度分析"], b"monthly"])
def test_a_reason_that_is_not_text_is_refused(reason: Any) -> None:
    with pytest.raises(JixiaoError):
        export_reason_clean(reason)


def test_a_reason_is_stripped_and_kept_from_4_to_500_characters() -> None:
    assert export_reason_clean("  月度分析 \t") == "月度分析"
    assert export_reason_clean("x" * 500) == "x" * 500
    with pytest.raises(JixiaoError) as refused:
        export_reason_clean("x" * 501)
    assert "501" in refused.value.zh and "500" in refused.value.en


def test_an_export_is_one_event_with_what_rows_scope_and_reason(personas: Any) -> None:
    before = AuditEvent.objects.count()
    personal_export_record(
        user=personas["hr"], what="cycles.results", reason=" 月度分析 ", rows=12, scope="cycle:3"
    )
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("seq")
    body = json.loads(event.body)
    assert event.action == "export.personal" and event.actor_id == personas["hr"].pk
    assert body["after"] == {"what": "cycles.results", "rows": 12, "scope": "cycle:3"}
    assert body["reason"] == "月度分析"
    assert audit_chain_verify().ok


def test_a_refused_reason_records_nothing(personas: Any) -> None:
    before = AuditEvent.objects.count()
    for reason in HOSTILE:
        with pytest.raises(JixiaoError):
            personal_export_record(
                user=personas["hr"], what="org.employees", reason=reason, rows=3, scope="all"
            )
    assert AuditEvent.objects.count() == before


def test_the_audit_action_has_a_label_not_a_code() -> None:
    assert action_label("export.personal").zh == "导出个人数据"
    assert action_label("export.personal").render("en") == "Personal data exported"


def test_the_audit_log_page_shows_the_label(personas: Any, client_for: Any) -> None:
    personal_export_record(user=personas["hr"], what="org.employees", reason="年度盘点", rows=3, scope="all")
    page = client_for("admin").get(reverse("integrity:audit_events")).content.decode()
    assert "导出个人数据" in page and "export.personal" not in page


# --- the download flow ----------------------------------------------------------------------

TABLE = Table(
    key="people",
    title=Text("人员", "People"),
    columns=(Column(Text("姓名", "Name")), Column(Text("得分", "Score"), "decimal")),
    rows=(('=HYPERLINK("http://x")', None), ("李四", None)),
)


def _download() -> Download:
    sections = (Section(key="people", title=Text("人员", "People"), tables=(TABLE,)),)
    return Download(Text("名单", "List"), sections, "list.xlsx", "test.list", "all", table_rows(sections))


def _post(personas: Any, reason: Any) -> Any:
    request = RequestFactory().post("/list/export/", {"reason": reason})
    request.user = personas["hr"]
    return request


def _refused(request: Any) -> Any:
    return lambda error: export_refused(
        request, "_export.html", {"url": "/list/export/", "personal": True}, error
    )


def test_the_flow_refuses_on_the_page_and_records_nothing(personas: Any) -> None:
    before = AuditEvent.objects.count()
    request = _post(personas, "x" * 20_000)
    response = export_download(request, build=_download, personal=True, refused=_refused(request))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and 'name="reason"' in page
    assert AuditEvent.objects.count() == before


def test_the_flow_records_the_count_and_answers_a_workbook(personas: Any) -> None:
    request = _post(personas, "季度复盘")
    response = export_download(request, build=_download, personal=True, refused=_refused(request))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    event = AuditEvent.objects.get(action="export.personal")
    assert json.loads(event.body)["after"] == {"what": "test.list", "rows": 2, "scope": "all"}


def test_a_download_that_names_nobody_records_nothing(personas: Any) -> None:
    request = RequestFactory().get("/list/export/")
    request.user = personas["hr"]
    response = export_download(request, build=_download, personal=False)
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="export.personal").exists()
