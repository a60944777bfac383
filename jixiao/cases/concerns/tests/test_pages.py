"""The pages of complaints and allegations through the HTTP client: filing, the handler's list
with its filters, the case page's buttons (from the transition table) and forms, refusals that
keep the input, hostile input, and a list whose queries do not grow with its rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.cases.concerns import services
from jixiao.cases.concerns.models import Concern, ConcernNote
from jixiao.cases.concerns.selectors import inbox_items, overdue_items
from jixiao.cases.concerns.tests.world import allegation, complaint, text_file

pytestmark = pytest.mark.django_db


def test_an_employee_files_a_complaint_with_evidence(personas: Any, client_for: Any) -> None:
    client = client_for("employee")
    form = client.get(reverse("concerns:file"))
    assert form.status_code == 200
    body = form.content.decode()
    assert personas.employees["head"].name in body and f">{personas.employees['employee'].name}（" not in body
    response = client.post(
        reverse("concerns:file"),
        {
            "kind": "complaint",
            "title": "没有面谈",
            "text": "8 月结果公布后负责人没有面谈。",
            "subject": personas.employees["head"].pk,
            "evidence": [text_file("聊天记录.txt")],
        },
    )
    case = Concern.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("concerns:detail", args=[case.pk])
    page = client.get(response["Location"]).content.decode()
    assert "没有面谈" in page and "聊天记录.txt" in page and "待受理" in page
    assert client.get(reverse("concerns:mine")).content.decode().count(case.reference) >= 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "长" * 20_000),
        ("title", "nan"),  # a fine title; the kind below is what is wrong
        ("kind", "nan"),
        ("subject", "1e30"),
        ("cycle", "-1"),
        ("result", "999999"),
    ],
)
def test_hostile_filing_keeps_the_input_and_writes_nothing(
    personas: Any, client_for: Any, field: str, value: str
) -> None:
    data = {
        "kind": "allegation",
        "title": "标题",
        "text": "内容",
        "subject": personas.employees["colleague"].pk,
    }
    data[field] = value
    if field == "title":
        data["kind"] = "nan"
    response = client_for("employee").post(reverse("concerns:file"), data)
    assert response.status_code == 400
    assert 'name="text"' in response.content.decode()
    assert Concern.objects.count() == 0


def test_a_wrong_file_is_named_on_the_form(personas: Any, client_for: Any) -> None:
    data = {
        "kind": "complaint",
        "title": "标题",
        "text": "内容",
        "evidence": [text_file("virus.exe", b"MZ"), text_file("fake.png", b"GIF89a")],
    }
    response = client_for("employee").post(reverse("concerns:file"), data)
    assert response.status_code == 400 and "virus.exe" in response.content.decode()
    assert Concern.objects.count() == 0


def _steps(page: str) -> str:
    """The case page's section of step buttons ("" when it has none)."""
    if 'id="steps"' not in page:
        return ""
    return page.split('id="steps"', 1)[1].split("</section>", 1)[0]


def test_the_handler_works_the_case_from_its_page(personas: Any, client_for: Any) -> None:
    case = allegation(personas)
    deputy = client_for("deputy")
    url = reverse("concerns:detail", args=[case.pk])
    buttons = _steps(deputy.get(url).content.decode())
    assert "受理并开始调查" in buttons and "不予受理（不属于受理范围）" in buttons and ">结案<" not in buttons
    step = reverse("concerns:step", args=[case.pk])
    assert deputy.post(step, {"action": "investigate", "version": case.version}).status_code == 302
    page = deputy.get(url).content.decode()
    assert "调查中" in page and "受理并开始调查" not in _steps(page) and ">结案<" in _steps(page)
    assert 'id="steps"' not in client_for("employee").get(url).content.decode(), (
        "the reporter gets no buttons"
    )
    note = reverse("concerns:note", args=[case.pk])
    assert deputy.post(note, {"text": "内部：查看评分日志。"}).status_code == 302
    assert deputy.post(note, {"text": "请补充材料。", "to_reporter": "on"}).status_code == 302
    assert list(ConcernNote.objects.values_list("kind", flat=True)) == ["internal_note", "reply_to_reporter"]
    closed = deputy.post(
        step,
        {
            "action": "conclude",
            "outcome": "substantiated",
            "closing_note": "属实。",
            "version": case.version + 1,
        },
    )
    assert closed.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.outcome) == ("closed", "substantiated")
    reporter_page = client_for("employee").get(url).content.decode()
    assert "属实" in reporter_page and "请补充材料" in reporter_page and "查看评分日志" not in reporter_page
    assert "处理人" in reporter_page and "p_deputy" not in reporter_page, (
        "the reporter sees the role, not the account"
    )


