"""Reads of work plans (工作计划), each through ``jixiao.access.policy``: one page selector per
page (the list, a plan, my work items, the forms), each with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can, require, scope
from jixiao.common.errors import JixiaoError, NotFound
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.engine.text import Text
from jixiao.org.history import HistoryEntry, record_history
from jixiao.org.models import Employee
from jixiao.workflow.table import Transition

from .models import OPEN_ITEMS, Kind, State, WorkItem, WorkPlan
from .workflow import WORK_ITEM, WORK_PLAN

# The training session's page, when the training wing provides one (people.training): an item
# keeps the session's id only, so this wing never imports the training models.
TRAINING_URL_NAME = "training:detail"
KIND_FILTERS = tuple(Kind.values)
STATE_FILTERS = tuple(State.values)


def training_link(training_id: int) -> str:
    """The training session's page, or "" while there is no such page."""
    try:
        return reverse(TRAINING_URL_NAME, args=[training_id])
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class Link:
    name: str
    url: str


@dataclass
class ItemRow:
    item: WorkItem
    cycles: list[Link]
    trainings: list[Link]
    actions: list[Transition] = field(default_factory=list)

    @property
    def state_label(self) -> Text:
        return WORK_ITEM.state_label(self.item.state)

    @property
    def overdue(self) -> bool:
        return self.item.is_overdue


def _links(items: Iterable[WorkItem]) -> tuple[dict[int, Link], dict[int, Link]]:
    """Every linked cycle (one query) and training session (by its id) of ``items``."""
    rows = list(items)
    cycle_ids = {pk for item in rows for pk in item.cycle_ids}
    cycles = {
        pk: Link(label, reverse("cycles:cycle_detail", args=[pk]))
        for pk, label in Cycle.objects.filter(pk__in=cycle_ids).values_list("pk", "label")
    }
    trainings = {pk: Link(f"#{pk}", training_link(pk)) for item in rows for pk in item.training_ids}
    return cycles, trainings


def _rows(user: ActingUser, items: Iterable[WorkItem], *, with_actions: bool) -> list[ItemRow]:
    rows = list(items)
    cycles, trainings = _links(rows)
    return [
        ItemRow(
            item=item,
            cycles=[cycles[pk] for pk in item.cycle_ids if pk in cycles],
            trainings=[trainings[pk] for pk in item.training_ids],
            actions=WORK_ITEM.available(user, item) if with_actions and item.plan.is_running else [],
        )
        for item in rows
    ]


# -- the list ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    plan: WorkPlan
    items: int
    done: int
    overdue: int

    @property
    def state_label(self) -> Text:
        return WORK_PLAN.state_label(self.plan.state)


@dataclass
class ListPage:
    rows: list[PlanRow]
    kind: str
    state: str
    kinds: list[tuple[str, Any]]
    states: list[tuple[str, Text]]
    can_manage: bool


def plan_list_page(*, user: ActingUser, kind: str = "", state: str = "") -> ListPage:
    """Every plan (HR and the committee) with its counts of items, done and overdue (one query)."""
    require(user, "workplan.list")
    today = timezone.localdate()
    plans = scope(user, "workplan.view", WorkPlan.objects.all())
    if kind in Kind.values:
        plans = plans.filter(kind=kind)
    if state in State.values:
        plans = plans.filter(state=state)
    plans = plans.annotate(
        n_items=Count("items"),
        n_done=Count("items", filter=Q(items__state="done")),
        n_overdue=Count("items", filter=Q(items__state__in=OPEN_ITEMS, items__due__lt=today)),
    )
    return ListPage(
        rows=[PlanRow(p, p.n_items, p.n_done, p.n_overdue) for p in plans[:500]],
        kind=kind,
        state=state,
        kinds=list(Kind.choices),
        states=list(WORK_PLAN.labels.items()),
        can_manage=can(user, "workplan.manage"),
    )


# -- one plan ----------------------------------------------------------------------------------


def _timeline(object_type: str, pk: int) -> list[HistoryEntry]:
    """A record's history from the audit log (its events, people as the directory names them)."""
    return record_history((object_type, [pk]))


@dataclass
class PlanPage:
    plan: WorkPlan
    rows: list[ItemRow]
    actions: list[Transition]
    entries: list[HistoryEntry]
    can_edit: bool
    overdue: int

    @property
    def state_label(self) -> Text:
        return WORK_PLAN.state_label(self.plan.state)

    @property
    def done(self) -> int:
        return sum(1 for r in self.rows if r.item.state == "done")


