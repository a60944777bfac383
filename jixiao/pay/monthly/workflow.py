"""Monthly pay's transition tables.

A sanction is proposed (created), then approved or rejected by the HR supervisor or the
committee leader — never its proposer — while its month is not released; above the
second-approval threshold only the committee leader approves, with a reason (decision 33).

A monthly run is computed (created) from a locked cycle; HR releases it when every department
stays within its bonus pool; over the pool only the committee leader releases, with a reason;
a recomputation supersedes the unreleased run.
"""

from __future__ import annotations

from typing import Any

from jixiao.access.actor import actor_for
from jixiao.common.errors import JixiaoError
from jixiao.cycles.lifecycle.models import State
from jixiao.engine.money import format_yuan
from jixiao.engine.text import Text
from jixiao.pay.bounds import needs_second_approval, second_approval_fen
from jixiao.workflow.table import Transition, Workflow

from .models import DepartmentCompletion, MonthlyPayRun, PayAdjustment, Sanction, TravelDays
from .months import locked_cycle, refuse_if_released

SS = Sanction.Status
RS = MonthlyPayRun.Status


def month_open(sanction: Sanction, user: Any) -> None:
    """A sanction of a released month is frozen."""
    refuse_if_released(sanction.month, "奖惩", "rewards and penalties")


def second_approver(sanction: Sanction, user: Any) -> None:
    """Above the second-approval threshold only the committee leader approves (decision 33)."""
    if needs_second_approval(sanction.amount_fen) and not actor_for(user).has("committee_leader"):
        limit = format_yuan(second_approval_fen())
        raise JixiaoError(
            zh=f"金额超过 {limit} 元的奖惩须由考核小组组长批准（第二审批人），并写明理由。",
            en=f"A reward or penalty over {limit} yuan needs the committee leader as second approver, "
            "with a reason.",
            code="second_approval",
            status=403,
        )


def cycle_still_locked(run: MonthlyPayRun, user: Any) -> None:
    """Pay is released only while its cycle stays locked."""
    if run.cycle.state != State.LOCKED:
        locked_cycle(run.month)


def over_budget(run: MonthlyPayRun) -> JixiaoError:
    over = "、".join(b["name"] for b in run.budget if b["over_fen"] > 0)
    return JixiaoError(
        zh=f"{over}的月度奖金超出奖金池，须由考核小组组长写明原因后发放。",
        en=f"Monthly bonuses exceed the pool in {over}: only the committee leader may release, with a reason.",
        code="over_budget",
        status=409,
    )


def within_pool(run: MonthlyPayRun, user: Any) -> None:
    """Over any department's bonus pool, only ``release_over_budget`` releases."""
    if run.over_budget_fen > 0:
        raise over_budget(run)


def inputs_unchanged(run: MonthlyPayRun, user: Any) -> None:
    """A run is released only as computed from the month's current inputs: an adjustment (an
    appeal's recheck records one), an approved reward or penalty, travel days or a completion
    rate recorded after it was computed would otherwise go unpaid or be paid wrong."""
    since = run.created_at
    changed = [
        what
        for what, newer in (
            (
                Text("薪酬调整", "pay adjustments"),
                PayAdjustment.objects.filter(month=run.month, created_at__gt=since),
            ),
            (
                Text("奖惩", "rewards and penalties"),
                Sanction.objects.filter(month=run.month, decided_at__gt=since),
            ),
            (
                Text("出差天数", "travel days"),
                TravelDays.objects.filter(month=run.month, updated_at__gt=since),
            ),
            (
                Text("部门工作完成情况", "department completion"),
                DepartmentCompletion.objects.filter(month=run.month, updated_at__gt=since),
            ),
        )
        if newer.exists()
    ]
    if changed:
        raise JixiaoError(
            zh=f"计算之后又录入了{'、'.join(t.zh for t in changed)}，请重新计算本月薪酬后再发放。",
            en=f"{', '.join(str(t.en) for t in changed).capitalize()} changed after this run was computed: "
            "compute the month again, then release.",
            code="stale_run",
            status=409,
        )


SANCTION = Workflow(
    name="sanction",
    model=Sanction,
    field="status",
    transitions=(
        Transition("approve", {SS.PROPOSED}, SS.APPROVED, "sanction.approve", Text("批准", "Approve"),
                   guards=(month_open, second_approver)),
        Transition("reject", {SS.PROPOSED}, SS.REJECTED, "sanction.reject", Text("驳回", "Reject"),
                   guards=(month_open,)),
    ),
    labels={
        SS.PROPOSED: Text("待审批", "Proposed"),
        SS.APPROVED: Text("已批准", "Approved"),
        SS.REJECTED: Text("已驳回", "Rejected"),
    },
)  # fmt: skip

MONTHLY_RUN = Workflow(
    name="monthly_run",
    model=MonthlyPayRun,
    field="status",
    transitions=(
        Transition("release", {RS.COMPUTED}, RS.RELEASED, "monthly_run.release", Text("发放", "Release"),
                   guards=(cycle_still_locked, inputs_unchanged, within_pool)),
        Transition("release_over_budget", {RS.COMPUTED}, RS.RELEASED, "monthly_run.release_over_budget",
                   Text("超出奖金池发放", "Release over the pool"), guards=(cycle_still_locked, inputs_unchanged),
                   needs_reason=True),
        # Taken by the compute service for the month's unreleased run, never as a button.
        Transition("supersede", {RS.COMPUTED}, RS.SUPERSEDED, "monthly_run.compute",
                   Text("被重算取代", "Supersede")),
    ),
    labels={
        RS.COMPUTED: Text("已计算", "Computed"),
        RS.RELEASED: Text("已发放", "Released"),
        RS.SUPERSEDED: Text("已被重算", "Superseded"),
    },
)  # fmt: skip

RELEASES = frozenset({"release", "release_over_budget"})
