"""Months of pay: the ``YYYY-MM`` label, whether a month is released (then its inputs are
frozen), the locked cycle a month is paid from, travel days, and who to record as author."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.access.actor import ActingUser
from jixiao.common.errors import JixiaoError
from jixiao.cycles.lifecycle.models import Cycle, State

from .models import MonthlyPayRun

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


def refuse_if_released(month: str, what_zh: str, what_en: str) -> None:
    if month_released(month):
        raise JixiaoError(
            zh=f"{month} 的薪酬已发放，{what_zh}不能再修改；请在薪酬发放页录入更正调整并说明原因。",
            en=f"{month}'s pay is released: {what_en} can no longer change; record an adjustment with its reason.",
            code="immutable",
            status=409,
        )


def who(user: ActingUser) -> Any:
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
