"""The appeal's steps as data (issue 12): each row one step, its access rule and its guards.

Filing creates the appeal (``appeal.file``): inside the appeal window it is ``filed``; after the
window or the lock it waits for the leader's leave (``awaiting_leave``). Services apply the rows
with ``transition_apply`` (one audit event ``appeal.<action>``); pages build their buttons from
``APPEAL.available(user, appeal)``. A rater's statement has a table of its own.
"""

from __future__ import annotations

from jixiao.access.actor import ActingUser, actor_for
from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .models import Appeal, Recommendation, State, Statement
from .separation import (
    barred_refusal,
    conflicted_employee_ids,
    decider_conflicted_ids,
    decider_refusal,
    leader_is_barred,
)

S = State
SS = Statement.State


def decider_free(appeal: Appeal, user: ActingUser) -> None:
    """Checked again on the locked case, from today's data: the decider has no part in the
    result, did not recheck it, and is the leader unless every leader is barred (then the deputy)."""
    actor = actor_for(user)
    if actor.is_system:
        return
    conflicted = decider_conflicted_ids(appeal.result)
    if actor.employee_id in conflicted or actor.user_id == appeal.rechecker_id:
        raise decider_refusal()
    if actor.has("committee_leader") and not leader_is_barred(conflicted, appeal.rechecker_id):
        return
    if actor.has("committee_deputy") and leader_is_barred(conflicted, appeal.rechecker_id):
        return
    raise JixiaoError(
        zh="组长可以决定此申诉，副组长只在组长须回避时决定。",
        en="The leader can decide this appeal; the deputy decides only when the leader must stand aside.",
        code="separation",
        status=403,
    )


def rechecker_free(appeal: Appeal, user: ActingUser) -> None:
    """The rechecker acts only while they still have no part in the result."""
    actor = actor_for(user)
    if actor.employee_id is not None and actor.employee_id in conflicted_employee_ids(appeal.result):
        raise barred_refusal("复核人", "rechecker")


def adjustment_recommended(appeal: Appeal, user: ActingUser) -> None:
    """An adjustment is decided only on a recommendation to adjust with corrected inputs."""
    if appeal.recommendation != Recommendation.ADJUST or not appeal.corrections:
        raise JixiaoError(
            zh="复核人没有提出调整意见和更正后的数据，只能维持原结果或退回复核人。",
            en="The rechecker did not recommend an adjustment with corrected inputs: uphold it or return it.",
            code="no_corrections",
            status=409,
        )


APPEAL = Workflow(
    name="appeal",
    model=Appeal,
    field="state",
    labels={
        S.AWAITING_LEAVE: Text("待组长准予逾期申诉", "Late: awaiting the leader's leave"),
        S.FILED: Text("待人力资源部受理", "Filed: awaiting HR"),
        S.ACCEPTED: Text("已受理，待指派复核人", "Accepted: awaiting a rechecker"),
        S.RECHECKING: Text("复核中", "Being rechecked"),
        S.RECOMMENDED: Text("待组长决定", "Recommended: awaiting the decision"),
        S.UPHELD: Text("维持原结果", "Upheld"),
        S.ADJUSTED: Text("结果已调整", "Result adjusted"),
        S.DECLINED: Text("不予受理", "Declined"),
        S.CLOSED: Text("不准逾期申诉", "Late appeal refused"),
        S.WITHDRAWN: Text("已撤回", "Withdrawn"),
    },
    transitions=(
        Transition("grant_leave", [S.AWAITING_LEAVE], S.FILED, "appeal.decide",
                   Text("准予逾期申诉", "Allow the late appeal"), guards=(decider_free,), needs_reason=True),
        Transition("refuse_leave", [S.AWAITING_LEAVE], S.CLOSED, "appeal.decide",
                   Text("不准逾期申诉", "Refuse the late appeal"), guards=(decider_free,), needs_reason=True),
        Transition("accept", [S.FILED], S.ACCEPTED, "appeal.triage", Text("受理", "Accept")),
        Transition("decline", [S.FILED], S.DECLINED, "appeal.triage",
                   Text("不予受理（不属于申诉范围）", "Decline as out of scope"), needs_reason=True),
        Transition("assign", [S.ACCEPTED, S.RECHECKING], S.RECHECKING, "appeal.assign",
                   Text("指派复核人", "Assign a rechecker")),
        Transition("request_statement", [S.RECHECKING], S.RECHECKING, "appeal.recheck",
                   Text("请评分人说明", "Ask a rater for a statement"), guards=(rechecker_free,)),
        Transition("recommend", [S.RECHECKING], S.RECOMMENDED, "appeal.recheck",
                   Text("提出复核意见", "Recommend"), guards=(rechecker_free,), needs_reason=True),
        Transition("return", [S.RECOMMENDED], S.RECHECKING, "appeal.decide",
                   Text("退回复核人", "Return to the rechecker"), guards=(decider_free,), needs_reason=True),
        Transition("decide_uphold", [S.RECOMMENDED], S.UPHELD, "appeal.decide",
                   Text("决定：维持原结果", "Decide: uphold the result"), guards=(decider_free,), needs_reason=True),
        Transition("decide_adjust", [S.RECOMMENDED], S.ADJUSTED, "appeal.decide",
                   Text("决定：调整结果", "Decide: adjust the result"),
                   guards=(decider_free, adjustment_recommended), needs_reason=True),
        Transition("withdraw", [S.AWAITING_LEAVE, S.FILED, S.ACCEPTED, S.RECHECKING], S.WITHDRAWN,
                   "appeal.withdraw", Text("撤回申诉", "Withdraw the appeal")),
    ),
)  # fmt: skip

STATEMENT = Workflow(
    name="statement",
    model=Statement,
    field="state",
    labels={SS.REQUESTED: Text("待说明", "Awaiting the statement"), SS.ANSWERED: Text("已说明", "Answered")},
    transitions=(
        Transition("answer", [SS.REQUESTED], SS.ANSWERED, "statement.answer", Text("提交说明", "Send the statement")),
    ),
)  # fmt: skip
