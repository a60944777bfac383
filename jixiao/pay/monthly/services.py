"""Monthly pay writes (§4, §7): travel days, department completion, sanctions, the monthly
pay run, its release and corrections. Each service checks access and state, writes in one
transaction and appends its audit event. A released month is never edited."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.policy import can, require
from jixiao.audit.services import audit_record, snapshot
from jixiao.common.errors import JixiaoError, Problem
from jixiao.cycles.lifecycle.models import Cycle, CycleMember, State
from jixiao.engine import types as engine
from jixiao.engine.money import parse_rate, plain
from jixiao.org.models import Department, Employee
from jixiao.pay.structures.models import PayStructure
from jixiao.pay.structures.services import pay_plan_for
from jixiao.plans.adapters import engine_pay

from . import calculation
from .models import (
    DepartmentCompletion,
    MonthlyPayLine,
    MonthlyPayRun,
    PayAdjustment,
    Sanction,
    TravelDays,
)

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_COMPLETION = Decimal("2")


def month_check(month: str) -> str:
    """Return ``month`` if it is a ``YYYY-MM`` label, else refuse."""
    month = (month or "").strip()
    if not MONTH.match(month):
        raise JixiaoError(
            zh=f"月份“{month}”格式不对，应为 2026-10 这样的年-月。",
            en=f"Month {month!r} is not of the form 2026-10.",
        )
    return month


def month_last_day(month: str) -> dt.date:
    year, mon = (int(x) for x in month_check(month).split("-"))
    return dt.date(year, mon, calendar.monthrange(year, mon)[1])


def month_released(month: str) -> bool:
    return MonthlyPayRun.objects.filter(month=month, status=MonthlyPayRun.Status.RELEASED).exists()


def _refuse_if_released(month: str, what_zh: str, what_en: str) -> None:
    if month_released(month):
        raise JixiaoError(
            zh=f"{month} 的薪酬已发放，{what_zh}不能再修改；请在薪酬发放页录入更正调整并说明原因。",
            en=f"{month}'s pay is released: {what_en} can no longer change; record an adjustment with its reason.",
            code="immutable",
            status=409,
        )


def _who(user: Any) -> Any:
    """The user to record as the author; ``None`` for the system actor (commands)."""
    return user if getattr(user, "pk", None) else None


def parse_days(text: Any) -> Decimal:
    """Travel days: 0 to 31 in steps of half a day (``2``, ``2.5``)."""
    try:
        days = Decimal(str(text).strip() or "0")
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not days.is_finite() or days < 0 or days > 31 or (days * 2) != (days * 2).to_integral_value():
        raise ValueError(f"days must be 0–31 in half days: {text!r}")
    return days


@transaction.atomic
def travel_days_set(
    *, user: Any, employee: Employee, month: str, days: Any, source: str = "manual"
) -> TravelDays:
    """Set ``employee``'s travel days in ``month`` (HR); refused once the month is released."""
    require(user, "travel.manage")
    month = month_check(month)
    try:
        value = parse_days(days)
    except ValueError:
        raise JixiaoError(
            zh="出差天数应为 0 到 31 之间的数，可以是半天（如 2.5）。",
            en="Travel days must be between 0 and 31, in half days (e.g. 2.5).",
        ) from None
    _refuse_if_released(month, "出差天数", "travel days")
    row = TravelDays.objects.select_for_update().filter(employee=employee, month=month).first()
    before = snapshot(row) if row else None
    if row is None:
        row = TravelDays(employee=employee, month=month)
    else:
        row.version += 1
    row.days, row.source = plain(value), source
    row.entered_by = _who(user)
    row.save()
    audit_record(actor=user, action="travel.set", obj=row, before=before, after=snapshot(row))
    return row


