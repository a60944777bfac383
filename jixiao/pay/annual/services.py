"""Annual bonus writes (§4): compute, release and export a department's annual bonus run.
Each service checks access and state, writes in one transaction and appends its audit event."""

from __future__ import annotations

import datetime as dt
import io
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.audit.exports import export_reason_clean
from jixiao.audit.services import audit_record, snapshot
from jixiao.common.errors import JixiaoError
from jixiao.common.excel import write_xlsx
from jixiao.common.labels import label_text
from jixiao.engine.money import fen_to_yuan
from jixiao.engine.pay_annual import Person
from jixiao.engine.pay_types import AnnualBonusPlan
from jixiao.org.models import Department, Employee
from jixiao.pay.structures.models import NetProfit, PayStructure
from jixiao.pay.structures.services import published_pay_plan
from jixiao.plans.adapters import engine_pay
from jixiao.plans.models import Plan
from jixiao.workflow.services import transition_apply

from . import calculation
from .models import RUN_CURRENT, AnnualBonusLine, AnnualBonusRun
from .workflow import BONUS_RUN


def _people(department: Department, year: int) -> list[Person]:
    """The department's people with the annual bonus role of their position's structure in
    force on the last day of ``year`` (one query for structures, one for people)."""
    year_end = dt.date(year, 12, 31)
    roles: dict[int, str] = {}
    for position_id, role in (
        PayStructure.objects.filter(position__department=department, effective_from__lte=year_end)
        .order_by("position_id", "effective_from")
        .values_list("position_id", "annual_bonus_role")
    ):
        roles[position_id] = role  # ascending dates: the last one wins
    employees = Employee.objects.filter(department=department, position_id__in=roles).order_by("number")
    return [
        Person(str(e.pk), e.name, roles[e.position_id], e.hire_date, e.status == Employee.Status.LEFT)
        for e in employees
        if e.position_id is not None and roles[e.position_id]
    ]


@transaction.atomic
def annual_bonus_run_compute(*, user: ActingUser, department: Department, year: int) -> AnnualBonusRun:
    """Compute ``department``'s annual bonus for ``year`` from the approved net profit and the
    department's published pay plan (any other state is refused, naming the plan and its
    state); an earlier run for the same year is marked superseded."""
    require(user, "bonus_run.compute")
    profit = NetProfit.objects.filter(year=year, status=NetProfit.Status.APPROVED).first()
    if profit is None:
        raise JixiaoError(zh=f"{year} 年净利润尚未审批。", en=f"{year}'s net profit is not approved yet.")
    plan = published_pay_plan(department)
    engine_plan = engine_pay(plan).annual_bonus
    if engine_plan is None:
        raise JixiaoError(
            zh=f"{department.name}没有年度奖金方案。", en=f"{department.name} has no annual bonus plan."
        )
    result = calculation.compute(
        engine_plan, profit.amount_fen, year, _people(department, year), _header(plan, engine_plan, profit)
    )
    for old in AnnualBonusRun.objects.select_for_update().filter(
        department=department, year=year, status__in=RUN_CURRENT
    ):
        transition_apply(user=user, workflow=BONUS_RUN, obj=old, action="supersede")
    run = AnnualBonusRun.objects.create(
        year=year,
        department=department,
        net_profit=profit,
        plan=plan,
        plan_number=plan.number,
        plan_status=plan.status,
        mode=engine_plan.mode.value,
        tier=result.bonus.tier,
        total_fen=result.total_fen,
        stated_fen=result.bonus.department_stated,
        computed_by=_author(user),
        notes=result.notes,
    )
    AnnualBonusLine.objects.bulk_create(_lines(run, result))
    audit_record(
        actor=user, action="bonus_run.compute", obj=run, after={**snapshot(run), "lines": len(result.lines)}
    )
    return run


def _header(plan: Plan, engine_plan: AnnualBonusPlan, profit: NetProfit) -> list[dict[str, str]]:
    year = profit.year
    # Stored with the run in both languages, so the labels are written out here, never the codes.
    status, mode = label_text(plan.status, "plan_status"), label_text(engine_plan.mode.value, "bonus_mode")
    return [
        {
            "zh": f"方案：{plan.name} 第 {plan.number} 版（{status.zh}），{mode.zh}",
            "en": f"plan: {plan.name} v{plan.number} ({status.en or status.zh}), {mode.en or mode.zh}",
        },
        {
            "zh": f"净利润：{year} 年 {fen_to_yuan(profit.amount_fen):,} 元（已审批）",
            "en": f"net profit: {year}, {fen_to_yuan(profit.amount_fen):,} yuan (approved)",
        },
    ]


def _lines(run: AnnualBonusRun, result: calculation.Computed) -> list[AnnualBonusLine]:
    return [
        AnnualBonusLine(
            run=run,
            employee_id=line.employee_id,
            role=line.role,
            rate=line.rate,
            full_fen=line.full_fen,
            months_eligible=line.months,
            proration=line.proration,
            amount_fen=line.amount_fen,
            inputs=line.inputs,
            engine_version=line.engine_version,
        )
        for line in result.lines
    ]


def _author(user: ActingUser) -> Any:
    """The user to record as the author; ``None`` for the system actor (commands)."""
    return user if getattr(user, "pk", None) else None


def _released(run: AnnualBonusRun, *, user: ActingUser) -> None:
    run.released_by = _author(user)
    run.released_at = timezone.now()


def annual_bonus_run_release(*, user: ActingUser, run: AnnualBonusRun) -> AnnualBonusRun:
    """Release a computed run: its people see their lines; it is never edited again."""
    change = partial(_released, user=user)
    return transition_apply(user=user, workflow=BONUS_RUN, obj=run, action="release", change=change)


EXPORT_HEADER = [
    "工号",
    "姓名",
    "岗位",
    "年度奖金角色",
    "比率",
    "全年奖金（元）",
    "在职月数",
    "应发奖金（元）",
]


@transaction.atomic
def pay_export(*, user: ActingUser, run: AnnualBonusRun, reason: str) -> io.BytesIO:
    """An Excel file of ``run``'s lines plus a total row; needs a reason, and is audited."""
    require(user, "pay.export")
    reason = export_reason_clean(reason)  # the one rule for a stated export reason (SPEC §8)
    lines = list(run.lines.select_related("employee__position"))
    rows: list[list[Any]] = [
        [
            ln.employee.number,
            ln.employee.name,
            ln.employee.position.title if ln.employee.position else "",
            ln.role,
            ln.rate,
            fen_to_yuan(ln.full_fen),
            ln.months_eligible,
            fen_to_yuan(ln.amount_fen),
        ]
        for ln in lines
    ]
    rows.append(["合计", "", "", "", "", "", "", fen_to_yuan(sum(ln.amount_fen for ln in lines))])
    audit_record(actor=user, action="pay.export", obj=run, after={"lines": len(lines)}, reason=reason)
    return write_xlsx({f"{run.year}年度奖金": (EXPORT_HEADER, rows)})
