"""Monthly pay reads (§4, §10), always through ``access``; reads of others' pay are audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from jixiao.access.actor import actor_for
from jixiao.access.policy import require, scope
from jixiao.audit.services import audit_record
from jixiao.common.errors import NotFound
from jixiao.org.models import Department, Employee

from .models import DepartmentCompletion, MonthlyPayLine, MonthlyPayRun, PayAdjustment, Sanction, TravelDays

ITEMS = (*MonthlyPayLine.ITEMS, "total_fen")


@dataclass
class DepartmentBlock:
    """One department's lines in a run and their subtotal per item (what the page and the
    export show; the subtotal is the sum of the lines, to the fen)."""

    department: Department
    lines: list[MonthlyPayLine] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        return {item: sum(getattr(ln, item) for ln in self.lines) for item in ITEMS}


def group_lines(lines: list[MonthlyPayLine]) -> list[DepartmentBlock]:
    blocks: dict[int, DepartmentBlock] = {}
    for line in lines:
        blocks.setdefault(line.department_id, DepartmentBlock(line.department)).lines.append(line)
    return list(blocks.values())


def company_totals(blocks: list[DepartmentBlock]) -> dict[str, int]:
    return {item: sum(b.totals[item] for b in blocks) for item in ITEMS}


def run_list(*, user: Any) -> QuerySet[MonthlyPayRun]:
    require(user, "monthly_run.view")
    return MonthlyPayRun.objects.select_related("cycle", "computed_by", "released_by")


def run_get(*, user: Any, pk: int) -> tuple[MonthlyPayRun, list[MonthlyPayLine]]:
    """A run and its lines (scoped); the read of other people's pay goes to the audit log."""
    run = run_list(user=user).filter(pk=pk).first()
    if run is None:
        raise NotFound()
    lines = list(
        scope(
            user,
            "monthly_line.view",
            run.lines.select_related("employee", "department", "position", "run"),
        ).order_by("department__sort_order", "employee__number")
    )
    others = [ln.employee_id for ln in lines if ln.employee_id != actor_for(user).employee_id]
    if others:
        audit_record(actor=user, action="pay.read", obj=run, after={"employees": others})
    return run, lines


def my_monthly_lines(*, user: Any) -> list[MonthlyPayLine]:
    """The user's own released monthly pay lines, newest month first."""
    actor = actor_for(user)
    if actor.employee_id is None:
        return []
    qs = MonthlyPayLine.objects.filter(employee_id=actor.employee_id).select_related("run", "department")
    return list(scope(user, "monthly_line.view", qs).filter(run__status="released").order_by("-run__month"))


def adjustments_of(run: MonthlyPayRun) -> QuerySet[PayAdjustment]:
    return run.adjustments.select_related("employee", "recorded_by").order_by("pk")


def travel_list(*, user: Any, month: str) -> list[tuple[Employee, TravelDays | None]]:
    """Every current employee with their travel days in ``month`` (two queries)."""
    require(user, "travel.manage")
    rows = {t.employee_id: t for t in TravelDays.objects.filter(month=month).select_related("entered_by")}
    people = Employee.objects.exclude(status=Employee.Status.LEFT).select_related("department")
    return [(e, rows.get(e.pk)) for e in people.order_by("department__sort_order", "number")]


def completion_list(*, user: Any) -> QuerySet[DepartmentCompletion]:
    require(user, "completion.view")
    return DepartmentCompletion.objects.select_related("department", "recorded_by")[:200]


def sanction_list(*, user: Any) -> QuerySet[Sanction]:
    require(user, "sanction.view")
    return Sanction.objects.select_related("employee__department", "proposed_by", "decided_by")[:200]


def sanction_get(*, user: Any, pk: int) -> Sanction:
    sanction = Sanction.objects.filter(pk=pk).first()
    if sanction is None:
        raise NotFound()
    require(user, "sanction.view")
    return sanction


def employee_by_number(number: str) -> Employee | None:
    return Employee.objects.filter(number=number.strip()).first()
