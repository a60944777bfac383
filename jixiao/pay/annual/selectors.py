"""Annual bonus reads (§4, §10), always through ``access``; reads of other people's pay are
audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can, require, scope
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, NotFound
from jixiao.engine.bonus import AnnualBonus, Cliff, cliffs, profit_range, resolve_tiers, what_if
from jixiao.engine.lint import Finding
from jixiao.engine.money import parse_yuan
from jixiao.engine.pay_types import AnnualBonusPlan
from jixiao.engine.text import Text
from jixiao.engine.types import BonusMode
from jixiao.org.models import Department
from jixiao.pay.bounds import MAX_SIMULATED_PROFITS, profit_checked
from jixiao.plans.adapters import document_findings, engine_pay
from jixiao.plans.models import Plan
from jixiao.workflow.table import Transition

from .chart import bonus_chart
from .models import RUN_RELEASED, AnnualBonusLine, AnnualBonusRun
from .workflow import BONUS_RUN, BONUS_RUN_BUTTONS


def pay_plans(*, user: ActingUser) -> list[Plan]:
    plans = (
        Plan.objects.filter(kind=Plan.Kind.PAY)
        .select_related("department")
        .order_by("department_id", "-number")
    )
    return [p for p in plans if can(user, "pay_plan.view", p)]


def pay_plan_get(*, user: ActingUser, pk: int) -> Plan:
    plan = Plan.objects.filter(kind=Plan.Kind.PAY, pk=pk).select_related("department").first()
    if plan is None:
        raise NotFound()
    require(user, "pay_plan.view", plan)
    return plan


def lint(plan: Plan) -> list[Finding]:
    return document_findings(plan)


@dataclass
class Simulation:
    """The what-if simulator's answer: each profit under both modes, and the cliffs."""

    plan: AnnualBonusPlan
    findings: list[Finding]
    rows: list[tuple[AnnualBonus, AnnualBonus, str]]
    cliffs: list[Cliff]


@dataclass
class PlanPage:
    """The pay plan page: the plan, its lint findings, the what-if table and its chart; a
    refused simulator request (too many points, a profit out of bounds) says why instead."""

    plan: Plan
    findings: list[Finding]
    sim: Simulation | None
    chart: str
    refusal: Text | None = None


DEFAULT_PROFITS = "1999999,2000000,2999999,3000000,3000001,4999999,5000000,5000001"
DEFAULT_SPAN = (0, 600_000_000)


def bonus_plan_page(*, user: ActingUser, pk: int, data: Mapping[str, Any]) -> PlanPage:
    """``data``: the simulator form's cleaned values (``profits`` text, or ``start``/``stop``/
    ``step`` in fen). A request over the limits is refused with a message, never computed."""
    plan = pay_plan_get(user=user, pk=pk)
    try:
        profits, span = simulator_profits(data)
    except JixiaoError as refused:
        return PlanPage(plan, lint(plan), None, "", refused.message)
    simulation = simulate(plan, profits)
    chart = bonus_chart(simulation.plan, *span) if simulation else ""
    return PlanPage(plan, simulation.findings if simulation else lint(plan), simulation, chart)


def simulator_profits(data: Mapping[str, Any]) -> tuple[list[int], tuple[int, int]]:
    """The profits to simulate and the chart's span; refused over :data:`MAX_SIMULATED_PROFITS`
    points or beyond the profit ceiling (both ends and every listed value are checked)."""
    start, stop, step = data.get("start"), data.get("stop"), data.get("step")
    if start is not None and stop is not None and step:
        for value, label in (
            (start, Text("起点", "From")),
            (stop, Text("终点", "To")),
            (step, Text("步长", "Step")),
        ):
            profit_checked(value, label)
        if step <= 0 or stop < start:
            raise JixiaoError(
                zh="范围应从小到大，步长大于 0。", en="The range must run upwards with a step above 0."
            )
        count = (stop - start) // step + 1
        if count > MAX_SIMULATED_PROFITS:
            raise JixiaoError(
                zh=f"该范围有 {count:,} 个点，一次最多计算 {MAX_SIMULATED_PROFITS} 个；请加大步长或缩小范围。",
                en=f"That range has {count:,} points; at most {MAX_SIMULATED_PROFITS} are computed per "
                "request: use a larger step or a narrower range.",
                code="too_many_points",
            )
        span = (start, stop) if stop > start else DEFAULT_SPAN
        return profit_range(start, stop, step), span
    return _listed_profits(str(data.get("profits") or DEFAULT_PROFITS)), DEFAULT_SPAN


