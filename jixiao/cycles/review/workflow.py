"""The review stage's records as transition tables (§3, §6): a department summary, a
rectification item and a feedback interview.

Services apply a row with ``transition_apply`` (one audit event ``<name>.<action>``); edits of a
record in place go through ``audited_write``. Pages build their buttons from
``WORKFLOW.available(user, record)``.
"""

from __future__ import annotations

from jixiao.access.actor import ActingUser
from jixiao.common.errors import JixiaoError
from jixiao.cycles.lifecycle.locks import cycle_locked
from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .models import (
    CYCLE_TAKES_INTERVIEWS,
    CYCLE_TAKES_SUMMARIES,
    DepartmentSummary,
    FeedbackInterview,
    Rectification,
)

S = DepartmentSummary.Status
R = Rectification.Status
IS = FeedbackInterview.State


def work_done_written(summary: DepartmentSummary, user: ActingUser) -> None:
    """A summary is submitted with its account of the work done."""
    if not summary.work_done.strip():
        raise JixiaoError(zh="请填写本期工作完成情况。", en="Fill in the work done.")


def cycle_takes_summaries(summary: DepartmentSummary, user: ActingUser) -> None:
    """Summaries move between closing scoring and HR's check; holds the cycle's row lock."""
    cycle_locked(summary.cycle_id, CYCLE_TAKES_SUMMARIES)


def cycle_takes_interviews(interview: FeedbackInterview, user: ActingUser) -> None:
    """Interviews follow publication (a locked cycle still takes them: they are about the next
    period); holds the cycle's row lock."""
    cycle_locked(interview.member.cycle_id, CYCLE_TAKES_INTERVIEWS)


SUMMARY = Workflow(
    name="summary",
    model=DepartmentSummary,
    field="status",
    labels={
        S.DRAFT: Text("草稿", "Draft"),
        S.SUBMITTED: Text("已提交", "Submitted"),
        S.RETURNED: Text("已退回", "Returned"),
        S.CHECKED: Text("已核对", "Checked"),
    },
    transitions=(
        Transition("submit", [S.DRAFT, S.RETURNED], S.SUBMITTED, "summary.write", Text("提交给人力资源部", "Submit to HR"),
                   guards=(cycle_takes_summaries, work_done_written)),
        Transition("check", [S.SUBMITTED], S.CHECKED, "summary.check", Text("核对通过", "Mark as checked"),
                   guards=(cycle_takes_summaries,)),
        Transition("return", [S.SUBMITTED, S.CHECKED], S.RETURNED, "summary.check",
                   Text("退回负责人", "Return to the head"), guards=(cycle_takes_summaries,), needs_reason=True),
    ),
)  # fmt: skip

RECTIFICATION = Workflow(
    name="rectification",
    model=Rectification,
    field="status",
    labels={
        R.OPEN: Text("待整改", "Open"),
        R.ANSWERED: Text("已反馈整改情况", "Answered"),
        R.VERIFIED: Text("整改已验证", "Verified"),
    },
    transitions=(
        Transition("answer", [R.OPEN], R.ANSWERED, "rectification.answer", Text("提交整改情况", "Answer")),
        Transition("verify", [R.ANSWERED], R.VERIFIED, "rectification.verify", Text("验证通过", "Verify")),
        Transition("reopen", [R.ANSWERED], R.OPEN, "rectification.verify", Text("重新整改", "Reopen"),
                   needs_reason=True),
    ),
)  # fmt: skip

INTERVIEW = Workflow(
    name="interview",
    model=FeedbackInterview,
    field="state",
    labels={
        IS.RECORDED: Text("已记录", "Recorded"),
        IS.ACKNOWLEDGED: Text("员工已确认", "Acknowledged by the employee"),
    },
    transitions=(
        Transition("acknowledge", [IS.RECORDED], IS.ACKNOWLEDGED, "interview.acknowledge",
                   Text("确认面谈记录", "Acknowledge"), guards=(cycle_takes_interviews,)),
    ),
)  # fmt: skip
