"""The feedback interview (绩效面谈): recorded by the head after publishing, acknowledged once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from jixiao.access.policy import can, scope
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import Conflict, JixiaoError, PermissionRefused
from jixiao.cycles.review.models import FeedbackInterview
from jixiao.cycles.review.services import interview_acknowledge, interview_record
from jixiao.cycles.tests.helpers import closed_cycle, member_of, published_cycle
from jixiao.demo.personas import PERSONA_NAMES

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 5)


def _record(personas: Any, name: str = "employee", by: str = "head", **changes: Any) -> FeedbackInterview:
    member = member_of(personas, published_cycle(personas), name)
    fields = {
        "held_on": DAY,
        "strengths": "客户回访及时",
        "improvements": "转化率偏低",
        "goals": "转化率 35%",
    }
    return interview_record(user=personas[by], member=member, **{**fields, **changes})


def test_the_interview_is_recorded_only_once_results_are_published(personas: Any) -> None:
    member = member_of(personas, closed_cycle(personas))
    with pytest.raises(JixiaoError) as refused:
        interview_record(
            user=personas["head"], member=member, held_on=DAY, strengths="a", improvements="b", goals="c"
        )
    assert refused.value.code == "cycle_state"
    interview = _record(personas)
    assert interview.recorded_by == personas["head"] and interview.acknowledged_at is None


def test_only_the_manager_or_head_records_it_and_every_part_is_required(personas: Any) -> None:
    for name in ("colleague", "hr", "leader", "other_head", "employee"):
        with pytest.raises(PermissionRefused):
            _record(personas, by=name)
    with pytest.raises(PermissionRefused):  # the head is a member too, but not their own interviewer
        _record(personas, name="head", by="head")
    with pytest.raises(JixiaoError) as empty:
        _record(personas, goals=" ")
    assert "商定的下期目标" in empty.value.zh


def test_the_employee_acknowledges_once_and_the_record_is_then_frozen(personas: Any) -> None:
    interview = _record(personas)
    with pytest.raises(PermissionRefused):
        interview_acknowledge(user=personas["colleague"], interview=interview)
    interview = interview_acknowledge(
        user=personas["employee"], interview=interview, comment="同意，下月加强回访"
    )
    assert interview.acknowledged_at is not None and interview.employee_comment == "同意，下月加强回访"
    with pytest.raises(JixiaoError) as twice:
        interview_acknowledge(user=personas["employee"], interview=interview, comment="改主意")
    assert twice.value.status == 409
    with pytest.raises(JixiaoError):
        _record(personas, strengths="改写")
    assert FeedbackInterview.objects.get().employee_comment == "同意，下月加强回访"
    actions = list(
        AuditEvent.objects.filter(object_type="cycles.feedbackinterview").values_list("action", flat=True)
    )
    assert actions == ["interview.record", "interview.acknowledge"]


def test_a_stale_interview_edit_changes_nothing(personas: Any) -> None:
    interview = _record(personas)
    _record(personas, strengths="第二稿", expected_version=interview.version)
    with pytest.raises(Conflict):
        _record(personas, strengths="第三稿", expected_version=interview.version)
    with pytest.raises(Conflict):
        interview_acknowledge(
            user=personas["employee"], interview=interview, expected_version=interview.version
        )
    assert FeedbackInterview.objects.get().strengths == "第二稿"


def test_head_records_on_the_page_and_the_employee_reads_comments_and_acknowledges_on_the_result(
    personas: Any, client_for: Any
) -> None:
    member = member_of(personas, published_cycle(personas))
    url = reverse("cycles:interview_record", args=[member.pk])
    head = client_for("head")
    assert head.get(url).status_code == 200
    answer = head.post(
        url,
        {
            "held_on": "2026-11-05",
            "strengths": "回访及时",
            "improvements": "转化率偏低",
            "goals": "转化率 35%",
            "version": "0",
        },
    )
    assert answer.status_code == 302
    result_url = reverse("cycles:result_detail", args=[member.result.pk])
    page = client_for("employee").get(result_url).content.decode()
    assert "转化率 35%" in page and "确认面谈记录" in page
    interview = FeedbackInterview.objects.get()
    client_for("employee").post(
        reverse("cycles:interview_acknowledge", args=[interview.pk]),
        {"comment": "同意", "version": str(interview.version)},
    )
    page = client_for("employee").get(result_url).content.decode()
    assert 'id="acknowledged"' in page and "确认面谈记录" not in page
    assert client_for("colleague").get(url).status_code == 404
    assert client_for("hr").get(url).status_code == 403
    refused = client_for("colleague").post(reverse("cycles:interview_acknowledge", args=[interview.pk]))
    assert refused.status_code == 404


def test_hr_sees_pending_interviews_per_department_on_the_cycle_page(personas: Any, client_for: Any) -> None:
    _record(personas)
    cycle = published_cycle(personas)
    detail = client_for("hr").get(reverse("cycles:cycle_detail", args=[cycle.pk])).content.decode()
    assert reverse("cycles:interview_progress", args=[cycle.pk]) in detail
    fragment = client_for("hr").get(
        reverse("cycles:interview_progress", args=[cycle.pk]), HTTP_HX_REQUEST="true"
    )
    text = fragment.content.decode()
    assert "<html" not in text and "销售部" in text
    colleague = personas.employees["colleague"].name
    assert colleague in text and personas.employees["employee"].name not in text.split("待面谈")[-1]
    assert (
        client_for("employee").get(reverse("cycles:interview_progress", args=[cycle.pk])).status_code == 403
    )


def test_scope_and_can_agree_on_interviews(personas: Any) -> None:
    _record(personas)
    _record(personas, name="colleague")
    for name in PERSONA_NAMES:
        visible = set(
            scope(personas[name], "interview.view", FeedbackInterview.objects.all()).values_list(
                "pk", flat=True
            )
        )
        for row in FeedbackInterview.objects.all():
            assert (row.pk in visible) == can(personas[name], "interview.view", row), name