def test_refused_steps_keep_the_input_and_say_why(personas: Any, client_for: Any) -> None:
    case = allegation(personas)
    deputy = client_for("deputy")
    step = reverse("concerns:step", args=[case.pk])
    services.concern_investigate(user=personas["deputy"], concern=case)
    stale = deputy.post(
        step, {"action": "conclude", "outcome": "substantiated", "closing_note": "我的结案说明", "version": 1}
    )
    assert stale.status_code == 409 and "我的结案说明" in stale.content.decode()
    nan = deputy.post(step, {"action": "conclude", "outcome": "nan", "closing_note": "说明", "version": 2})
    assert nan.status_code == 400
    long_note = deputy.post(reverse("concerns:note", args=[case.pk]), {"text": "长" * 20_000})
    assert long_note.status_code == 400 and "10000" in long_note.content.decode().split('id="note"')[1]
    again = deputy.post(step, {"action": "investigate"})
    assert again.status_code == 409 and "调查中" in again.content.decode()
    assert client_for("leader").post(step, {"action": "investigate"}).status_code == 404
    assert client_for("employee").post(step, {"action": "investigate"}).status_code == 403
    case.refresh_from_db()
    assert case.state == "investigating" and ConcernNote.objects.count() == 0


def test_the_handler_links_a_flag_and_a_result(personas: Any, client_for: Any) -> None:
    case = allegation(personas)
    cycle = personas.cycles["2026-08"]
    link = reverse("concerns:link", args=[case.pk])
    deputy = client_for("deputy")
    ok = deputy.post(
        link,
        {"kind": "integrity_flag", "cycle": cycle.pk, "flag_kind": "team", "text": "销售部评分明显高于KPI"},
    )
    assert ok.status_code == 302
    number = personas.employees["colleague"].number
    assert (
        deputy.post(link, {"kind": "appraisal_result", "cycle": cycle.pk, "number": number}).status_code
        == 302
    )
    page = deputy.get(reverse("concerns:detail", args=[case.pk])).content.decode()
    assert "团队评分明显高于KPI结果" in page and reverse("integrity:cycle_flags", args=[cycle.pk]) in page
    wrong = deputy.post(link, {"kind": "appraisal_result", "cycle": cycle.pk, "number": "1e30"})
    assert wrong.status_code == 400 and "1e30" in wrong.content.decode()
    assert case.links.count() == 2


def test_the_list_filters_by_kind_state_and_lateness(personas: Any, client_for: Any) -> None:
    late = complaint(personas)
    Concern.objects.filter(pk=late.pk).update(step_began=dt.date(2020, 1, 1))  # test setup: a late step
    fresh = allegation(personas)
    deputy = client_for("deputy")
    listing = reverse("concerns:list")

    def shown(params: dict[str, str]) -> set[str]:
        body = deputy.get(listing, params).content.decode()
        return {c.reference for c in (late, fresh) if f'href="/cases/concerns/{c.pk}/"' in body}

    assert shown({}) == {late.reference, fresh.reference}
    assert shown({"kind": "allegation"}) == {fresh.reference}
    assert shown({"overdue": "1"}) == {late.reference}
    assert shown({"state": "closed"}) == set()
    assert shown({"kind": "nan", "state": "1e30", "page": "-1"}) == {late.reference, fresh.reference}
    assert "已逾期" in deputy.get(listing).content.decode()


def test_the_list_reads_in_a_fixed_number_of_queries(personas: Any, client_for: Any) -> None:
    deputy = client_for("deputy")
    complaint(personas)
    deputy.get(reverse("concerns:list"))
    with CaptureQueriesContext(connection) as few:
        deputy.get(reverse("concerns:list"))
    for _ in range(5):
        complaint(personas)
        allegation(personas)
    with CaptureQueriesContext(connection) as many:
        deputy.get(reverse("concerns:list"))
    assert len(many) == len(few)


def test_inbox_and_overdue_items(personas: Any) -> None:
    case = allegation(personas)
    about_deputy = allegation(personas, subject="deputy", reporter="colleague")
    deputy_items = {(i.reference, i.role) for i in inbox_items(user=personas["deputy"])}
    assert deputy_items == {(case.reference, "deputy")}
    assert {(i.reference, i.role) for i in inbox_items(user=personas["leader"])} == {
        (about_deputy.reference, "leader")
    }
    assert {(i.reference, i.role) for i in inbox_items(user=personas["employee"])} == {
        (case.reference, "reporter")
    }
    assert {(i.reference, i.role) for i in inbox_items(user=personas["colleague"])} == {
        (about_deputy.reference, "reporter")
    }
    assert all("徇私" not in i.title.zh for i in inbox_items(user=personas["deputy"]))
    assert overdue_items() == []
    Concern.objects.update(step_began=dt.date(2020, 1, 1))  # test setup: both steps late
    late = {i.reference for i in overdue_items()}
    # The allegation naming the deputy is late too, but escalation tells the deputies: left out.
    assert late == {case.reference}
    assert all(i.overdue for i in overdue_items())
