"""Writes of work plans (工作计划) and their items.

Creating and editing go through ``audited_create`` / ``audited_write`` (a plan and its items are
edited while the plan is a draft); every state change is a row of ``workflow.WORK_PLAN`` or
``workflow.WORK_ITEM`` applied by ``transition_apply``. An item's edit also moves its plan's
version, so an approver who read the plan is refused (409) when it changed meanwhile. A refusal
writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser, stored_user
from jixiao.access.policy import require
from jixiao.audit.services import audit_record, snapshot
from jixiao.common.errors import JixiaoError
from jixiao.common.validators import parse_cycle_label, parse_date, parse_text, refuse, whole_number
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.engine.text import Text
from jixiao.notifications.services import notify
from jixiao.org.models import Employee
from jixiao.workflow.services import audited_create, audited_write, locked, transition_apply

from .models import Kind, State, WorkItem, WorkPlan
from .workflow import WORK_ITEM, WORK_PLAN

TITLE_LENGTH = 200
TASK_LENGTH = 300
TEXT_LENGTH = 5_000
REASON_LENGTH = 2_000
MAX_LINKS = 20  # cycles or training sessions one item names
PLAN_FIELDS = ("kind", "period", "title", "goals")
ITEM_FIELDS = ("task", "detail", "owner", "due", "cycle_ids", "training_ids")


def _text(value: object, zh: str, en: str, *, max_length: int, required: bool = True) -> str:
    field = Text(zh, en)
    text = parse_text(value, field=field, max_length=max_length, required=required)
    if "\x00" in text:
        raise refuse(field, "含有不可见的控制字符。", "contains an invisible control character.")
    return text


# -- plans -------------------------------------------------------------------------------------


def _plan_data(data: Mapping[str, Any]) -> dict[str, Any]:
    kind = str(data.get("kind") or "")
    if kind not in Kind.values:
        raise JixiaoError(
            zh="请选择计划类型（年度、季度或月度）。", en="Choose year, quarter or month.", code="kind"
        )
    return {
        "kind": kind,
        "period": parse_cycle_label(data.get("period"), field=Text("期间", "Period"), kind=kind),
        "title": _text(data.get("title"), "标题", "Title", max_length=TITLE_LENGTH),
        "goals": _text(data.get("goals"), "目标与说明", "Goals", max_length=TEXT_LENGTH, required=False),
    }


def _period_taken(period: str, plan: WorkPlan | None = None) -> None:
    others = WorkPlan.objects.filter(period=period)
    if plan is not None:
        others = others.exclude(pk=plan.pk)
    if others.exists():
        raise JixiaoError(
            zh=f"{period} 已有工作计划，请打开它修改。",
            en=f"There is already a work plan for {period}; open it to change it.",
            code="period_taken",
            status=409,
        )


def workplan_create(*, user: ActingUser, data: Mapping[str, Any]) -> WorkPlan:
    """HR writes a new plan for a year, a quarter or a month (a draft)."""
    require(user, "workplan.manage")
    fields = _plan_data(data)
    with transaction.atomic():
        _period_taken(fields["period"])
        plan = WorkPlan(**fields, author=stored_user(user))
        return audited_create(user=user, obj=plan, action="workplan.create", fields=(*PLAN_FIELDS, "state"))


def workplan_update(
    *, user: ActingUser, plan: WorkPlan, data: Mapping[str, Any], expected_version: int | None
) -> WorkPlan:
    """HR changes a draft plan's period, title or goals."""
    require(user, "workplan.manage")
    fields = _plan_data(data)

    def change(p: WorkPlan) -> None:
        _period_taken(fields["period"], p)
        for name, value in fields.items():
            setattr(p, name, value)

    return audited_write(
        user=user, obj=plan, action="workplan.update", change=change, expected_version=expected_version,
        states=[State.DRAFT], workflow=WORK_PLAN, fields=PLAN_FIELDS, skip_unchanged=True,
    )  # fmt: skip


def _owner_users(plan: WorkPlan) -> list[int]:
    ids = plan.items.values_list("owner__user_id", flat=True)
    return sorted({i for i in ids if i is not None})


