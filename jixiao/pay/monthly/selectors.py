"""Monthly pay reads (§4, §10), always through ``access``; reads of others' pay are audited.
One page selector per page returns what the page shows, buttons included (from the tables)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can, require, scope
from jixiao.audit.services import audit_read, audit_record
from jixiao.common.errors import NotFound
from jixiao.org.models import Department, Employee
from jixiao.pay.annual.models import AnnualBonusLine
from jixiao.pay.annual.selectors import my_lines
from jixiao.workflow.table import Transition

from .models import (
    RUN_RELEASED,
    DepartmentCompletion,
    MonthlyPayLine,
    MonthlyPayRun,
    PayAdjustment,
    Sanction,
    TravelDays,
)
from .workflow import MONTHLY_RUN, RELEASES, SANCTION

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


def run_list(*, user: ActingUser) -> QuerySet[MonthlyPayRun]:
    require(user, "monthly_run.view")
    return MonthlyPayRun.objects.select_related("cycle", "computed_by", "released_by")


@dataclass
class RunListPage:
    """The runs, the compute form if the user may compute, and the links to the pages beside
    it that the user may open (each under the rule its view requires; none leads to a 403)."""

    runs: QuerySet[MonthlyPayRun] | list[MonthlyPayRun]
    can_compute: bool
    can_travel: bool
    can_completions: bool
    can_sanctions: bool
    todo: bool = False


def runs_to_release(*, user: ActingUser) -> list[MonthlyPayRun]:
    """The runs the user may release now (HR within the pools, the leader over them): the home
    page's "pay to release" counts these, the list shows them (``?todo=1``)."""
    runs = run_list(user=user).exclude(status__in=RUN_RELEASED)
    return [r for r in runs if any(t.action in RELEASES for t in MONTHLY_RUN.available(user, r))]


def run_list_page(*, user: ActingUser, todo: bool = False) -> RunListPage:
    return RunListPage(
        runs_to_release(user=user) if todo else run_list(user=user),
        can_compute=can(user, "monthly_run.compute"),
        can_travel=can(user, "travel.manage"),
        can_completions=can(user, "completion.view"),
        can_sanctions=can(user, "sanction.view"),
        todo=todo,
    )


def run_head(*, user: ActingUser, pk: int) -> MonthlyPayRun:
    """A run without its lines (for its release, export or adjustment)."""
    run = run_list(user=user).filter(pk=pk).first()
    if run is None:
        raise NotFound()
    return run


def run_get(*, user: ActingUser, pk: int) -> tuple[MonthlyPayRun, list[MonthlyPayLine]]:
    """A run and its lines (scoped); the read of other people's pay goes to the audit log."""
    run = run_head(user=user, pk=pk)
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


@dataclass
class RunPage:
    """The monthly run page: its lines by department, the totals, the adjustments, and the
    release button the user may press (over the pool, the leader's)."""

    run: MonthlyPayRun
    blocks: list[DepartmentBlock]
    totals: dict[str, int]
    adjustments: list[PayAdjustment]  # corrections of this run, paid in later months
    release: Transition | None
    can_adjust: bool
    paid_adjustments: list[PayAdjustment]  # corrections of earlier months paid in this run


def run_page(*, user: ActingUser, pk: int) -> RunPage:
    run, lines = run_get(user=user, pk=pk)
    blocks = group_lines(lines)
    releases = {t.action: t for t in MONTHLY_RUN.available(user, run) if t.action in RELEASES}
    over = run.over_budget_fen > 0 and "release_over_budget" in releases
    release = releases.get("release_over_budget" if over else "release")
    adjustments = list(run.adjustments.select_related("employee", "recorded_by").order_by("pk"))
    can_adjust = run.is_released and can(user, "adjustment.record")
    paid = PayAdjustment.objects.filter(month=run.month).select_related("employee", "corrects", "recorded_by")
    return RunPage(
        run, blocks, company_totals(blocks), adjustments, release, can_adjust, list(paid.order_by("pk"))
    )


def my_monthly_lines(*, user: ActingUser) -> list[MonthlyPayLine]:
    """The user's own released monthly pay lines, newest month first."""
    actor = actor_for(user)
    if actor.employee_id is None:
        return []
    qs = MonthlyPayLine.objects.filter(employee_id=actor.employee_id).select_related("run", "department")
    return list(
        scope(user, "monthly_line.view", qs).filter(run__status__in=RUN_RELEASED).order_by("-run__month")
    )


@dataclass
class MyPayPage:
    annual: list[AnnualBonusLine]
    monthly: list[MonthlyPayLine]


def my_pay_page(*, user: ActingUser) -> MyPayPage:
    """The person's own released pay: annual bonus lines and monthly lines."""
    require(user, "pay.mine")
    return MyPayPage(my_lines(user=user), my_monthly_lines(user=user))


def travel_list(*, user: ActingUser, month: str) -> list[tuple[Employee, TravelDays | None]]:
    """Every current employee with their travel days in ``month`` (two queries)."""
    require(user, "travel.manage")
    rows = {t.employee_id: t for t in TravelDays.objects.filter(month=month).select_related("entered_by")}
    people = Employee.objects.exclude(status=Employee.Status.LEFT).select_related("department")
    return [(e, rows.get(e.pk)) for e in people.order_by("department__sort_order", "number")]


@dataclass
class CompletionsPage:
    rows: list[DepartmentCompletion]
    can_record: bool


def completions_page(*, user: ActingUser) -> CompletionsPage:
    require(user, "completion.view")
    rows = list(DepartmentCompletion.objects.select_related("department", "recorded_by")[:200])
    return CompletionsPage(rows, can(user, "completion.record"))


@dataclass
class SanctionsPage:
    rows: list[tuple[Sanction, list[Transition]]]
    can_propose: bool


def sanctions_page(*, user: ActingUser) -> SanctionsPage:
    """Every sanction (newest first, at most 200) with the decisions the user may take on it."""
    require(user, "sanction.view")
    sanctions = Sanction.objects.select_related("employee__department", "proposed_by", "decided_by")[:200]
    rows = [(s, SANCTION.available(user, s)) for s in sanctions]
    own = actor_for(user).employee_id
    others = [s.employee_id for s, _ in rows if s.employee_id != own]
    audit_read(actor=user, object_type=Sanction._meta.label_lower, shown={"employees": others})
    return SanctionsPage(rows, can(user, "sanction.propose"))


def sanction_get(*, user: ActingUser, pk: int) -> Sanction:
    sanction = Sanction.objects.filter(pk=pk).first()
    if sanction is None:
        raise NotFound()
    require(user, "sanction.view")
    return sanction
