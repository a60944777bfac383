"""Pay writes (§4): each service checks access and state, changes rows in one transaction and
appends its audit event. Approved profit and released bonus runs are never edited."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.policy import require
from jixiao.audit.services import audit_record, snapshot
from jixiao.common.errors import JixiaoError
from jixiao.common.excel import write_xlsx
from jixiao.engine.money import fen_to_yuan
from jixiao.org.models import Department, Employee, Position
from jixiao.plans.adapters import engine_pay
from jixiao.plans.models import Plan

from . import calculation
from .models import AnnualBonusLine, AnnualBonusRun, NetProfit, PayStructure

STRUCTURE_FIELDS = ("base_salary", "monthly_bonus_base", "travel_per_day", "annual_bonus_role")


@transaction.atomic
def pay_structure_set(
    *, user: Any, position: Position, effective_from: dt.date, **amounts: Any
) -> PayStructure:
    """Set ``position``'s pay from ``effective_from``: the row of that date is updated, or a
    new row starts there and closes the one before it (the day before)."""
    require(user, "pay_structure.manage")
    if any(int(amounts[f]) < 0 for f in STRUCTURE_FIELDS[:3]):
        raise JixiaoError(zh="金额不能为负数。", en="Amounts cannot be negative.")
    rows = PayStructure.objects.select_for_update().filter(position=position)
    row = rows.filter(effective_from=effective_from).first()
    before = snapshot(row) if row else None
    if row is None:
        later = rows.filter(effective_from__gt=effective_from).order_by("effective_from").first()
        row = PayStructure(position=position, effective_from=effective_from)
        row.effective_to = later.effective_from - dt.timedelta(days=1) if later else None
        previous = rows.filter(effective_from__lt=effective_from).order_by("-effective_from").first()
        if previous and (previous.effective_to is None or previous.effective_to >= effective_from):
            closed = snapshot(previous)
            previous.effective_to = effective_from - dt.timedelta(days=1)
            previous.save()
            audit_record(
                actor=user,
                action="pay_structure.close",
                obj=previous,
                before=closed,
                after=snapshot(previous),
            )
    for name in STRUCTURE_FIELDS:
        setattr(row, name, amounts[name])
    row.save()
    audit_record(actor=user, action="pay_structure.set", obj=row, before=before, after=snapshot(row))
    return row


@transaction.atomic
def net_profit_enter(*, user: Any, year: int, amount_fen: int, reason: str = "") -> NetProfit:
    """Enter (or change the draft of) ``year``'s net profit. After approval a new entry is a
    correction: it needs a reason and supersedes the approved figure once itself approved."""
    require(user, "profit.enter")
    rows = NetProfit.objects.select_for_update().filter(year=year)
    if rows.filter(status=NetProfit.Status.SUBMITTED).exists():
        raise JixiaoError(
            zh=f"{year} 年净利润正在审批中。", en=f"{year}'s net profit is awaiting approval.", status=409
        )
    approved = rows.filter(status=NetProfit.Status.APPROVED).first()
    if approved and not reason.strip():
        raise JixiaoError(
            zh=f"{year} 年净利润已审批，更正必须说明原因。",
            en=f"{year}'s net profit is approved: a correction needs its reason.",
        )
    row = rows.filter(status=NetProfit.Status.DRAFT).first()
    before = snapshot(row) if row else None
    if row is None:
        row = NetProfit(year=year, entered_by=user, supersedes=approved)
    row.amount_fen, row.reason, row.entered_by = amount_fen, reason.strip(), user
    row.save()
    audit_record(
        actor=user, action="profit.enter", obj=row, before=before, after=snapshot(row), reason=reason
    )
    return row


@transaction.atomic
def net_profit_transition(*, user: Any, profit: NetProfit, action: str, reason: str = "") -> NetProfit:
    """``submit`` (finance), ``approve`` or ``return`` (the committee leader) a net profit."""
    moves = {
        "submit": (NetProfit.Status.DRAFT, NetProfit.Status.SUBMITTED),
        "approve": (NetProfit.Status.SUBMITTED, NetProfit.Status.APPROVED),
        "return": (NetProfit.Status.SUBMITTED, NetProfit.Status.DRAFT),
    }
    if action not in moves:
        raise JixiaoError(zh="未知操作。", en=f"Unknown action {action!r}.")
    profit = NetProfit.objects.select_for_update().get(pk=profit.pk)
    require(user, f"profit.{action}", profit)
    source, target = moves[action]
    if profit.status != source:
        raise JixiaoError(zh="当前状态不能进行此操作。", en="Not possible in the current state.", status=409)
    before = snapshot(profit)
    if action == "approve":
        old = NetProfit.objects.filter(year=profit.year, status=NetProfit.Status.APPROVED).first()
        if old is not None:
            old.status = NetProfit.Status.SUPERSEDED
            old.save()
            audit_record(
                actor=user, action="profit.supersede", obj=old, after={"by": profit.pk}, reason=profit.reason
            )
        profit.approved_by, profit.approved_at = user, timezone.now()
    profit.status = target
    profit.save()
    audit_record(
        actor=user,
        action=f"profit.{action}",
        obj=profit,
        before=before,
        after=snapshot(profit),
        reason=reason,
    )
    return profit


def _people(department: Department, year: int) -> list[calculation.Person]:
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
        calculation.Person(e.pk, e.name, roles[e.position_id], e.hire_date, e.status == Employee.Status.LEFT)
        for e in employees
        if e.position_id is not None and roles[e.position_id]
    ]


def pay_plan_for(department: Department) -> Plan | None:
    """The department's pay plan: the newest published one, else the newest of any state."""
    plans = Plan.objects.filter(department=department, kind=Plan.Kind.PAY).order_by("-number", "-pk")
    return plans.filter(status="published").first() or plans.first()