def workplan_approve(*, user: ActingUser, plan: WorkPlan, expected_version: int | None = None) -> WorkPlan:
    """The HR supervisor or the committee leader (not the author) approves; each owner is told."""

    def change(p: WorkPlan) -> None:
        p.approved_by, p.approved_at = stored_user(user), timezone.now()

    with transaction.atomic():
        done = transition_apply(
            user=user, workflow=WORK_PLAN, obj=plan, action="approve", expected_version=expected_version,
            change=change, fields=("state",),
        )  # fmt: skip
        notify(
            recipients=_owner_users(done),
            kind="workplan.approved",
            text=Text(
                f"工作计划“{done.period} {done.title}”已批准，其中有您负责的工作事项。",
                f"The work plan “{done.period} {done.title}” is approved; some of its items are yours.",
            ),
            link="/people/workplans/mine/",
            exclude=[user],
        )
    return done


def workplan_reopen(
    *, user: ActingUser, plan: WorkPlan, reason: str, expected_version: int | None = None
) -> WorkPlan:
    """HR takes an approved plan back to a draft to change it; it needs approval again."""
    reason = _text(reason, "原因", "Reason", max_length=REASON_LENGTH)

    def change(p: WorkPlan) -> None:
        p.approved_by, p.approved_at = None, None

    return transition_apply(
        user=user, workflow=WORK_PLAN, obj=plan, action="reopen", reason=reason,
        expected_version=expected_version, change=change, fields=("state",),
    )  # fmt: skip


def workplan_close(*, user: ActingUser, plan: WorkPlan, expected_version: int | None = None) -> WorkPlan:
    """HR closes a plan whose items are all done or dropped."""

    def change(p: WorkPlan) -> None:
        p.closed_at = timezone.now()

    return transition_apply(
        user=user, workflow=WORK_PLAN, obj=plan, action="close_plan", expected_version=expected_version,
        change=change, fields=("state",),
    )  # fmt: skip


def workplan_step(
    *, user: ActingUser, plan: WorkPlan, action: str, reason: str = "", expected_version: int | None = None
) -> WorkPlan:
    """One step of the plan's table by its action name (the plan page's buttons)."""
    if action == "approve":
        return workplan_approve(user=user, plan=plan, expected_version=expected_version)
    if action == "reopen":
        return workplan_reopen(user=user, plan=plan, reason=reason, expected_version=expected_version)
    if action == "close_plan":
        return workplan_close(user=user, plan=plan, expected_version=expected_version)
    raise JixiaoError(zh="没有这一步。", en="There is no such step.", code="action")


# -- items -------------------------------------------------------------------------------------


def _ids(values: Iterable[Any], zh: str, en: str) -> list[int]:
    """Record ids typed or chosen on a form: whole numbers from 1, each once, at most ``MAX_LINKS``."""
    found: list[int] = []
    for value in values:
        number = whole_number(value)
        if number is None or number < 1 or number > 2**53:
            raise refuse(
                Text(zh, en), "应为编号（正整数）。", "must be ids (whole numbers from 1).", code="not_an_id"
            )
        if number not in found:
            found.append(number)
    if len(found) > MAX_LINKS:
        raise refuse(Text(zh, en), f"最多关联 {MAX_LINKS} 个。", f"at most {MAX_LINKS}.", code="too_many")
    return found


