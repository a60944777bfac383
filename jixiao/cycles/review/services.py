"""Department summaries (部门汇总), HR's findings (检查结果), rectification (整改), release
settings (结果开通) and feedback interviews (绩效面谈) (§3, §6).

When scoring is closed the head of each participating department writes and submits the
summary; HR checks it or returns it with a reason, and records findings. A finding that needs
rectification becomes a :class:`Rectification` for the department: the head answers with what
was done, HR verifies it or reopens it. After publication the member's manager or head records
the feedback interview, which the employee acknowledges once.

State changes are rows of the tables in ``workflow.py`` applied by ``transition_apply``; edits
in place go through ``audited_write``. Writes that depend on the cycle's state hold its row lock
first (the state guard of SPEC §3), then the record's.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, version_check
from jixiao.cycles.lifecycle.locks import cycle_locked
from jixiao.cycles.lifecycle.models import RELEASED, Cycle, CycleMember, RankRelease, State
from jixiao.cycles.results.models import Result
from jixiao.engine.text import Text
from jixiao.notifications.services import notify
from jixiao.org.models import Department, Employee
from jixiao.workflow.services import audited_create, audited_write, locked, transition_apply

from .models import (
    CYCLE_TAKES_INTERVIEWS,
    CYCLE_TAKES_SUMMARIES,
    SUMMARY_EDITABLE,
    SUMMARY_UNDER_REVIEW,
    DepartmentSummary,
    FeedbackInterview,
    Finding,
    Rectification,
)
from .workflow import INTERVIEW, RECTIFICATION, SUMMARY

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SUMMARY_TEXT = ("work_done", "problems", "next_steps")
# The release is set before publishing; once employees have seen a result it stays as it was.
BEFORE_PUBLISHING = frozenset(State.values) - RELEASED
INTERVIEW_TEXT = ("strengths", "improvements", "goals")


def _required(text: str, zh: str, en: str) -> str:
    if not text.strip():
        raise JixiaoError(zh=f"请填写{zh}。", en=f"Fill in {en}.")
    return text.strip()


def _set(**values: Any) -> Any:
    """A ``change`` callable that sets ``values`` on the record."""

    def change(obj: Any) -> None:
        for key, value in values.items():
            setattr(obj, key, value)

    return change


def summary_save(
    *,
    user: ActingUser,
    cycle: Cycle,
    department: Department,
    work_done: str,
    problems: str,
    next_steps: str,
    expected_version: int | None = None,
) -> DepartmentSummary:
    """Create or change the draft (or returned) summary of ``department``; ``expected_version`` 0
    means "there was none yet"."""
    require(user, "summary.write", DepartmentSummary(cycle=cycle, department=department))
    if not CycleMember.objects.filter(cycle=cycle, department=department).exists():
        raise JixiaoError(
            zh=f"{department.name}没有参加周期 {cycle.label}。",
            en=f"{department.name} is not in cycle {cycle.label}.",
        )
    text = {"work_done": work_done.strip(), "problems": problems.strip(), "next_steps": next_steps.strip()}
    with transaction.atomic():
        cycle_locked(cycle.pk, CYCLE_TAKES_SUMMARIES)
        summary = DepartmentSummary.objects.filter(cycle=cycle, department=department).first()
        if summary is None:
            version_check(0, expected_version)
            new = DepartmentSummary(cycle=cycle, department=department, **text)
            return audited_create(user=user, obj=new, action="summary.save", fields=SUMMARY_TEXT)
        return audited_write(
            user=user,
            obj=summary,
            action="summary.save",
            change=_set(**text),
            expected_version=expected_version,
            states=SUMMARY_EDITABLE,
            workflow=SUMMARY,
            fields=SUMMARY_TEXT,
        )


def _summary_step(
    user: ActingUser, summary: DepartmentSummary, action: str, **kwargs: Any
) -> DepartmentSummary:
    """Apply ``action`` of the summary table, under the cycle's row lock taken first."""
    with transaction.atomic():
        cycle_locked(summary.cycle_id, CYCLE_TAKES_SUMMARIES)
        return transition_apply(user=user, workflow=SUMMARY, obj=summary, action=action, **kwargs)


