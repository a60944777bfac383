"""Pay structure and net profit writes (§4): each service checks access and state and writes
through the workflow primitives (one transaction, audited). Approved profit is never edited:
a correction is a new figure that supersedes it once approved."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text
from jixiao.org.models import Department, Position
from jixiao.pay.bounds import money_checked, profit_checked
from jixiao.plans.models import Plan, Status
from jixiao.plans.workflow import PLAN_WORKFLOW
from jixiao.workflow.services import audited_create, audited_write, transition_apply

from .models import NetProfit, PayStructure
from .workflow import PROFIT

STRUCTURE_FIELDS = ("base_salary", "monthly_bonus_base", "travel_per_day", "annual_bonus_role")
STRUCTURE_LABELS = (
    Text("基本工资", "Base salary"),
    Text("月度奖金基数", "Monthly bonus base"),
    Text("出差补贴每天", "Travel allowance per day"),
)


def _set(obj: Any, **values: Any) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


def _close_previous(user: ActingUser, position: Position, effective_from: dt.date) -> None:
    """Close the structure in force before ``effective_from`` the day before it."""
    rows = PayStructure.objects.filter(position=position, effective_from__lt=effective_from)
    previous = rows.order_by("-effective_from").first()
    if previous and (previous.effective_to is None or previous.effective_to >= effective_from):
        end = effective_from - dt.timedelta(days=1)
        audited_write(
            user=user, obj=previous, action="pay_structure.close", change=partial(_set, effective_to=end)
        )


@transaction.atomic
def pay_structure_set(
    *, user: ActingUser, position: Position, effective_from: dt.date, **amounts: Any
) -> PayStructure:
    """Set ``position``'s pay from ``effective_from``: the row of that date is updated, or a
    new row starts there and closes the one before it (the day before)."""
    require(user, "pay_structure.manage")
    for name, label in zip(STRUCTURE_FIELDS[:3], STRUCTURE_LABELS, strict=True):
        amounts[name] = money_checked(amounts[name], label)
    if any(int(amounts[f]) < 0 for f in STRUCTURE_FIELDS[:3]):
        raise JixiaoError(zh="金额不能为负数。", en="Amounts cannot be negative.")
    rows = PayStructure.objects.select_for_update().filter(position=position)
    values = {name: amounts[name] for name in STRUCTURE_FIELDS}
    row = rows.filter(effective_from=effective_from).first()
    if row is not None:
        return audited_write(user=user, obj=row, action="pay_structure.set", change=partial(_set, **values))
    later = rows.filter(effective_from__gt=effective_from).order_by("effective_from").first()
    row = PayStructure(position=position, effective_from=effective_from, **values)
    row.effective_to = later.effective_from - dt.timedelta(days=1) if later else None
    _close_previous(user, position, effective_from)
    return audited_create(user=user, obj=row, action="pay_structure.set")


@transaction.atomic
def net_profit_enter(*, user: ActingUser, year: int, amount_fen: int, reason: str = "") -> NetProfit:
    """Enter (or change the draft of) ``year``'s net profit. After approval a new entry is a
    correction: it needs a reason and supersedes the approved figure once itself approved."""
    require(user, "profit.enter")
    amount_fen = profit_checked(amount_fen, Text(f"{year} 年净利润", f"{year}'s net profit"))
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
    values = {"amount_fen": amount_fen, "reason": reason.strip(), "entered_by": user}
    row = rows.filter(status=NetProfit.Status.DRAFT).first()
    if row is not None:
        change = partial(_set, **values)
        return audited_write(user=user, obj=row, action="profit.enter", change=change, reason=reason)
    row = NetProfit(year=year, supersedes=approved, **values)
    return audited_create(user=user, obj=row, action="profit.enter", reason=reason)


@transaction.atomic
def net_profit_transition(*, user: ActingUser, profit: NetProfit, action: str, reason: str = "") -> NetProfit:
    """``submit`` (finance), ``approve`` or ``return`` (the committee leader) a net profit.
    Approving a correction first marks the approved figure of its year superseded."""
    if action == "approve" and PROFIT.state_of(profit) == NetProfit.Status.SUBMITTED:
        old = NetProfit.objects.filter(year=profit.year, status=NetProfit.Status.APPROVED).first()
        if old is not None:
            transition_apply(
                user=user,
                workflow=PROFIT,
                obj=old,
                action="supersede",
                reason=profit.reason,
                extra={"by": profit.pk},
            )
    change = partial(_set, approved_by=user, approved_at=timezone.now()) if action == "approve" else None
    return transition_apply(
        user=user, workflow=PROFIT, obj=profit, action=action, reason=reason, change=change
    )


def pay_plan_for(department: Department) -> Plan | None:
    """The department's pay plan in force: the newest published one (pay is computed only from
    published plans, decision 33), or ``None``."""
    plans = Plan.objects.filter(department=department, kind=Plan.Kind.PAY, status=Status.PUBLISHED)
    return plans.order_by("-number", "-pk").first()


def published_pay_plan(department: Department) -> Plan:
    """The department's published pay plan; refused, naming the newest plan and its state, when
    there is none (a returned or draft plan never pays anyone)."""
    plan = pay_plan_for(department)
    if plan is not None:
        return plan
    newest = Plan.objects.filter(department=department, kind=Plan.Kind.PAY).order_by("-number", "-pk").first()
    if newest is None:
        raise JixiaoError(
            zh=f"{department.name}没有薪酬方案。请先提交薪酬方案并走完评审发布。",
            en=f"{department.name} has no pay plan. Submit one and take it through review to publication.",
        )
    state = PLAN_WORKFLOW.state_label(newest.status)
    raise JixiaoError(
        zh=f"{department.name}的薪酬方案“{newest.name}”第 {newest.number} 版处于“{state.zh}”状态，尚未发布；"
        "薪酬和奖金只按已发布的方案计算。请修改后重新提交，评审发布后再计算。",
        en=f"{department.name}'s pay plan “{newest.name}” v{newest.number} is {state.render('en').lower()}, "
        "not published; pay and bonuses are computed only from a published plan. Correct and resubmit "
        "it, and compute once it is published.",
        code="plan_not_published",
        status=409,
    )
