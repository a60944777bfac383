"""The transition tables of rule sets and proposals (issue 13).

A rule set is drafted by HR and submitted; the HR supervisor or the committee leader (not its
author or submitter) activates it or returns it; activating one retires the one active before;
an approver retires it. Submitting and activating are refused while the lint has a blocking
finding.

A proposal is approved or rejected (with a reason) by the HR supervisor or the committee leader,
never the person concerned nor the proposer; above the second-approval threshold only the
committee leader approves a reward or penalty, with a reason (decision 33, as for sanctions).
An approved talk waits on the head named in it, who records it.
"""

from __future__ import annotations

from typing import Any

from jixiao.access.actor import actor_for
from jixiao.common.errors import JixiaoError
from jixiao.engine.money import format_yuan
from jixiao.engine.text import Text
from jixiao.pay.bounds import needs_second_approval, second_approval_fen
from jixiao.workflow.table import Transition, Workflow

from .checks import lint_clean
from .models import Proposal, ProposalState, RuleSet, RuleSetState

RS = RuleSetState
PS = ProposalState


def second_approver(proposal: Proposal, user: Any) -> None:
    """Above the second-approval threshold only the committee leader approves money (decision 33)."""
    if (
        proposal.is_money
        and needs_second_approval(proposal.amount_fen)
        and not actor_for(user).has("committee_leader")
    ):
        limit = format_yuan(second_approval_fen())
        raise JixiaoError(
            zh=f"金额超过 {limit} 元的奖惩须由考核小组组长批准（第二审批人），并写明理由。",
            en=f"A reward or penalty over {limit} yuan needs the committee leader as second approver, "
            "with a reason.",
            code="second_approval",
            status=403,
        )


RULE_SET = Workflow(
    name="rule_set",
    model=RuleSet,
    field="state",
    labels={
        RS.DRAFT: Text("草稿", "Draft"),
        RS.SUBMITTED: Text("待批准", "Awaiting approval"),
        RS.ACTIVE: Text("生效中", "Active"),
        RS.RETIRED: Text("已停用", "Retired"),
    },
    transitions=(
        Transition("submit", [RS.DRAFT], RS.SUBMITTED, "rule_set.edit", Text("提交批准", "Submit for approval"),
                   guards=(lint_clean,)),
        Transition("return", [RS.SUBMITTED], RS.DRAFT, "rule_set.approve", Text("退回修改", "Return for changes"),
                   needs_reason=True),
        Transition("activate", [RS.SUBMITTED], RS.ACTIVE, "rule_set.approve", Text("批准并生效", "Approve and activate"),
                   guards=(lint_clean,)),
        Transition("retire", [RS.ACTIVE], RS.RETIRED, "rule_set.retire", Text("停用", "Retire"), needs_reason=True),
    ),
)  # fmt: skip

PROPOSAL = Workflow(
    name="proposal",
    model=Proposal,
    field="state",
    labels={
        PS.PROPOSED: Text("待审批", "Awaiting approval"),
        PS.APPROVED: Text("已批准", "Approved"),
        PS.REJECTED: Text("已驳回", "Rejected"),
        PS.DONE: Text("已谈话", "Talk held"),
    },
    transitions=(
        Transition("approve", [PS.PROPOSED], PS.APPROVED, "proposal.decide", Text("批准", "Approve"),
                   guards=(second_approver,)),
        Transition("reject", [PS.PROPOSED], PS.REJECTED, "proposal.decide", Text("驳回", "Reject"),
                   needs_reason=True),
        Transition("record_talk", [PS.APPROVED], PS.DONE, "proposal.talk", Text("记录谈话", "Record the talk"),
                   needs_reason=True),
    ),
)  # fmt: skip