@transaction.atomic
def completion_record(
    *, user: Any, department: Department, month: str, rate: Any, note: str = ""
) -> DepartmentCompletion:
    """Record ``department``'s work completion for ``month`` (``95%`` or ``0.95``), by the
    committee or HR; a change before release is audited with its before and after."""
    require(user, "completion.record")
    month = month_check(month)
    try:
        value = parse_rate(rate)
    except ValueError:
        value = Decimal(-1)
    if not (0 <= value <= MAX_COMPLETION):
        raise JixiaoError(
            zh="完成率应在 0% 到 200% 之间，例如 95%。",
            en="Completion must be between 0% and 200%, e.g. 95%.",
        )
    _refuse_if_released(month, "工作完成情况", "work completion")
    row = DepartmentCompletion.objects.select_for_update().filter(department=department, month=month).first()
    before = snapshot(row) if row else None
    if row is None:
        row = DepartmentCompletion(department=department, month=month)
    else:
        row.version += 1
    row.rate, row.note, row.recorded_by = plain(value), note.strip(), _who(user)
    row.save()
    audit_record(actor=user, action="completion.record", obj=row, before=before, after=snapshot(row))
    return row


def locked_cycle(month: str) -> Cycle:
    """The monthly cycle labelled ``month``, refusing unless it is locked."""
    cycle = Cycle.objects.filter(label=month_check(month), kind=Cycle.Kind.MONTH).first()
    if cycle is None:
        raise JixiaoError(
            zh=f"没有 {month} 的月度考核周期，不能计算薪酬。",
            en=f"There is no monthly cycle {month}; pay cannot be computed.",
            code="no_cycle",
        )
    if cycle.state != State.LOCKED:
        raise JixiaoError(
            zh=f"{month} 考核周期尚未锁定（当前：{cycle.get_state_display()}），薪酬只能按已锁定的考核结果计算。",
            en=f"The {month} cycle is not locked (now: {cycle.state}); pay is computed from a locked cycle only.",
            code="cycle_not_locked",
            status=409,
        )
    return cycle