def summary_submit(
    *, user: ActingUser, summary: DepartmentSummary, expected_version: int | None = None
) -> DepartmentSummary:
    """Submit the summary to HR (a returned one is submitted again the same way)."""
    require(user, "summary.write", summary)
    change = _set(submitted_by=user, submitted_at=timezone.now())
    return _summary_step(user, summary, "submit", expected_version=expected_version, change=change)


def summary_check(*, user: ActingUser, summary: DepartmentSummary) -> DepartmentSummary:
    """Mark a submitted summary checked by HR."""
    require(user, "summary.check", summary)
    return _summary_step(user, summary, "check", change=_set(checked_by=user, checked_at=timezone.now()))


def summary_return(*, user: ActingUser, summary: DepartmentSummary, reason: str) -> DepartmentSummary:
    """Send a submitted (or already checked) summary back to the head, saying why."""
    require(user, "summary.check", summary)
    reason = _required(reason, "退回原因", "the reason for returning it")
    change = _set(return_reason=reason, checked_by=None, checked_at=None)
    return _summary_step(user, summary, "return", reason=reason, change=change)


def finding_record(
    *,
    user: ActingUser,
    summary: DepartmentSummary,
    text: str,
    needs_rectification: bool = False,
    due: dt.date | None = None,
) -> Finding:
    """Record what HR found in a submitted summary; one needing rectification opens an item for
    the department, due on ``due`` (one audit event naming both)."""
    require(user, "summary.check", summary)
    text = _required(text, "检查发现", "the finding")
    if needs_rectification and due is None:
        raise JixiaoError(zh="需要整改时请填写整改期限。", en="A rectification needs a due date.")
    with transaction.atomic():
        cycle_locked(summary.cycle_id, CYCLE_TAKES_SUMMARIES)
        summary = locked(DepartmentSummary, summary.pk)
        if summary.status not in SUMMARY_UNDER_REVIEW:
            raise JixiaoError(
                zh=f"该部门汇总当前为“{SUMMARY.state_label(summary.status).zh}”，不能记录检查发现。",
                en=f"The summary is {SUMMARY.state_label(summary.status).en}; findings cannot be recorded now.",
                code="summary_state",
                status=409,
            )
        finding = Finding.objects.create(
            summary=summary, text=text, needs_rectification=needs_rectification, recorded_by=_person(user)
        )
        after: dict[str, Any] = {"summary": summary.pk, "text": text}
        if needs_rectification and due is not None:
            item = Rectification.objects.create(finding=finding, department_id=summary.department_id, due=due)
            after |= {"rectification": item.pk, "due": due.isoformat()}
        audit_record(actor=user, action="finding.record", obj=finding, after=after)
    return finding


def rectification_answer(
    *, user: ActingUser, item: Rectification, response: str, expected_version: int | None = None
) -> Rectification:
    """The head says what was done about an open rectification item."""
    require(user, "rectification.answer", item)
    response = _required(response, "整改情况", "what was done")
    change = _set(response=response, answered_by=user, answered_at=timezone.now())
    return transition_apply(
        user=user,
        workflow=RECTIFICATION,
        obj=item,
        action="answer",
        expected_version=expected_version,
        change=change,
    )


def rectification_verify(
    *, user: ActingUser, item: Rectification, accepted: bool, reason: str = ""
) -> Rectification:
    """HR accepts the answer (verified, closed) or reopens the item with a reason."""
    require(user, "rectification.verify", item)
    if accepted:
        change = _set(verified_by=user, verified_at=timezone.now())
        return transition_apply(user=user, workflow=RECTIFICATION, obj=item, action="verify", change=change)
    reason = _required(reason, "重新整改的原因", "why it is reopened")
    return transition_apply(
        user=user,
        workflow=RECTIFICATION,
        obj=item,
        action="reopen",
        reason=reason,
        change=_set(reopen_reason=reason),
    )


def cycle_release_set(*, user: ActingUser, cycle: Cycle, score: bool, grade: bool, rank: str) -> Cycle:
    """Set what employees will see of their own result in ``cycle`` (before publishing)."""
    require(user, "cycle.manage")
    if rank not in RankRelease.values:
        raise JixiaoError(zh="未知的排名公布方式。", en=f"Unknown rank release {rank!r}.")
    with transaction.atomic():
        cycle = cycle_locked(cycle.pk, BEFORE_PUBLISHING)
        before = {"score": cycle.release_score, "grade": cycle.release_grade, "rank": cycle.release_rank}
        cycle.release_score, cycle.release_grade, cycle.release_rank = score, grade, rank
        cycle.save(update_fields=["release_score", "release_grade", "release_rank", "updated_at"])
        audit_record(
            actor=user,
            action="cycle.release",
            obj=cycle,
            before=before,
            after={"score": score, "grade": grade, "rank": rank},
        )
    return cycle


