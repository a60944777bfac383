"""The review of frameworks and plans: each step along the approval chain (the tables of
:mod:`.workflow`), HR's item comments (不合理项) and the head's answers, committee meetings.

Every write goes through the primitives: ``transition_apply`` for a step, ``audited_create`` /
``audited_write`` for comments, answers and meetings.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, TypeVar

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text
from jixiao.notifications.services import notify
from jixiao.org.models import Employee
from jixiao.workflow.services import audited_create, audited_write, locked, state_refusal, transition_apply

from .models import CommitteeMeeting, Framework, Plan, ReviewComment, Revision, Status
from .services import kind_of, person
from .workflow import COMMITTEE_DECISIONS, PLAN_WORKFLOW, PUBLISHING, workflow_of

D = TypeVar("D", Plan, Framework)
COMMENT = Text("提出意见", "comment")


def document_transition(
    *,
    user: ActingUser,
    document: D,
    action: str,
    note: str = "",
    meeting: CommitteeMeeting | None = None,
    effective_from: str = "",
) -> D:
    """Move ``document`` one step along its table, audited with the reason (``note``).

    A submission snapshots the content as a new :class:`Revision`; a committee decision
    names its ``meeting``; the leader's approval publishes from ``effective_from`` and marks
    the version it replaces superseded (listed in the event as ``supersedes``) — all in the
    step's one transaction.
    """
    extra: dict[str, Any] = {}

    def change(fresh: D) -> None:
        if action == "submit":
            _snapshot_revision(user, fresh)
        if action in COMMITTEE_DECISIONS:
            fresh.meeting = _meeting_named(meeting)
        if action in PUBLISHING:
            fresh.effective_from = _cycle_named(effective_from)
            fresh.published_at = timezone.now()
            extra["supersedes"] = _supersede_previous(fresh)
        if fresh.status == Status.RETURNED:
            _tell_returned(user, fresh)

    return transition_apply(
        user=user,
        workflow=workflow_of(document),
        obj=document,
        action=action,
        reason=note,
        change=change,
        extra=extra,
    )


def _tell_returned(user: ActingUser, document: Plan | Framework) -> None:
    """Tell whoever submitted the document last that it came back for changes (in the step's
    transaction: a refused return tells nobody)."""
    owner = {"plan": document} if isinstance(document, Plan) else {"framework": document}
    author = (
        Revision.objects.filter(**owner).order_by("-round").values_list("submitted_by_id", flat=True).first()
    )
    if isinstance(document, Plan):
        noun, link = Text("考核方案", "plan"), reverse("plans:plan_detail", args=[document.pk])
    else:
        noun, link = Text("考核总框架", "framework"), reverse("plans:framework_detail", args=[document.pk])
    notify(
        recipients=[author],
        kind=f"{kind_of(document)}.returned",
        text=Text(
            f"您提交的{noun.zh}“{document}”已被退回修改，请查看退回原因和意见。",
            f"Your {noun.en} “{document}” was returned for changes; see the reason and the comments.",
        ),
        link=link,
        exclude=[user],
    )


def _meeting_named(meeting: CommitteeMeeting | None) -> CommitteeMeeting:
    if meeting is None:
        raise JixiaoError(
            zh="请选择作出该决定的考核小组会议。",
            en="Choose the committee meeting that decided this.",
            code="meeting_required",
        )
    return meeting


def _cycle_named(text: str) -> str:
    year, _, month = text.partition("-")
    if not (len(text) == 7 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        raise JixiaoError(
            zh="请填写生效周期，格式 2026-01。", en="Give the cycle it takes effect from, as 2026-01."
        )
    return text


def _snapshot_revision(user: ActingUser, document: Plan | Framework) -> None:
    owner = {"plan": document} if isinstance(document, Plan) else {"framework": document}
    rounds = Revision.objects.filter(**owner).count()
    Revision.objects.create(
        **owner, round=rounds + 1, content=copy.deepcopy(document.content), submitted_by=person(user)
    )


def _supersede_previous(document: Plan | Framework) -> list[int]:
    """Mark the published version(s) of the same code superseded; return their ids (the
    publishing step's audit event lists them, so superseding is part of that one event)."""
    previous = type(document).objects.filter(code=document.code, status=Status.PUBLISHED)
    superseded = []
    for old in previous.exclude(pk=document.pk).select_for_update():
        old.status = Status.SUPERSEDED
        old.version += 1
        old.save(update_fields=["status", "version", "updated_at"])
        superseded.append(old.pk)
    return superseded


# -- comments and answers ---------------------------------------------------------------


def comment_add(*, user: ActingUser, plan: Plan, indicator_key: str, text: str) -> ReviewComment:
    """HR marks an item as unreasonable (不合理项) while the plan waits for its review."""
    require(user, "plan.hr_review", plan)
    if not text.strip():
        raise JixiaoError(zh="意见不能为空。", en="The comment is empty.")
    keys = {str(i.get("key")) for i in plan.content.get("indicators", [])}
    if indicator_key and indicator_key not in keys:
        raise JixiaoError(
            zh=f"方案中没有指标“{indicator_key}”。", en=f"The plan has no indicator '{indicator_key}'."
        )
    with transaction.atomic():
        fresh = locked(Plan, plan.pk)
        if not fresh.is_in_hr_review:
            raise state_refusal(PLAN_WORKFLOW, fresh, COMMENT)
        comment = ReviewComment(
            plan=fresh,
            round=Revision.objects.filter(plan=fresh).count(),
            indicator_key=indicator_key,
            text=text.strip(),
            author=person(user),
        )
        return audited_create(
            user=user, obj=comment, action="plan.comment", fields=["plan", "round", "indicator_key", "text"]
        )


def comment_answer(*, user: ActingUser, comment: ReviewComment, answer: str) -> ReviewComment:
    """The head answers an item comment while revising."""
    require(user, "plan.answer", comment.plan)
    if not answer.strip():
        raise JixiaoError(zh="答复不能为空。", en="The answer is empty.")

    def write(fresh: ReviewComment) -> None:
        fresh.answer = answer.strip()
        fresh.answered_by = person(user)
        fresh.answered_at = timezone.now()

    return audited_write(
        user=user, obj=comment, action="plan.comment_answer", change=write, fields=["answer", "answered_by"]
    )


def meeting_record(
    *,
    user: ActingUser,
    held_on: dt.date,
    title: str,
    attendees: list[Employee],
    decision: str,
    minutes: str = "",
) -> CommitteeMeeting:
    """Record a committee meeting (date, attendees, decision, minutes)."""
    require(user, "meeting.record")
    if not attendees:
        raise JixiaoError(zh="请填写出席人员。", en="List who attended.")
    if not decision.strip():
        raise JixiaoError(zh="请填写会议决定。", en="Write down the decision.")
    with transaction.atomic():
        meeting = CommitteeMeeting(
            held_on=held_on, title=title, decision=decision, minutes=minutes, recorded_by=person(user)
        )
        audited_create(
            user=user,
            obj=meeting,
            action="meeting.record",
            fields=["held_on", "title", "decision"],
        )
        meeting.attendees.set(attendees)
    return meeting