def _cycles_checked(values: Iterable[Any]) -> list[int]:
    ids = _ids(values, "关联的考核周期", "Linked cycles")
    known = set(Cycle.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if set(ids) - known:
        raise refuse(
            Text("关联的考核周期", "Linked cycles"), "没有这个考核周期。", "no such cycle.", code="cycle"
        )
    return sorted(ids)


def _owner_checked(pk: Any, number: Any) -> Employee:
    """The owner chosen from the list, or named by employee number; never someone who has left."""
    people = Employee.objects.exclude(status=Employee.Status.LEFT)
    typed = str(number or "").strip()[:32]
    owner = people.filter(number=typed).first() if typed else None
    number_id = whole_number(pk)
    if owner is None and not typed and number_id:
        owner = people.filter(pk=number_id).first()
    if owner is None:
        raise refuse(
            Text("负责人", "Owner"), "请选择在职的员工，或填写其工号。",
            "choose an employee who has not left, or enter their employee number.", code="owner",
        )  # fmt: skip
    return owner


def _due_checked(value: Any) -> dt.date:
    return parse_date(value, field=Text("完成期限", "Due date"))


def _item_data(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "task": _text(data.get("task"), "工作事项", "Task", max_length=TASK_LENGTH),
        "detail": _text(data.get("detail"), "说明", "Details", max_length=TEXT_LENGTH, required=False),
        "owner": _owner_checked(data.get("owner"), data.get("owner_number")),
        "due": _due_checked(data.get("due")),
        "cycle_ids": _cycles_checked(data.get("cycle_ids") or ()),
        "training_ids": sorted(
            _ids(data.get("training_ids") or (), "关联的培训", "Linked training sessions")
        ),
    }


def _draft_plan_locked(plan: WorkPlan, expected_version: int | None) -> WorkPlan:
    """The plan under its row lock, refused unless a draft and as the user saw it; its version moves
    (so an approval of what the approver read cannot pass a later change of its items)."""
    current = locked(WorkPlan, plan.pk)
    if current.state != State.DRAFT:
        raise JixiaoError(
            zh="计划已批准或已关闭，不能再改工作事项；如需修改请先退回草稿。",
            en="The plan is approved or closed; reopen it to change its items.",
            code="state",
            status=409,
        )
    if expected_version is not None and expected_version != current.version:
        raise JixiaoError(
            zh="计划已被他人修改，请刷新后再试（您填写的内容仍在）。",
            en="Someone changed the plan meanwhile; reload and try again (your input is kept).",
            code="version",
            status=409,
        )
    current.version += 1
    current.save(update_fields=["version", "updated_at"])
    return current


def workitem_create(
    *, user: ActingUser, plan: WorkPlan, data: Mapping[str, Any], plan_version: int | None = None
) -> WorkItem:
    """HR adds a work item to a draft plan."""
    require(user, "workplan.manage")
    fields = _item_data(data)
    with transaction.atomic():
        current = _draft_plan_locked(plan, plan_version)
        order = current.items.count() + 1
        item = WorkItem(plan=current, sort_order=order, **fields)
        return audited_create(
            user=user, obj=item, action="workitem.create", fields=(*ITEM_FIELDS, "plan", "state")
        )


def workitem_update(
    *, user: ActingUser, item: WorkItem, data: Mapping[str, Any], expected_version: int | None
) -> WorkItem:
    """HR changes a work item of a draft plan."""
    require(user, "workplan.manage")
    fields = _item_data(data)

    def change(i: WorkItem) -> None:
        for name, value in fields.items():
            setattr(i, name, value)

    with transaction.atomic():
        _draft_plan_locked(item.plan, None)
        return audited_write(
            user=user, obj=item, action="workitem.update", change=change, expected_version=expected_version,
            fields=ITEM_FIELDS,
        )  # fmt: skip


def workitem_delete(*, user: ActingUser, item: WorkItem, expected_version: int | None = None) -> WorkPlan:
    """HR removes a work item from a draft plan (an approved plan's item is dropped instead)."""
    require(user, "workplan.manage")
    with transaction.atomic():
        plan = _draft_plan_locked(item.plan, None)
        current = locked(WorkItem, item.pk)
        if expected_version is not None and expected_version != current.version:
            raise JixiaoError(
                zh="工作事项已被他人修改，请刷新后再试。", en="Someone changed the item meanwhile; reload.",
                code="version", status=409,
            )  # fmt: skip
        before = snapshot(current, (*ITEM_FIELDS, "plan", "state"))
        audit_record(actor=user, action="workitem.delete", obj=current, before=before)
        current.delete()
    return plan


def workitem_step(
    *, user: ActingUser, item: WorkItem, action: str, reason: str = "", expected_version: int | None = None
) -> WorkItem:
    """The owner or HR moves an item of an approved plan: start, finish, drop or take it up again."""
    if WORK_ITEM.find(action) is None:
        raise JixiaoError(zh="没有这一步。", en="There is no such step.", code="action")
    words = _text(reason, "原因", "Reason", max_length=REASON_LENGTH, required=False)

    def change(i: WorkItem) -> None:
        i.done_at = timezone.now() if action == "mark_done" else None
        if action == "drop":
            i.drop_reason = words
        elif action == "resume":
            i.drop_reason = ""

    return transition_apply(
        user=user, workflow=WORK_ITEM, obj=item, action=action, reason=words,
        expected_version=expected_version, change=change, fields=("state", "drop_reason"),
    )  # fmt: skip