def _inputs(
    month: str, cycle: Cycle
) -> tuple[list[calculation.Department], list[calculation.Person], list[dict[str, str]]]:
    """Load everything the month needs in a fixed number of queries; refuse with one problem
    per missing structure, completion or result."""
    last = month_last_day(month)
    members = list(
        CycleMember.objects.filter(cycle=cycle)
        .select_related("employee", "department", "position", "result")
        .order_by("department__sort_order", "employee__number")
    )
    structures: dict[int, PayStructure] = {}
    for s in PayStructure.objects.filter(
        position_id__in={m.position_id for m in members}, effective_from__lte=last
    ).order_by("position_id", "effective_from"):
        if s.effective_to is None or s.effective_to >= last:
            structures[s.position_id] = s
    dept_ids = {m.department_id for m in members}
    completions = {
        c.department_id: c
        for c in DepartmentCompletion.objects.filter(month=month, department_id__in=dept_ids)
    }
    travel = dict(TravelDays.objects.filter(month=month).values_list("employee_id", "days"))
    sanctions: dict[int, list[tuple[int, str]]] = {}
    for sanction in Sanction.objects.filter(month=month, status=Sanction.Status.APPROVED).order_by("pk"):
        sanctions.setdefault(sanction.employee_id, []).append((sanction.signed_fen, sanction.reason))
    adjustments: dict[int, list[tuple[int, str]]] = {}
    for a in PayAdjustment.objects.filter(month=month).select_related("corrects").order_by("pk"):
        adjustments.setdefault(a.employee_id, []).append((a.amount_fen, f"{a.corrects.month}：{a.reason}"))
    problems: list[Problem] = []
    departments: list[calculation.Department] = []
    for dept in Department.objects.filter(pk__in=dept_ids).order_by("sort_order"):
        if dept.pk not in completions:
            problems.append(
                Problem(
                    zh=f"{dept.name}：未录入 {month} 工作完成情况",
                    en=f"{dept.name}: no work completion for {month}",
                )
            )
            continue
        formula, source = _formula(dept)
        departments.append(
            calculation.Department(dept.pk, dept.name, Decimal(completions[dept.pk].rate), formula, source)
        )
    people: list[calculation.Person] = []
    for m in members:
        result = getattr(m, "result", None)
        structure = structures.get(m.position_id) if m.position_id else None
        if structure is None:
            problems.append(
                Problem(
                    zh=f"{m.employee.number} {m.employee.name}：岗位在 {last} 没有生效的薪酬结构",
                    en=f"{m.employee.number}: the position has no pay structure in force on {last}",
                )
            )
            continue
        if result is None:
            problems.append(
                Problem(
                    zh=f"{m.employee.number} {m.employee.name}：没有考核结果",
                    en=f"{m.employee.number}: no result",
                )
            )
            continue
        people.append(
            calculation.Person(
                m.employee_id, m.employee.name, m.department_id, structure.position_id,
                engine.PayStructure(
                    m.position.code if m.position else "", m.position.title if m.position else "",
                    structure.base_salary, structure.monthly_bonus_base, structure.travel_per_day,
                ),
                structure.effective_from.isoformat(), Decimal(result.coefficient), result.bonus_void,
                result.grade, Decimal(travel.get(m.employee_id, "0")),
                tuple(sanctions.get(m.employee_id, ())), tuple(adjustments.get(m.employee_id, ())),
            )
        )  # fmt: skip
    paid = {m.employee_id for m in members}
    strays = sorted((set(sanctions) | set(adjustments)) - paid)
    notes = [
        {
            "zh": f"{e.number} {e.name} 有本月的奖惩或调整，但不在 {cycle.label} 考核周期中，本次未计发。",
            "en": f"{e.number} has rewards, penalties or adjustments this month but is not in cycle {cycle.label}: not paid here.",
        }
        for e in Employee.objects.filter(pk__in=strays).order_by("number")
    ]
    if problems:
        raise JixiaoError(
            zh=f"{month} 的薪酬不能计算：{len(problems)} 处数据不全。",
            en=f"{month}'s pay cannot be computed: {len(problems)} things are missing.",
            code="pay_inputs",
            problems=problems,
        )
    return departments, people, notes


def _formula(department: Department) -> tuple[str, str]:
    plan = pay_plan_for(department)
    if plan is None:
        return calculation.DEFAULT_FORMULA, "（默认公式）"
    return engine_pay(plan).monthly_bonus_formula, f"（{plan.name} 第 {plan.number} 版）"


@transaction.atomic
def monthly_pay_run_compute(*, user: Any, month: str) -> MonthlyPayRun:
    """Compute ``month``'s pay from its locked cycle; an earlier unreleased run is superseded,
    a released month is refused (corrections are adjustments)."""
    require(user, "monthly_run.compute")
    cycle = locked_cycle(month)
    runs = MonthlyPayRun.objects.select_for_update().filter(month=month)
    if runs.filter(status=MonthlyPayRun.Status.RELEASED).exists():
        _refuse_if_released(month, "薪酬", "pay")
    departments, people, notes = _inputs(month, cycle)
    result = calculation.compute(month, departments, people)
    for old in runs.filter(status=MonthlyPayRun.Status.COMPUTED):
        old.status = MonthlyPayRun.Status.SUPERSEDED
        old.save()
        audit_record(actor=user, action="monthly_run.supersede", obj=old, after={"status": old.status})
    run = MonthlyPayRun.objects.create(
        month=month, cycle=cycle, total_fen=result.total_fen, budget=[b.as_dict() for b in result.budgets],
        over_budget_fen=result.over_budget_fen, computed_by=_who(user), notes=notes,
    )  # fmt: skip
    MonthlyPayLine.objects.bulk_create(
        MonthlyPayLine(
            run=run,
            employee_id=ln.employee_id,
            department_id=ln.department_id,
            position_id=ln.position_id,
            base_salary_fen=ln.base_salary_fen,
            monthly_bonus_fen=ln.monthly_bonus_fen,
            travel_fen=ln.travel_fen,
            reward_fen=ln.reward_fen,
            penalty_fen=ln.penalty_fen,
            adjustment_fen=ln.adjustment_fen,
            total_fen=ln.total_fen,
            completion=ln.completion,
            coefficient=ln.coefficient,
            travel_days=ln.travel_days,
            inputs=ln.inputs,
            trace=ln.trace,
        )
        for ln in result.lines
    )
    audit_record(
        actor=user, action="monthly_run.compute", obj=run, after={**snapshot(run), "lines": len(result.lines)}
    )
    return run