def _interview_text(strengths: str, improvements: str, goals: str) -> dict[str, str]:
    text = {"strengths": strengths.strip(), "improvements": improvements.strip(), "goals": goals.strip()}
    labels = {"strengths": "做得好的地方", "improvements": "需要改进的地方", "goals": "商定的下期目标"}
    empty = [labels[key] for key in INTERVIEW_TEXT if not text[key]]
    if empty:
        raise JixiaoError(zh=f"请填写：{'、'.join(empty)}。", en="Fill in strengths, improvements and goals.")
    return text


def interview_record(
    *,
    user: ActingUser,
    member: CycleMember,
    held_on: dt.date,
    strengths: str,
    improvements: str,
    goals: str,
    expected_version: int | None = None,
) -> FeedbackInterview:
    """Record (or correct, before acknowledgement) the interview with ``member``; an
    ``expected_version`` of 0 means "there was none yet"."""
    require(user, "interview.record", member)
    text = _interview_text(strengths, improvements, goals)
    fields = ("held_on", *INTERVIEW_TEXT)
    with transaction.atomic():
        cycle_locked(member.cycle_id, CYCLE_TAKES_INTERVIEWS)
        interview = FeedbackInterview.objects.filter(member=member).first()
        if interview is None:
            version_check(0, expected_version)
            new = FeedbackInterview(member=member, held_on=held_on, recorded_by=_person(user), **text)
            saved = audited_create(user=user, obj=new, action="interview.record", fields=fields)
        elif interview.is_acknowledged:
            raise _acknowledged()
        else:
            saved = audited_write(
                user=user,
                obj=interview,
                action="interview.record",
                expected_version=expected_version,
                change=_set(held_on=held_on, recorded_by=_person(user), **text),
                fields=fields,
                states=[FeedbackInterview.State.RECORDED],
                workflow=INTERVIEW,
            )
        _tell_interview_recorded(user, member)
        return saved


def _tell_interview_recorded(user: ActingUser, member: CycleMember) -> None:
    """Ask the employee to read and acknowledge the interview record (on their result's page)."""
    employee_user = Employee.objects.filter(pk=member.employee_id).values_list("user_id", flat=True).first()
    result_pk = Result.objects.filter(member_id=member.pk).values_list("pk", flat=True).first()
    link = reverse("cycles:result_detail", args=[result_pk]) if result_pk else reverse("cycles:my_results")
    label = Cycle.objects.filter(pk=member.cycle_id).values_list("label", flat=True).first()
    notify(
        recipients=[employee_user],
        kind="interview.recorded",
        text=Text(
            f"您在考核周期 {label} 的绩效面谈记录已填写，请查看并确认。",
            f"The record of your feedback interview for appraisal cycle {label} is ready; read and acknowledge it.",
        ),
        link=link,
        exclude=[user],
    )


def interview_acknowledge(
    *, user: ActingUser, interview: FeedbackInterview, comment: str = "", expected_version: int | None = None
) -> FeedbackInterview:
    """The employee acknowledges the interview record, once, with an optional comment."""
    require(user, "interview.acknowledge", interview)
    if interview.is_acknowledged:
        raise _acknowledged()
    with transaction.atomic():
        cycle_locked(interview.member.cycle_id, CYCLE_TAKES_INTERVIEWS)
        return transition_apply(
            user=user,
            workflow=INTERVIEW,
            obj=interview,
            action="acknowledge",
            expected_version=expected_version,
            change=_set(employee_comment=comment.strip()),
            fields=("employee_comment", "acknowledged_at", "version"),
        )


def _acknowledged() -> JixiaoError:
    return JixiaoError(
        zh="员工已确认该面谈记录，不能再修改。",
        en="The employee has acknowledged this interview; it can no longer be changed.",
        code="interview_acknowledged",
        status=409,
    )


def _person(user: ActingUser) -> User:
    """The user a record names (the access rules let only logged-in people write)."""
    return cast("User", user)
