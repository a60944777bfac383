"""Pay structure and net profit writes (§4): each service checks access and state, changes
rows in one transaction and appends its audit event. Approved profit is never edited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.policy import require
from jixiao.audit.services import audit_record, snapshot
from jixiao.common.errors import JixiaoError
from jixiao.org.models import Department, Position
from jixiao.plans.models import Plan

from .models import NetProfit, PayStructure

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


def pay_plan_for(department: Department) -> Plan | None:
    """The department's pay plan: the newest published one, else the newest of any state."""
    plans = Plan.objects.filter(department=department, kind=Plan.Kind.PAY).order_by("-number", "-pk")
    return plans.filter(status="published").first() or plans.first()
