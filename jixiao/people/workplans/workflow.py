"""The transition tables of work plans (工作计划) and their items, as data.

A plan: HR writes a draft; the HR supervisor or the committee leader, never its author, approves
it; HR may reopen an approved plan to change it (with a reason; it needs approval again) and
closes it once every item is done or dropped. An item moves while its plan is approved: its owner
or HR starts it, finishes it, drops it (with a reason) or takes it up again (with a reason).
Creating and editing are ``workplan.create`` / ``workplan.update`` and ``workitem.create`` /
``workitem.update`` / ``workitem.delete`` (services, on a draft plan).
"""

from __future__ import annotations

from typing import Any

from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .models import RUNNING, SETTLED_ITEMS, ItemState, State, WorkItem, WorkPlan

S = State
I = ItemState  # noqa: E741


def has_items(plan: WorkPlan, user: Any) -> None:
    """A plan is approved with at least one work item."""
    if not plan.items.exists():
        raise JixiaoError(
            zh="计划还没有工作事项，请先添加再批准。",
            en="The plan has no work items yet; add them before approving it.",
            code="no_items",
            status=409,
        )


def items_settled(plan: WorkPlan, user: Any) -> None:
    """A plan closes only when every item is done or dropped (an item left open is dropped with
    its reason first, so the record says why it was not done)."""
    left = plan.items.exclude(state__in=SETTLED_ITEMS).count()
    if left:
        raise JixiaoError(
            zh=f"还有 {left} 项工作未完成也未放弃：请先完成，或注明原因后放弃，再关闭计划。",
            en=f"{left} work items are neither done nor dropped: finish them, or drop them with a reason, "
            "before closing the plan.",
            code="items_open",
            status=409,
        )


def plan_running(item: WorkItem, user: Any) -> None:
    """An item's status moves only while its plan is approved (not a draft, not closed)."""
    if item.plan.state not in RUNNING:
        raise JixiaoError(
            zh="计划批准后、关闭前才能更新工作事项的进度。",
            en="A work item's progress is updated only while its plan is approved and not closed.",
            code="plan_not_running",
            status=409,
        )


WORK_PLAN = Workflow(
    name="workplan",
    model=WorkPlan,
    field="state",
    labels={
        S.DRAFT: Text("草稿", "Draft"),
        S.APPROVED: Text("已批准，执行中", "Approved, under way"),
        S.CLOSED: Text("已关闭", "Closed"),
    },
    transitions=(
        Transition("approve", [S.DRAFT], S.APPROVED, "workplan.approve", Text("批准计划", "Approve the plan"),
                   guards=(has_items,)),
        Transition("reopen", [S.APPROVED], S.DRAFT, "workplan.manage", Text("退回草稿修改", "Reopen to change it"),
                   needs_reason=True),
        Transition("close_plan", [S.APPROVED], S.CLOSED, "workplan.manage", Text("关闭计划", "Close the plan"),
                   guards=(items_settled,)),
    ),
)  # fmt: skip

WORK_ITEM = Workflow(
    name="workitem",
    model=WorkItem,
    field="state",
    labels={
        I.PLANNED: Text("未开始", "Planned"),
        I.IN_PROGRESS: Text("进行中", "In progress"),
        I.DONE: Text("已完成", "Done"),
        I.DROPPED: Text("已放弃", "Dropped"),
    },
    transitions=(
        Transition("set_under_way", [I.PLANNED], I.IN_PROGRESS, "workitem.step", Text("开始", "Start"),
                   guards=(plan_running,)),
        Transition("mark_done", [I.PLANNED, I.IN_PROGRESS], I.DONE, "workitem.step", Text("标记完成", "Mark done"),
                   guards=(plan_running,)),
        Transition("drop", [I.PLANNED, I.IN_PROGRESS], I.DROPPED, "workitem.step",
                   Text("放弃（须注明原因）", "Drop (with a reason)"), guards=(plan_running,), needs_reason=True),
        Transition("resume", [I.DONE, I.DROPPED], I.IN_PROGRESS, "workitem.step",
                   Text("重新开始（须注明原因）", "Take up again (with a reason)"), guards=(plan_running,),
                   needs_reason=True),
    ),
)  # fmt: skip
