"""The nomination's steps as data (issue 13): each row one step, its access rule and its guards.

Nominating creates the nomination in ``evaluating`` (``nomination.nominate``). Committee members
score it while it is evaluated (a step that keeps the state); HR, the leader or the deputy end
the evaluation (or reopen it); the leader approves — recording the change of post — or rejects;
the nominating head may withdraw it while the committee evaluates. Services apply the rows with
``transition_apply`` (one audit event ``nomination.<action>``); pages build their buttons from
``NOMINATION.available(user, nomination)``.
"""

from __future__ import annotations

from jixiao.access.actor import ActingUser, actor_for
from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .models import Nomination, State
from .separation import barred_scorers, leaders_barred

S = State


def scorer_free(nomination: Nomination, user: ActingUser) -> None:
    """Checked again on the locked nomination from today's data: the scorer is not the nominee,
    in their reporting line, the nominator, nor declared a conflict."""
    actor = actor_for(user)
    if actor.employee_id is not None and actor.employee_id in barred_scorers(nomination):
        raise JixiaoError(
            zh="你是被提名人本人、其上级或提名人，须回避，不能评分。",
            en="You are the nominee, in their reporting line or the nominator: you may not score.",
            code="separation",
            status=403,
        )
    if nomination.conflicts.filter(user_id=actor.user_id or 0).exists():
        raise JixiaoError(
            zh="你已声明回避，不能评分。",
            en="You declared a conflict: you may not score.",
            code="separation",
            status=403,
        )


def decider_free(nomination: Nomination, user: ActingUser) -> None:
    """Checked again from today's data: the decider is the leader unless every leader is barred
    (then the deputy), and is neither the nominee, the nominator nor conflicted."""
    actor = actor_for(user)
    if actor.is_system:
        return
    conflicted = set(nomination.conflicts.values_list("user_id", flat=True))
    if actor.user_id in conflicted or actor.user_id == nomination.nominated_by_id:
        raise JixiaoError(
            zh="你是提名人或已声明回避，不能审批此提名。",
            en="You made this nomination or declared a conflict: you may not decide it.",
            code="separation",
            status=403,
        )
    barred = leaders_barred(nomination, conflicted)
    if actor.has("committee_leader") and not barred:
        return
    if actor.has("committee_deputy") and barred:
        return
    raise JixiaoError(
        zh="由组长审批；组长须回避时由副组长审批。",
        en="The leader decides; the deputy only when the leader must stand aside.",
        code="separation",
        status=403,
    )


def has_evaluations(nomination: Nomination, user: ActingUser) -> None:
    if not nomination.evaluations.exists():
        raise JixiaoError(
            zh="还没有考核小组成员评分，不能结束评议。",
            en="No committee member has scored yet: the evaluation cannot end.",
            code="no_evaluations",
            status=409,
        )


NOMINATION = Workflow(
    name="nomination",
    model=Nomination,
    field="state",
    labels={
        S.EVALUATING: Text("考核小组评议中", "Committee evaluating"),
        S.EVALUATED: Text("待组长审批", "Awaiting the leader's decision"),
        S.APPROVED: Text("已批准晋升", "Promotion approved"),
        S.REJECTED: Text("未获批准", "Not approved"),
        S.WITHDRAWN: Text("已撤回", "Withdrawn"),
    },
    transitions=(
        Transition("score", [S.EVALUATING], S.EVALUATING, "nomination.score",
                   Text("提交评分", "Submit my evaluation"), guards=(scorer_free,)),
        Transition("end_evaluation", [S.EVALUATING], S.EVALUATED, "nomination.close",
                   Text("结束评议，提交组长审批", "End the evaluation: to the leader"), guards=(has_evaluations,)),
        Transition("reopen", [S.EVALUATED], S.EVALUATING, "nomination.close",
                   Text("退回继续评议", "Return to the committee"), needs_reason=True),
        Transition("approve", [S.EVALUATED], S.APPROVED, "nomination.decide",
                   Text("批准晋升", "Approve the promotion"), guards=(decider_free,)),
        Transition("reject", [S.EVALUATING, S.EVALUATED], S.REJECTED, "nomination.decide",
                   Text("不予批准", "Reject"), guards=(decider_free,), needs_reason=True),
        Transition("withdraw", [S.EVALUATING], S.WITHDRAWN, "nomination.withdraw",
                   Text("撤回提名", "Withdraw the nomination"), needs_reason=True),
    ),
)  # fmt: skip
