"""Department summaries (部门汇总), HR's findings and rectification (整改): services and pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from jixiao.access.policy import can, scope
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import Conflict, JixiaoError, PermissionRefused
from jixiao.cycles.lifecycle import services
from jixiao.cycles.review.models import DepartmentSummary, Rectification
from jixiao.cycles.review.services import (
    finding_record,
    rectification_answer,
    rectification_verify,
    summary_check,
    summary_return,
    summary_save,
    summary_submit,
)
from jixiao.cycles.tests.helpers import closed_cycle, open_cycle
from jixiao.demo.personas import PERSONA_NAMES

pytestmark = pytest.mark.django_db


def _draft(personas: Any, cycle: Any, work_done: str = "完成本月销售任务") -> DepartmentSummary:
    return summary_save(
        user=personas["head"],
        cycle=cycle,
        department=personas.department,
        work_done=work_done,
        problems="回款偏慢",
        next_steps="加强回款跟进",
    )


def _submitted(personas: Any) -> DepartmentSummary:
    cycle = closed_cycle(personas)
    return summary_submit(user=personas["head"], summary=_draft(personas, cycle))


def test_summaries_cannot_be_declared_submitted_until_every_department_has_submitted(personas: Any) -> None:
    cycle = closed_cycle(personas)
    with pytest.raises(JixiaoError) as refused:
        services.cycle_transition(user=personas["hr"], cycle=cycle, action="submit_summaries")
    assert refused.value.code == "summaries_missing" and "销售部" in refused.value.zh
    _draft(personas, cycle)
    with pytest.raises(JixiaoError):  # a draft is not a submission
        services.cycle_transition(user=personas["hr"], cycle=cycle, action="submit_summaries")
    summary_submit(user=personas["head"], summary=DepartmentSummary.objects.get(cycle=cycle))
    cycle = services.cycle_transition(user=personas["hr"], cycle=cycle, action="submit_summaries")
    assert cycle.state == "summaries_submitted"


def test_hr_check_waits_for_every_summary_checked_and_a_returned_one_comes_back(personas: Any) -> None:
    summary = _submitted(personas)
    cycle = services.cycle_transition(user=personas["hr"], cycle=summary.cycle, action="submit_summaries")
    summary = summary_return(user=personas["hr"], summary=summary, reason="缺少问题分析")
    assert summary.status == "returned" and summary.return_reason == "缺少问题分析"
    with pytest.raises(JixiaoError) as refused:
        services.cycle_transition(user=personas["hr"], cycle=cycle, action="hr_check")
    assert refused.value.code == "summaries_unchecked" and "销售部" in refused.value.zh
    summary = summary_save(
        user=personas["head"],
        cycle=cycle,
        department=personas.department,
        work_done="完成任务",
        problems="回款慢：两家大客户",
        next_steps="每周跟进",
        expected_version=summary.version,
    )
    summary = summary_submit(user=personas["head"], summary=summary)
    summary_check(user=personas["hr"], summary=summary)
    cycle = services.cycle_transition(user=personas["hr"], cycle=cycle, action="hr_check")
    assert cycle.state == "hr_checked"
    actions = list(
        AuditEvent.objects.filter(object_type="cycles.departmentsummary").values_list("action", flat=True)
    )
    assert actions == [
        "summary.save",
        "summary.submit",
        "summary.return",
        "summary.save",
        "summary.submit",
        "summary.check",
    ]


def test_only_the_head_writes_the_summary_and_only_hr_checks_it(personas: Any) -> None:
    cycle = closed_cycle(personas)
    for name in ("employee", "colleague", "other_head", "hr"):
        with pytest.raises(PermissionRefused):
            summary_save(
                user=personas[name],
                cycle=cycle,
                department=personas.department,
                work_done="x",
                problems="",
                next_steps="",
            )
    summary = summary_submit(user=personas["head"], summary=_draft(personas, cycle))
    for name in ("head", "leader", "employee"):
        with pytest.raises(PermissionRefused):
            summary_check(user=personas[name], summary=summary)


def test_a_stale_summary_save_changes_nothing(personas: Any) -> None:
    cycle = closed_cycle(personas)
    summary = _draft(personas, cycle)
    with pytest.raises(Conflict):
        summary_save(
            user=personas["head"],
            cycle=cycle,
            department=personas.department,
            work_done="另一版本",
            problems="",
            next_steps="",
            expected_version=summary.version - 1,
        )
    assert DepartmentSummary.objects.get(pk=summary.pk).work_done == "完成本月销售任务"


def test_no_summary_is_written_while_scoring_is_open_or_submitted_without_work_done(personas: Any) -> None:
    with pytest.raises(JixiaoError) as refused:
        _draft(personas, open_cycle(personas))
    assert refused.value.code == "cycle_state"
    cycle = closed_cycle(personas)
    with pytest.raises(JixiaoError) as empty:
        summary_submit(user=personas["head"], summary=_draft(personas, cycle, work_done=""))
    assert "本期工作完成情况" in empty.value.zh


def test_a_finding_needing_rectification_is_answered_by_the_head_and_verified_or_reopened_by_hr(
    personas: Any,
) -> None:
    summary = _submitted(personas)
    finding_record(user=personas["hr"], summary=summary, text="汇总数据与系统结果一致")
    with pytest.raises(JixiaoError):
        finding_record(user=personas["hr"], summary=summary, text="回款台账缺失", needs_rectification=True)
    finding = finding_record(
        user=personas["hr"],
        summary=summary,
        text="回款台账缺失",
        needs_rectification=True,
        due=dt.date(2026, 11, 30),
    )
    item = Rectification.objects.get(finding=finding)
    assert item.department == personas.department and item.status == "open"
    with pytest.raises(PermissionRefused):
        rectification_answer(user=personas["other_head"], item=item, response="已补")
    item = rectification_answer(user=personas["head"], item=item, response="已补齐台账")
    with pytest.raises(PermissionRefused):
        rectification_verify(user=personas["head"], item=item, accepted=True)
    with pytest.raises(JixiaoError):  # reopening needs a reason
        rectification_verify(user=personas["hr"], item=item, accepted=False)
    item = rectification_verify(user=personas["hr"], item=item, accepted=False, reason="缺十月份")
    assert item.status == "open" and item.reopen_reason == "缺十月份"
    item = rectification_answer(user=personas["head"], item=item, response="十月份已补")
    item = rectification_verify(user=personas["hr"], item=item, accepted=True)
    assert item.status == "verified" and item.verified_by == personas["hr"]
    with pytest.raises(JixiaoError):
        rectification_answer(user=personas["head"], item=item, response="again")
    actions = list(
        AuditEvent.objects.filter(object_type="cycles.rectification").values_list("action", flat=True)
    )
    assert actions == [
        "rectification.answer",
        "rectification.reopen",
        "rectification.answer",
        "rectification.verify",
    ]


def test_head_writes_and_submits_the_summary_on_its_page_beside_the_distribution(
    personas: Any, client_for: Any
) -> None:
    cycle = closed_cycle(personas)
    url = reverse("cycles:summary_detail", args=[cycle.pk, personas.department.pk])
    client = client_for("head")
    page = client.get(url).content.decode()
    assert "本部门考核结果分布" in page and "人数 3" in page and "提交给人力资源部" in page
    answer = client.post(
        url, {"work_done": "完成", "problems": "", "next_steps": "", "version": "0", "submit": "1"}
    )
    assert answer.status_code == 302
    assert DepartmentSummary.objects.get(cycle=cycle).status == "submitted"
    stale = client.post(url, {"work_done": "改", "problems": "", "next_steps": "", "version": "0"})
    assert stale.status_code == 409
    board = client_for("hr").get(reverse("cycles:summaries", args=[cycle.pk])).content.decode()
    assert "销售部" in board and "已提交" in board
    assert client_for("other_head").get(url).status_code == 404


def test_hr_records_a_finding_and_returns_the_summary_through_the_pages(
    personas: Any, client_for: Any
) -> None:
    summary = _submitted(personas)
    hr = client_for("hr")
    hr.post(
        reverse("cycles:finding_add", args=[summary.pk]),
        {"text": "台账缺失", "needs_rectification": "on", "due": "2026-11-30"},
    )
    hr.post(reverse("cycles:summary_check", args=[summary.pk]), {"op": "return", "reason": "请补充问题分析"})
    summary.refresh_from_db()
    assert summary.status == "returned"
    page = client_for("head").get(
        reverse("cycles:summary_detail", args=[summary.cycle_id, summary.department_id])
    )
    text = page.content.decode()
    assert "请补充问题分析" in text and "台账缺失" in text and "保存草稿" in text
    refused = client_for("head").post(reverse("cycles:summary_check", args=[summary.pk]), {"op": "check"})
    assert refused.status_code == 403


def test_the_rectification_page_marks_overdue_items_for_hr_and_the_head_only(
    personas: Any, client_for: Any
) -> None:
    summary = _submitted(personas)
    finding_record(
        user=personas["hr"],
        summary=summary,
        text="台账缺失",
        needs_rectification=True,
        due=dt.date(2020, 1, 31),
    )
    url = reverse("cycles:rectifications")
    for name in ("hr", "head"):
        page = client_for(name).get(url).content.decode()
        assert "台账缺失" in page and 'class="overdue"' in page
    assert "台账缺失" not in client_for("other_head").get(url).content.decode()
    assert client_for("employee").get(url).status_code == 403
    item = Rectification.objects.get()
    client_for("head").post(reverse("cycles:rectification_answer", args=[item.pk]), {"response": "已补"})
    client_for("hr").post(reverse("cycles:rectification_verify", args=[item.pk]), {"op": "verify"})
    item.refresh_from_db()
    assert item.status == "verified"
    assert 'class="overdue"' not in client_for("hr").get(url).content.decode()


@pytest.mark.parametrize(
    "action,model", [("summary.view", DepartmentSummary), ("rectification.view", Rectification)]
)
def test_scope_and_can_agree_on_summaries_and_rectifications(personas: Any, action: str, model: Any) -> None:
    summary = _submitted(personas)
    finding_record(
        user=personas["hr"], summary=summary, text="x", needs_rectification=True, due=dt.date(2026, 12, 1)
    )
    assert model.objects.exists()
    for name in PERSONA_NAMES:
        visible = set(scope(personas[name], action, model.objects.all()).values_list("pk", flat=True))
        for row in model.objects.all():
            assert (row.pk in visible) == can(personas[name], action, row), (name, action)