def _listed_profits(text: str) -> list[int]:
    items = [p for p in text.replace("，", ",").split(",") if p.strip()]
    if len(items) > MAX_SIMULATED_PROFITS:
        raise JixiaoError(
            zh=f"一次最多计算 {MAX_SIMULATED_PROFITS} 个净利润，收到 {len(items)} 个。",
            en=f"At most {MAX_SIMULATED_PROFITS} profits are computed per request; got {len(items)}.",
            code="too_many_points",
        )
    profits = []
    for item in items:
        try:
            fen = parse_yuan(item.strip()[:40])
        except ValueError:
            raise JixiaoError(
                zh=f"“{item.strip()[:40]}”不是金额：请写成 3000000 或 300万，用逗号分隔。",
                en=f"{item.strip()[:40]!r} is not an amount: write 3000000 or 300万, separated by commas.",
            ) from None
        profits.append(profit_checked(fen, Text("净利润", "The net profit")))
    return profits


def simulate(plan: Plan, profits: list[int]) -> Simulation | None:
    """Lint the pay plan and compute each role's bonus at ``profits``, bracket and progressive."""
    findings = document_findings(plan)
    try:
        annual = engine_pay(plan).annual_bonus
    except Exception:  # the lint findings above already say what is wrong with it
        return None
    if annual is None:
        return None
    resolved = resolve_tiers(annual)
    bracket = what_if(annual, profits, BonusMode.BRACKET)
    progressive = what_if(annual, profits, BonusMode.PROGRESSIVE)
    tiers = ["—" if b.tier is None else _short(resolved[b.tier].render_zh()) for b in bracket]
    return Simulation(
        annual, findings, list(zip(bracket, progressive, tiers, strict=True)), cliffs(annual, annual.mode)
    )


def _short(text: str) -> str:
    return text.replace("（含本数）", "").replace("（不含本数）", "")


def run_list(*, user: ActingUser) -> QuerySet[AnnualBonusRun]:
    require(user, "bonus_run.view")
    return AnnualBonusRun.objects.select_related("department", "plan", "net_profit", "computed_by")


@dataclass
class RunListPage:
    runs: QuerySet[AnnualBonusRun]
    plans: list[Plan]
    departments: QuerySet[Department]
    can_compute: bool


def run_list_page(*, user: ActingUser) -> RunListPage:
    runs = run_list(user=user)
    can_compute = can(user, "bonus_run.compute")
    return RunListPage(runs, pay_plans(user=user), departments_with_pay_plans(), can_compute)


def run_head(*, user: ActingUser, pk: int) -> AnnualBonusRun:
    """A run without its lines (for its release or export)."""
    run = run_list(user=user).filter(pk=pk).first()
    if run is None:
        raise NotFound()
    return run


def run_get(*, user: ActingUser, pk: int) -> tuple[AnnualBonusRun, list[AnnualBonusLine]]:
    """A run and its lines; the read of other people's pay is written to the audit log."""
    run = run_head(user=user, pk=pk)
    lines = list(
        scope(user, "pay_line.view", run.lines.select_related("employee__position", "run")).order_by(
            "employee__number"
        )
    )
    _log_read(user, run, lines)
    return run, lines


@dataclass
class RunPage:
    run: AnnualBonusRun
    lines: list[AnnualBonusLine]
    sum_fen: int
    buttons: list[Transition]


def run_page(*, user: ActingUser, pk: int) -> RunPage:
    """The run page: the run, its lines (the read audited), their sum and the buttons."""
    run, lines = run_get(user=user, pk=pk)
    buttons = [t for t in BONUS_RUN.available(user, run) if t.action in BONUS_RUN_BUTTONS]
    return RunPage(run, lines, sum(ln.amount_fen for ln in lines), buttons)


def my_lines(*, user: ActingUser) -> list[AnnualBonusLine]:
    """The user's own released annual bonus lines, newest year first."""
    actor = actor_for(user)
    if actor.employee_id is None:
        return []
    qs = AnnualBonusLine.objects.filter(employee_id=actor.employee_id).select_related(
        "run__department", "run__plan", "run__net_profit"
    )
    return list(scope(user, "pay_line.view", qs).filter(run__status__in=RUN_RELEASED).order_by("-run__year"))


def _log_read(user: ActingUser, run: AnnualBonusRun, lines: list[AnnualBonusLine]) -> None:
    others = [ln.employee_id for ln in lines if ln.employee_id != actor_for(user).employee_id]
    if others:
        audit_record(actor=user, action="pay.read", obj=run, after={"employees": others})


def departments_with_pay_plans() -> QuerySet[Department]:
    return Department.objects.filter(plans__kind=Plan.Kind.PAY).distinct().order_by("sort_order")
