"""HR's item comments (不合理项), the head's answers, and committee meetings; audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.policy import require
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError
from jixiao.org.models import Employee

from .models import CommitteeMeeting, Plan, ReviewComment, Revision, Status


def comment_add(*, user: Any, plan: Plan, indicator_key: str, text: str) -> ReviewComment:
    """HR marks an item as unreasonable (不合理项) while the plan waits for its review."""
    require(user, "plan.hr_review", plan)
    if plan.status != Status.SUBMITTED:
        raise JixiaoError(
            zh="只能在评审中对方案提意见。",
            en="Comments are made while the plan is under HR review.",
            status=409,
        )
    if not text.strip():
        raise JixiaoError(zh="意见不能为空。", en="The comment is empty.")
    keys = {str(i.get("key")) for i in plan.content.get("indicators", [])}
    if indicator_key and indicator_key not in keys:
        raise JixiaoError(
            zh=f"方案中没有指标“{indicator_key}”。", en=f"The plan has no indicator '{indicator_key}'."
        )
    with transaction.atomic():
        round_ = Revision.objects.filter(plan=plan).count()
        comment = ReviewComment.objects.create(
            plan=plan, round=round_, indicator_key=indicator_key, text=text.strip(), author=user
        )
        audit_record(
            actor=user,
            action="plan.comment",
            obj=plan,
            after={"indicator": indicator_key, "text": comment.text},
        )
    return comment


def comment_answer(*, user: Any, comment: ReviewComment, answer: str) -> ReviewComment:
    """The head answers an item comment while revising."""
    require(user, "plan.answer", comment.plan)
    if not answer.strip():
        raise JixiaoError(zh="答复不能为空。", en="The answer is empty.")
    with transaction.atomic():
        before = comment.answer
        comment.answer = answer.strip()
        comment.answered_by = user
        comment.answered_at = timezone.now()
        comment.save(update_fields=["answer", "answered_by", "answered_at"])
        audit_record(
            actor=user,
            action="plan.comment_answer",
            obj=comment.plan,
            before={"answer": before},
            after={"answer": comment.answer},
        )
    return comment


def meeting_record(
    *, user: Any, held_on: Any, title: str, attendees: list[Employee], decision: str, minutes: str = ""
) -> CommitteeMeeting:
    """Record a committee meeting (date, attendees, decision, minutes)."""
    require(user, "meeting.record")
    if not attendees:
        raise JixiaoError(zh="请填写出席人员。", en="List who attended.")
    if not decision.strip():
        raise JixiaoError(zh="请填写会议决定。", en="Write down the decision.")
    with transaction.atomic():
        meeting = CommitteeMeeting.objects.create(
            held_on=held_on, title=title, decision=decision, minutes=minutes, recorded_by=user
        )
        meeting.attendees.set(attendees)
        audit_record(
            actor=user,
            action="meeting.record",
            obj=meeting,
            after={
                "held_on": held_on,
                "title": title,
                "attendees": [e.pk for e in attendees],
                "decision": decision,
            },
        )
    return meeting