@transaction.atomic
def monthly_pay_run_release(*, user: Any, run: MonthlyPayRun, over_budget_reason: str = "") -> MonthlyPayRun:
    """Release a computed run (HR): its people see their lines, and it is never edited again.
    Over any department's bonus pool only the committee leader may release, with a reason."""
    run = MonthlyPayRun.objects.select_for_update().get(pk=run.pk)
    require(user, "monthly_run.release", run)
    if run.status != MonthlyPayRun.Status.COMPUTED:
        raise JixiaoError(
            zh="只有已计算的薪酬可以发放。", en="Only a computed run can be released.", status=409
        )
    if run.cycle.state != State.LOCKED:
        locked_cycle(run.month)
    reason = over_budget_reason.strip()
    if run.over_budget_fen > 0:
        over = "、".join(b["name"] for b in run.budget if b["over_fen"] > 0)
        if not can(user, "monthly_run.release_over_budget", run) or len(reason) < 4:
            raise JixiaoError(
                zh=f"{over}的月度奖金超出奖金池，须由考核小组组长写明原因后发放。",
                en=f"Monthly bonuses exceed the pool in {over}: only the committee leader may release, with a reason.",
                code="over_budget",
                status=409,
            )
        run.over_budget_reason = reason
    run.status, run.released_by, run.released_at = MonthlyPayRun.Status.RELEASED, _who(user), timezone.now()
    run.save()
    audit_record(
        actor=user, action="monthly_run.release", obj=run, after={"status": run.status, "total_fen": run.total_fen},
        reason=reason,
    )  # fmt: skip
    return run


@transaction.atomic
def pay_adjustment_record(
    *, user: Any, run: MonthlyPayRun, employee: Employee, amount_fen: int, reason: str, month: str
) -> PayAdjustment:
    """Correct released pay: ``amount_fen`` (negative takes back) for ``employee``, paid in the
    not yet released ``month``, with its reason."""
    require(user, "adjustment.record")
    month = month_check(month)
    if run.status != MonthlyPayRun.Status.RELEASED:
        raise JixiaoError(
            zh="只有已发放的薪酬需要更正调整；未发放的请重新计算。",
            en="Only released pay is corrected by an adjustment; recompute an unreleased run.",
            status=409,
        )
    if not run.lines.filter(employee=employee).exists():
        raise JixiaoError(zh="此人不在该月薪酬中。", en="This person is not in that month's pay.")
    if amount_fen == 0 or len(reason.strip()) < 4:
        raise JixiaoError(zh="调整须有金额并写明原因。", en="An adjustment needs an amount and its reason.")
    if month <= run.month:
        raise JixiaoError(
            zh=f"调整计入的月份须晚于 {run.month}。",
            en=f"The adjustment must be paid in a month after {run.month}.",
        )
    _refuse_if_released(month, "薪酬", "pay")
    row = PayAdjustment.objects.create(
        employee=employee,
        corrects=run,
        month=month,
        amount_fen=amount_fen,
        reason=reason.strip(),
        recorded_by=_who(user),
    )
    audit_record(actor=user, action="pay.adjust", obj=row, after=snapshot(row), reason=row.reason)
    return row
