"""The feedback interview (绩效面谈, §3) after results are published.

The member's manager or department head records it (date, strengths, what to improve, agreed
goals) and may correct it until the employee acknowledges it; the employee adds a comment and
acknowledges it once. Writes hold the cycle's row lock (published or locked only) and carry the
interview's optimistic version, since the head and the employee both write to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.policy import require
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, version_check

from .models import CycleMember, FeedbackInterview, State
from .services import cycle_locked

# Interviews follow publication; a locked cycle still takes them (they are about the next period).
INTERVIEW_STATES = (State.PUBLISHED, State.LOCKED)


def _refuse_acknowledged(interview: FeedbackInterview | None) -> None:
    if interview is not None and interview.acknowledged_at is not None:
        raise JixiaoError(
            zh="员工已确认该面谈记录，不能再修改。",
            en="The employee has acknowledged this interview; it can no longer be changed.",
            code="interview_acknowledged",
            status=409,
        )


def interview_record(
    *,
    user: Any,
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
    text = {"strengths": strengths.strip(), "improvements": improvements.strip(), "goals": goals.strip()}
    empty = [label for key, label in (("strengths", "做得好的地方"), ("improvements", "需要改进的地方"),
                                      ("goals", "商定的下期目标")) if not text[key]]  # fmt: skip
    if empty:
        raise JixiaoError(zh=f"请填写：{'、'.join(empty)}。", en="Fill in strengths, improvements and goals.")
    with transaction.atomic():
        cycle_locked(member.cycle_id, INTERVIEW_STATES)
        interview = FeedbackInterview.objects.select_for_update().filter(member=member).first()
        version_check(interview.version if interview else 0, expected_version)
        _refuse_acknowledged(interview)
        after = {"held_on": held_on.isoformat(), **text}
        before = None
        if interview is None:
            interview = FeedbackInterview.objects.create(
                member=member, held_on=held_on, recorded_by=user, **text
            )
        else:
            before = {"held_on": interview.held_on.isoformat(), **{k: getattr(interview, k) for k in text}}
            interview.held_on, interview.recorded_by = held_on, user
            for key, value in text.items():
                setattr(interview, key, value)
            interview.version += 1
            interview.save()
        audit_record(actor=user, action="interview.record", obj=interview, before=before, after=after)
    return interview


def interview_acknowledge(
    *, user: Any, interview: FeedbackInterview, comment: str = "", expected_version: int | None = None
) -> FeedbackInterview:
    """The employee acknowledges the interview record, once, with an optional comment."""
    require(user, "interview.acknowledge", interview)
    with transaction.atomic():
        cycle_locked(interview.member.cycle_id, INTERVIEW_STATES)
        interview = FeedbackInterview.objects.select_for_update().get(pk=interview.pk)
        _refuse_acknowledged(interview)
        version_check(interview.version, expected_version)
        interview.employee_comment, interview.acknowledged_at = comment.strip(), timezone.now()
        interview.version += 1
        interview.save()
        audit_record(
            actor=user, action="interview.acknowledge", obj=interview,
            after={"comment": interview.employee_comment, "version": interview.version},
        )  # fmt: skip
    return interview