@transaction.atomic
def annual_bonus_run_compute(*, user: Any, department: Department, year: int) -> AnnualBonusRun:
    """Compute ``department``'s annual bonus for ``year`` from the approved net profit and the
    department's pay plan; an earlier run for the same year is marked superseded."""
    require(user, "bonus_run.compute")
    profit = NetProfit.objects.filter(year=year, status=NetProfit.Status.APPROVED).first()
    if profit is None:
        raise JixiaoError(zh=f"{year} 年净利润尚未审批。", en=f"{year}'s net profit is not approved yet.")
    plan = pay_plan_for(department)
    engine_plan = engine_pay(plan).annual_bonus if plan else None
    if plan is None or engine_plan is None:
        raise JixiaoError(
            zh=f"{department.name}没有年度奖金方案。", en=f"{department.name} has no annual bonus plan."
        )
    header = [
        {
            "zh": f"方案：{plan.name} 第 {plan.number} 版（{plan.get_status_display()}），模式 {engine_plan.mode.value}",
            "en": f"plan: {plan.name} v{plan.number} ({plan.status}), mode {engine_plan.mode.value}",
        },
        {
            "zh": f"净利润：{year} 年 {fen_to_yuan(profit.amount_fen):,} 元（已审批）",
            "en": f"net profit: {year}, {fen_to_yuan(profit.amount_fen):,} yuan (approved)",
        },
    ]
    result = calculation.compute(engine_plan, profit.amount_fen, year, _people(department, year), header)
    for old in (
        AnnualBonusRun.objects.select_for_update()
        .filter(department=department, year=year)
        .exclude(status=AnnualBonusRun.Status.SUPERSEDED)
    ):
        old.status = AnnualBonusRun.Status.SUPERSEDED
        old.save()
        audit_record(actor=user, action="bonus_run.supersede", obj=old, after={"status": old.status})
    run = AnnualBonusRun.objects.create(
        year=year, department=department, net_profit=profit, plan=plan, plan_number=plan.number,
        plan_status=plan.status, mode=engine_plan.mode.value, tier=result.bonus.tier, total_fen=result.total_fen,
        stated_fen=result.bonus.department_stated, computed_by=user, notes=result.notes,
    )  # fmt: skip
    AnnualBonusLine.objects.bulk_create(
        AnnualBonusLine(
            run=run,
            employee_id=line.employee_id,
            role=line.role,
            rate=line.rate,
            full_fen=line.full_fen,
            months_eligible=line.months,
            proration=line.proration,
            amount_fen=line.amount_fen,
            trace=line.trace,
        )
        for line in result.lines
    )
    audit_record(
        actor=user, action="bonus_run.compute", obj=run, after={**snapshot(run), "lines": len(result.lines)}
    )
    return run


@transaction.atomic
def annual_bonus_run_release(*, user: Any, run: AnnualBonusRun) -> AnnualBonusRun:
    """Release a computed run: its people see their lines; it is never edited again."""
    run = AnnualBonusRun.objects.select_for_update().get(pk=run.pk)
    require(user, "bonus_run.release", run)
    if run.status != AnnualBonusRun.Status.COMPUTED:
        raise JixiaoError(
            zh="只有已计算的奖金可以发布。", en="Only a computed run can be released.", status=409
        )
    run.status, run.released_by, run.released_at = AnnualBonusRun.Status.RELEASED, user, timezone.now()
    run.save()
    audit_record(actor=user, action="bonus_run.release", obj=run, after={"status": run.status})
    return run


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
def pay_export(*, user: Any, run: AnnualBonusRun, reason: str) -> io.BytesIO:
    """An Excel file of ``run``'s lines plus a total row; needs a reason, and is audited."""
    require(user, "pay.export")
    if len(reason.strip()) < 4:
        raise JixiaoError(zh="导出薪酬数据必须说明原因。", en="Exporting pay needs a stated reason.")
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
    audit_record(actor=user, action="pay.export", obj=run, after={"lines": len(lines)}, reason=reason.strip())
    return write_xlsx({f"{run.year}年度奖金": (EXPORT_HEADER, rows)})
