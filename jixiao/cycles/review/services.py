"""Department summaries (部门汇总), HR's findings (检查结果) and rectification (整改) (§3, §6).

When scoring is closed the head of each participating department writes and submits the
summary; HR checks it or returns it with a reason, and records findings. A finding that needs
rectification becomes a :class:`Rectification` for the department: the head answers with what
was done, HR verifies it or reopens it. Summary writes hold the cycle's row lock (the state
guard) and carry the summary's optimistic version; rectification writes lock their own row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.policy import require
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, version_check
from jixiao.org.models import Department

from .models import Cycle, CycleMember, DepartmentSummary, Finding, Rectification, State
from .services import cycle_locked

# Summaries are written, returned and checked between closing scoring and HR's check.
SUMMARY_STATES = (State.SCORING_CLOSED, State.SUMMARIES_SUBMITTED)
Status = DepartmentSummary.Status


def _refuse_status(summary: DepartmentSummary, allowed: tuple[str, ...]) -> None:
    if summary.status not in allowed:
        raise JixiaoError(
            zh=f"该部门汇总当前为“{summary.get_status_display()}”，不能进行此操作。",
            en=f"The summary is {summary.status}; this is not allowed now.",
            code="summary_state",
            status=409,
        )


def _required(text: str, zh: str, en: str) -> str:
    if not text.strip():
        raise JixiaoError(zh=f"请填写{zh}。", en=f"Fill in {en}.")
    return text.strip()


def summary_save(
    *,
    user: Any,
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
        cycle_locked(cycle.pk, SUMMARY_STATES)
        summary = (
            DepartmentSummary.objects.select_for_update().filter(cycle=cycle, department=department).first()
        )
        version_check(summary.version if summary else 0, expected_version)
        before = None
        if summary is None:
            summary = DepartmentSummary.objects.create(cycle=cycle, department=department, **text)
        else:
            _refuse_status(summary, (Status.DRAFT, Status.RETURNED))
            before = {k: getattr(summary, k) for k in text}
            for key, value in text.items():
                setattr(summary, key, value)
            summary.version += 1
            summary.save()
        audit_record(actor=user, action="summary.save", obj=summary, before=before, after=text)
    return summary


def _locked_summary(summary: DepartmentSummary) -> DepartmentSummary:
    cycle_locked(summary.cycle_id, SUMMARY_STATES)
    return DepartmentSummary.objects.select_for_update().get(pk=summary.pk)


def summary_submit(
    *, user: Any, summary: DepartmentSummary, expected_version: int | None = None
) -> DepartmentSummary:
    """Submit the summary to HR (a returned one is submitted again the same way)."""
    require(user, "summary.write", summary)
    with transaction.atomic():
        summary = _locked_summary(summary)
        version_check(summary.version, expected_version)
        _refuse_status(summary, (Status.DRAFT, Status.RETURNED))
        _required(summary.work_done, "本期工作完成情况", "the work done")
        before = summary.status
        summary.status, summary.submitted_by, summary.submitted_at = Status.SUBMITTED, user, timezone.now()
        summary.version += 1
        summary.save()
        audit_record(
            actor=user, action="summary.submit", obj=summary, before={"status": before},
            after={"status": summary.status},
        )  # fmt: skip
    return summary


def summary_check(*, user: Any, summary: DepartmentSummary) -> DepartmentSummary:
    """Mark a submitted summary checked by HR."""
    require(user, "summary.check", summary)
    with transaction.atomic():
        summary = _locked_summary(summary)
        _refuse_status(summary, (Status.SUBMITTED,))
        summary.status, summary.checked_by, summary.checked_at = Status.CHECKED, user, timezone.now()
        summary.version += 1
        summary.save()
        audit_record(
            actor=user, action="summary.check", obj=summary, before={"status": Status.SUBMITTED},
            after={"status": summary.status},
        )  # fmt: skip
    return summary


def summary_return(*, user: Any, summary: DepartmentSummary, reason: str) -> DepartmentSummary:
    """Send a submitted (or already checked) summary back to the head, saying why."""
    require(user, "summary.check", summary)
    reason = _required(reason, "退回原因", "the reason for returning it")
    with transaction.atomic():
        summary = _locked_summary(summary)
        _refuse_status(summary, (Status.SUBMITTED, Status.CHECKED))
        before = summary.status
        summary.status, summary.return_reason = Status.RETURNED, reason
        summary.checked_by, summary.checked_at = None, None
        summary.version += 1
        summary.save()
        audit_record(
            actor=user, action="summary.return", obj=summary, before={"status": before},
            after={"status": summary.status}, reason=reason,
        )  # fmt: skip
    return summary


def finding_record(
    *,
    user: Any,
    summary: DepartmentSummary,
    text: str,
    needs_rectification: bool = False,
    due: dt.date | None = None,
) -> Finding:
    """Record what HR found in a submitted summary; one needing rectification opens an item for
    the department, due on ``due``."""
    require(user, "summary.check", summary)
    text = _required(text, "检查发现", "the finding")
    if needs_rectification and due is None:
        raise JixiaoError(zh="需要整改时请填写整改期限。", en="A rectification needs a due date.")
    with transaction.atomic():
        summary = _locked_summary(summary)
        _refuse_status(summary, (Status.SUBMITTED, Status.CHECKED))
        finding = Finding.objects.create(
            summary=summary, text=text, needs_rectification=needs_rectification, recorded_by=user
        )
        after: dict[str, Any] = {"summary": summary.pk, "text": text}
        if needs_rectification and due is not None:
            item = Rectification.objects.create(finding=finding, department_id=summary.department_id, due=due)
            after |= {"rectification": item.pk, "due": due.isoformat()}
        audit_record(actor=user, action="finding.record", obj=finding, after=after)
    return finding


def _locked_item(item: Rectification, allowed: tuple[str, ...]) -> Rectification:
    item = Rectification.objects.select_for_update().get(pk=item.pk)
    if item.status not in allowed:
        raise JixiaoError(
            zh=f"该整改项当前为“{item.get_status_display()}”，不能进行此操作。",
            en=f"The rectification is {item.status}; this is not allowed now.",
            code="rectification_state",
            status=409,
        )
    return item


def rectification_answer(
    *, user: Any, item: Rectification, response: str, expected_version: int | None = None
) -> Rectification:
    """The head says what was done about an open rectification item."""
    require(user, "rectification.answer", item)
    response = _required(response, "整改情况", "what was done")
    with transaction.atomic():
        item = _locked_item(item, (Rectification.Status.OPEN,))
        version_check(item.version, expected_version)
        item.status, item.response = Rectification.Status.ANSWERED, response
        item.answered_by, item.answered_at = user, timezone.now()
        item.version += 1
        item.save()
        audit_record(
            actor=user, action="rectification.answer", obj=item, before={"status": "open"},
            after={"status": item.status, "response": response},
        )  # fmt: skip
    return item


def rectification_verify(
    *, user: Any, item: Rectification, accepted: bool, reason: str = ""
) -> Rectification:
    """HR accepts the answer (verified, closed) or reopens the item with a reason."""
    require(user, "rectification.verify", item)
    if not accepted:
        reason = _required(reason, "重新整改的原因", "why it is reopened")
    with transaction.atomic():
        item = _locked_item(item, (Rectification.Status.ANSWERED,))
        if accepted:
            item.status, item.verified_by, item.verified_at = (
                Rectification.Status.VERIFIED,
                user,
                timezone.now(),
            )
        else:
            item.status, item.reopen_reason = Rectification.Status.OPEN, reason
        item.version += 1
        item.save()
        audit_record(
            actor=user, action="rectification.verify" if accepted else "rectification.reopen", obj=item,
            before={"status": "answered"}, after={"status": item.status}, reason=reason,
        )  # fmt: skip
    return item
