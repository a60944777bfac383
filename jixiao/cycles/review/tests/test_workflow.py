"""The review tables: who is offered which step, named state sets, and the cycle guards as
plain functions (listed in the cycle's table, registered nowhere)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import Conflict, JixiaoError
from jixiao.cycles.lifecycle.workflow import CYCLE_WORKFLOW
from jixiao.cycles.review import guards
from jixiao.cycles.review.models import DepartmentSummary, FeedbackInterview
from jixiao.cycles.review.services import (
    finding_record,
    interview_record,
    rectification_answer,
    summary_check,
    summary_save,
    summary_submit,
)
from jixiao.cycles.review.workflow import INTERVIEW, RECTIFICATION, SUMMARY
from jixiao.cycles.tests.helpers import closed_cycle, member_of, published_cycle, summary_submitted

pytestmark = pytest.mark.django_db


def actions(table: Any, user: Any, obj: Any) -> set[str]:
    return {t.action for t in table.available(user, obj)}


def test_the_cycle_table_lists_the_review_guards_which_register_nothing() -> None:
    rows = {t.action: t.guards for t in CYCLE_WORKFLOW.transitions}
    assert guards.every_summary_submitted in rows["submit_summaries"]
    assert guards.every_summary_checked in rows["hr_check"]
    assert not hasattr(guards, "GUARDS")


def test_the_guards_name_the_departments_missing(personas: Any) -> None:
    cycle = closed_cycle(personas)
    with pytest.raises(JixiaoError) as refused:
        guards.every_summary_submitted(cycle, personas["hr"])
    assert refused.value.code == "summaries_missing" and personas.department.name in refused.value.zh
    summary = summary_save(
        user=personas["head"],
        cycle=cycle,
        department=personas.department,
        work_done="完成",
        problems="",
        next_steps="",
    )
    summary_submit(user=personas["head"], summary=summary)
    guards.every_summary_submitted(cycle, personas["hr"])
    with pytest.raises(JixiaoError) as unchecked:
        guards.every_summary_checked(cycle, personas["hr"])
    assert unchecked.value.code == "summaries_unchecked"


def test_the_summary_steps_offered_follow_the_state_and_the_person(personas: Any) -> None:
    cycle = closed_cycle(personas)
    draft = DepartmentSummary(cycle=cycle, department=personas.department)
    assert actions(SUMMARY, personas["head"], draft) == {"submit"}
    assert actions(SUMMARY, personas["hr"], draft) == set()
    summary = summary_submitted(personas, cycle)
    assert summary.status == "submitted" and not summary.is_editable
    assert actions(SUMMARY, personas["hr"], summary) == {"check", "return"}
    assert actions(SUMMARY, personas["head"], summary) == set()
    summary = summary_check(user=personas["hr"], summary=summary)
    assert actions(SUMMARY, personas["hr"], summary) == {"return"}
    assert SUMMARY.state_label(summary.status).en == "Checked"


def test_a_summary_submitted_without_the_work_done_is_refused_by_its_guard(personas: Any) -> None:
    cycle = closed_cycle(personas)
    summary = summary_save(
        user=personas["head"],
        cycle=cycle,
        department=personas.department,
        work_done=" ",
        problems="",
        next_steps="",
    )
    with pytest.raises(JixiaoError) as refused:
        summary_submit(user=personas["head"], summary=summary)
    assert "本期工作完成情况" in refused.value.zh
    assert DepartmentSummary.objects.get(pk=summary.pk).status == "draft"


def test_a_stale_summary_save_is_a_conflict_and_the_audit_keeps_before_and_after(personas: Any) -> None:
    cycle = closed_cycle(personas)
    first = summary_save(
        user=personas["head"],
        cycle=cycle,
        department=personas.department,
        work_done="初稿",
        problems="",
        next_steps="",
        expected_version=0,
    )
    summary_save(
        user=personas["head"],
        cycle=cycle,
        department=personas.department,
        work_done="二稿",
        problems="",
        next_steps="",
        expected_version=first.version,
    )
    with pytest.raises(Conflict):
        summary_save(
            user=personas["head"],
            cycle=cycle,
            department=personas.department,
            work_done="旧页面",
            problems="",
            next_steps="",
            expected_version=first.version,
        )
    event = AuditEvent.objects.filter(action="summary.save").order_by("-seq").first()
    body = json.loads(event.body)  # type: ignore[union-attr]
    assert body["before"]["work_done"] == "初稿" and body["after"]["work_done"] == "二稿"


def test_the_rectification_steps_offered(personas: Any) -> None:
    cycle = closed_cycle(personas)
    summary = summary_submitted(personas, cycle)
    finding = finding_record(
        user=personas["hr"],
        summary=summary,
        text="缺数据",
        needs_rectification=True,
        due=dt.date(2026, 12, 1),
    )
    item = finding.rectification
    assert actions(RECTIFICATION, personas["head"], item) == {"answer"}
    assert actions(RECTIFICATION, personas["hr"], item) == set()
    item = rectification_answer(user=personas["head"], item=item, response="已补")
    assert actions(RECTIFICATION, personas["hr"], item) == {"verify", "reopen"}
    assert actions(RECTIFICATION, personas["head"], item) == set()


def test_only_the_employee_is_offered_the_acknowledgement(personas: Any) -> None:
    published_cycle(personas)
    member = member_of(personas, published_cycle(personas))
    interview = interview_record(
        user=personas["head"],
        member=member,
        held_on=dt.date(2026, 11, 5),
        strengths="a",
        improvements="b",
        goals="c",
    )
    assert interview.state == FeedbackInterview.State.RECORDED
    assert actions(INTERVIEW, personas["employee"], interview) == {"acknowledge"}
    assert actions(INTERVIEW, personas["head"], interview) == set()
