"""A training session's steps as data (issue 13): planned → held → closed, or cancelled with a
reason. Services apply the rows with ``transition_apply`` (one audit event ``training.<action>``);
the session page builds its buttons from ``SESSION.available(user, session)``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .models import State, TrainingSession

S = State


def date_reached(session: TrainingSession, user: Any) -> None:
    """A session is marked held on or after its date, never ahead of it."""
    if session.held_on > timezone.localdate():
        raise JixiaoError(
            zh=f"培训日期是 {session.held_on}，还没到，不能标记为已举办。",
            en=f"The session is on {session.held_on}, still to come; it cannot be marked held yet.",
            code="not_yet",
            status=409,
        )


def has_invitees(session: TrainingSession, user: Any) -> None:
    """A session nobody was invited to has no one to take attendance of."""
    if not session.invitations.exists():
        raise JixiaoError(
            zh="这次培训还没有邀请任何人，请先按部门或角色邀请。",
            en="Nobody is invited to this session yet; invite by department or role first.",
            code="no_invitees",
            status=409,
        )


def attendance_complete(session: TrainingSession, user: Any) -> None:
    """A session is closed once every invitee's attendance is recorded (present or absent)."""
    missing = session.invitations.exclude(employee_id__in=session.attendances.values("employee_id")).count()
    if missing:
        raise JixiaoError(
            zh=f"还有 {missing} 位受邀人未记录出勤（出勤或缺勤），记录完整后才能结束。",
            en=f"{missing} invitees have no attendance recorded (present or absent); record them all first.",
            code="attendance_missing",
            status=409,
        )


SESSION = Workflow(
    name="training",
    model=TrainingSession,
    field="state",
    labels={
        S.PLANNED: Text("计划中", "Planned"),
        S.HELD: Text("已举办，待确认出勤", "Held: attendance to confirm"),
        S.CLOSED: Text("已结束", "Closed"),
        S.CANCELLED: Text("已取消", "Cancelled"),
    },
    transitions=(
        Transition("mark_held", [S.PLANNED], S.HELD, "training.manage",
                   Text("标记为已举办", "Mark as held"), guards=(date_reached, has_invitees)),
        Transition("finish", [S.HELD], S.CLOSED, "training.manage",
                   Text("确认出勤并结束", "Confirm attendance and close"), guards=(attendance_complete,)),
        Transition("cancel", [S.PLANNED], S.CANCELLED, "training.manage",
                   Text("取消培训", "Cancel the session"), needs_reason=True),
    ),
)  # fmt: skip
