"""The improvement plan's steps as data (issue 13): each row one step, its rule and its guards.

Starting a plan creates it in ``draft`` (``improvement.start``). The head (or HR) writes goals,
support and review dates with the employee; the employee acknowledges it (``agreed``); reviews
begin (``in_review``, also by the first check-in); the outcome is improved, extended (new review
date, stays in review, a new version for the employee to acknowledge) or closed. Services apply
the rows with ``transition_apply`` (one audit event ``improvement.<action>``); the plan page
builds its buttons from ``IMPROVEMENT.available(user, plan)``.
"""

from __future__ import annotations

from jixiao.access.actor import ActingUser
from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .models import Acknowledgement, Goal, ImprovementPlan, Review, State

S = State


def has_content(plan: ImprovementPlan, user: ActingUser) -> None:
    """A plan is agreed on or reviewed only once it has a goal and a review date."""
    if not Goal.objects.filter(plan=plan).exists() or not Review.objects.filter(plan=plan).exists():
        raise JixiaoError(
            zh="计划至少要有一个目标和一个复盘日期，才能确认或开始跟进。",
            en="The plan needs at least one goal and one review date before it is acknowledged or reviewed.",
            code="plan_empty",
            status=409,
        )


def revision_unacknowledged(plan: ImprovementPlan, user: ActingUser) -> None:
    """Each version of the plan is acknowledged once."""
    if Acknowledgement.objects.filter(plan=plan, revision=plan.revision).exists():
        raise JixiaoError(
            zh=f"计划第 {plan.revision} 版已经确认过了。",
            en=f"Version {plan.revision} of the plan is already acknowledged.",
            code="acknowledged",
            status=409,
        )


LABELS: dict[str, Text] = {
    S.DRAFT: Text("制定中", "Being written"),
    S.AGREED: Text("员工已确认", "Acknowledged by the employee"),
    S.IN_REVIEW: Text("跟进中", "In review"),
    S.IMPROVED: Text("已达成改进", "Improved"),
    S.CLOSED: Text("已结束", "Closed"),
}

IMPROVEMENT = Workflow(
    name="improvement",
    model=ImprovementPlan,
    field="state",
    labels=LABELS,
    transitions=(
        Transition("acknowledge", [S.DRAFT], S.AGREED, "improvement.acknowledge",
                   Text("我已阅读并确认计划", "I have read and acknowledge the plan"),
                   guards=(has_content, revision_unacknowledged)),
        Transition("revise", [S.AGREED], S.DRAFT, "improvement.write",
                   Text("继续修改计划", "Revise the plan"), needs_reason=True),
        Transition("begin", [S.AGREED], S.IN_REVIEW, "improvement.write",
                   Text("开始跟进", "Begin the reviews"), guards=(has_content,)),
        Transition("acknowledge_update", [S.IN_REVIEW], S.IN_REVIEW, "improvement.acknowledge",
                   Text("我已阅读并确认新版本", "I have read and acknowledge the new version"),
                   guards=(revision_unacknowledged,)),
        Transition("outcome_improved", [S.IN_REVIEW], S.IMPROVED, "improvement.write",
                   Text("结论：已达成改进", "Outcome: improved"), needs_reason=True),
        Transition("outcome_extended", [S.IN_REVIEW], S.IN_REVIEW, "improvement.write",
                   Text("结论：延长计划", "Outcome: extend the plan"), needs_reason=True),
        Transition("outcome_closed", [S.DRAFT, S.AGREED, S.IN_REVIEW], S.CLOSED, "improvement.write",
                   Text("结论：结束计划", "Outcome: close the plan"), needs_reason=True),
    ),
)  # fmt: skip
