"""The net profit's transition table: finance enters a draft and submits it, the committee
leader approves or returns it; approving a correction supersedes the approved figure."""

from __future__ import annotations

from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .models import NetProfit

S = NetProfit.Status

PROFIT = Workflow(
    name="profit",
    model=NetProfit,
    field="status",
    transitions=(
        Transition(
            "submit", {S.DRAFT}, S.SUBMITTED, "profit.submit", Text("提交审批", "Submit for approval")
        ),
        Transition("approve", {S.SUBMITTED}, S.APPROVED, "profit.approve", Text("审批通过", "Approve")),
        Transition("return", {S.SUBMITTED}, S.DRAFT, "profit.return", Text("退回", "Return")),
        # Taken by the service when a correction is approved, never as a button of its own.
        Transition("supersede", {S.APPROVED}, S.SUPERSEDED, "profit.view", Text("被更正取代", "Supersede")),
    ),
    labels={
        S.DRAFT: Text("草稿", "Draft"),
        S.SUBMITTED: Text("待审批", "Awaiting approval"),
        S.APPROVED: Text("已审批", "Approved"),
        S.SUPERSEDED: Text("已被更正", "Superseded"),
    },
)

# The transitions a page offers as buttons.
PROFIT_BUTTONS = frozenset({"submit", "approve", "return"})