def plan_get(*, user: ActingUser, pk: int) -> WorkPlan:
    """One plan the user may read, else 404 (its existence is not revealed)."""
    plan = WorkPlan.objects.select_related("author", "approved_by").filter(pk=pk).first()
    if plan is None or not can(user, "workplan.view", plan):
        raise NotFound()
    return plan


def _items(plan: WorkPlan) -> QuerySet[WorkItem]:
    return plan.items.select_related("owner__department", "plan")


def plan_page(*, user: ActingUser, pk: int) -> PlanPage:
    """A plan with its items (owner, due date, status, links, late ones flagged), its steps for
    this user and its history."""
    plan = plan_get(user=user, pk=pk)
    rows = _rows(user, _items(plan), with_actions=True)
    return PlanPage(
        plan=plan,
        rows=rows,
        actions=WORK_PLAN.available(user, plan),
        entries=_timeline("workplans.workplan", pk),
        can_edit=plan.is_draft and can(user, "workplan.manage"),
        overdue=sum(1 for r in rows if r.overdue),
    )


# -- my work items -----------------------------------------------------------------------------


@dataclass
class MinePage:
    open_rows: list[ItemRow]
    settled_rows: list[ItemRow]

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.open_rows if r.overdue)


def my_items_page(*, user: ActingUser) -> MinePage:
    """The work items the user owns in approved or closed plans, open ones first by due date."""
    require(user, "workitem.mine")
    employee = actor_for(user).employee_id
    if employee is None:
        return MinePage([], [])
    items = scope(user, "workitem.view", WorkItem.objects.filter(owner_id=employee)).select_related(
        "plan", "owner__department"
    )
    rows = _rows(user, items.order_by("due", "pk")[:500], with_actions=True)
    return MinePage(
        open_rows=[r for r in rows if r.item.is_open],
        settled_rows=[r for r in rows if not r.item.is_open],
    )


# -- the forms ---------------------------------------------------------------------------------


def item_get(*, user: ActingUser, pk: int) -> WorkItem:
    """One item the user may read, else 404."""
    item = WorkItem.objects.select_related("plan", "owner").filter(pk=pk).first()
    if item is None or not can(user, "workitem.view", item):
        raise NotFound()
    return item


def plan_new(*, user: ActingUser) -> None:
    """The new plan form is HR's (403 for others)."""
    require(user, "workplan.manage")


def _draft_refusal(plan: WorkPlan) -> JixiaoError:
    label = WORK_PLAN.state_label(plan.state)
    return JixiaoError(
        zh=f"计划“{plan}”当前为“{label.zh}”，不能修改；如需修改请先退回草稿。",
        en=f"The plan “{plan}” is {label.en}; reopen it to change it.",
        code="state",
        status=409,
    )


def plan_for_edit(*, user: ActingUser, pk: int) -> WorkPlan:
    """A draft plan HR may edit (403 for others, 409 once approved or closed)."""
    plan = plan_get(user=user, pk=pk)
    require(user, "workplan.manage")
    if not plan.is_draft:
        raise _draft_refusal(plan)
    return plan


def item_for_edit(*, user: ActingUser, pk: int) -> WorkItem:
    """An item of a draft plan HR may edit (403 for others, 409 once the plan is approved)."""
    item = item_get(user=user, pk=pk)
    require(user, "workplan.manage")
    if not item.plan.is_draft:
        raise _draft_refusal(item.plan)
    return item


def owner_choices(*, user: ActingUser, current: int | None = None) -> list[tuple[int, str]]:
    """Who usually owns appraisal work, offered in a list: employees who have not left and hold a
    role (HR, the committee, finance …) or head a department, and the item's current owner. Anyone
    else is named by their employee number (the form's second field)."""
    require(user, "workplan.manage")
    likely = Q(user__role_grants__isnull=False) | Q(headed_departments__isnull=False)
    if current is not None:
        likely |= Q(pk=current)
    people = (
        Employee.objects.exclude(status=Employee.Status.LEFT)
        .filter(likely)
        .distinct()
        .order_by("department__sort_order", "department__name", "name")
        .values_list("pk", "name", "number", "department__name")
    )
    return [(pk, f"{name} {number}（{department}）") for pk, name, number, department in people[:500]]


def cycle_choices(*, user: ActingUser) -> list[tuple[int, str]]:
    """The cycles an item may name (newest first)."""
    require(user, "workplan.manage")
    return list(Cycle.objects.order_by("-start", "-pk").values_list("pk", "label")[:200])
