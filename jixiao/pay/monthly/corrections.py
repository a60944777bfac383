"""Pay corrections that follow a recheck (复核, §6): a result's coefficient changed after its
month's pay was released, so the difference is paid (or taken back) in a later month.

The released line is never edited. Its stored inputs (``MonthlyPayLine.inputs``) are run again
through the pay engine (``engine.pay.monthly_line``) with the coefficient before and after the
recheck — every other input (structure, completion, formula, travel, sanctions, adjustments) as
the line stored it — and the difference of the two totals, in fen, becomes a
:class:`PayAdjustment` on the released run, paid in the first month after it that is not yet
released. Successive rechecks of one result telescope: each pays ``after − before`` of its own.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.db import transaction

from jixiao.access.actor import ActingUser
from jixiao.common.errors import JixiaoError
from jixiao.common.validators import parse_decimal, parse_text
from jixiao.engine.pay import MonthlyInputs, monthly_line
from jixiao.engine.text import Text
from jixiao.pay.bounds import money_checked
from jixiao.workflow.services import audited_create

from .models import RUN_RELEASED, MonthlyPayLine, MonthlyPayRun, PayAdjustment
from .months import month_check, month_released, who

COEFFICIENT = Text("考核系数", "Coefficient")
MONTHS_AHEAD = 120  # a month without released pay is found long before this
REASON_LENGTH = 4000  # the case's words (up to 2,000 characters) and the sentence naming the case


def next_month(month: str) -> str:
    year, mon = (int(x) for x in month_check(month).split("-"))
    return f"{year + mon // 12}-{mon % 12 + 1:02d}"


def first_open_month(after: str) -> str:
    """The first month after ``after`` whose pay is not released (where a correction is paid)."""
    month = next_month(after)
    for _ in range(MONTHS_AHEAD):
        if not month_released(month):
            return month
        month = next_month(month)
    raise JixiaoError(zh="找不到可计入调整的月份。", en="No month is open to pay the adjustment in.")


def line_total(line: MonthlyPayLine, *, coefficient: Decimal, bonus_void: bool | None = None) -> int:
    """``line``'s total in fen recomputed by the pay engine with ``coefficient`` (and, when
    given, ``bonus_void``), every other input as the line stored it."""
    if "month" not in line.inputs:
        raise JixiaoError(
            zh=f"{line.run.month} 的薪酬明细未保存计算依据，不能自动重算，请手工录入更正调整。",
            en=f"The {line.run.month} pay line keeps no inputs to recompute from; record the adjustment by hand.",
            code="no_inputs",
            status=409,
        )
    inputs = MonthlyInputs.from_json(line.inputs)
    changes: dict[str, object] = {"coefficient": coefficient}
    if bonus_void is not None:
        changes["bonus_void"] = bonus_void
    figures, _trace = monthly_line(dataclasses.replace(inputs, **changes))  # type: ignore[arg-type]
    return figures.total


def _coefficient(text: str) -> Decimal:
    return parse_decimal(text, field=COEFFICIENT, minimum=0, maximum=100, places=6)


def pay_adjustment_for_recheck(
    *,
    user: ActingUser,
    employee_id: int,
    month: str,
    coefficient_before: str,
    coefficient_after: str,
    reason: Text,
    source: str,
    bonus_void_before: bool | None = None,
    bonus_void_after: bool | None = None,
) -> PayAdjustment | None:
    """Record what a recheck changes in ``month``'s released pay of ``employee_id``: the line
    recomputed with ``coefficient_after`` minus the line recomputed with ``coefficient_before``
    (both through the pay engine, in fen), paid in the first month after ``month`` without
    released pay, with ``reason`` and ``source`` (``appeal:12``), audited (``pay.adjust``).

    ``bonus_void_before/after`` (a veto the recheck added or lifted) default to the line's own.
    None when ``month``'s pay is not released, the person has no line in it, or nothing
    changes. Checks no access: the caller (the leader's decision on the appeal) does."""
    month = month_check(month)
    before, after = _coefficient(coefficient_before), _coefficient(coefficient_after)
    source = parse_text(source, field=Text("来源", "Source"), max_length=64, required=True)
    with transaction.atomic():
        run = MonthlyPayRun.objects.select_for_update().filter(month=month, status__in=RUN_RELEASED).first()
        if run is None:
            return None
        line = run.lines.select_related("run").filter(employee_id=employee_id).first()
        if line is None:
            return None
        amount = line_total(line, coefficient=after, bonus_void=bonus_void_after) - line_total(
            line, coefficient=before, bonus_void=bonus_void_before
        )
        if amount == 0:
            return None
        amount = money_checked(amount, Text("调整金额", "The adjustment"))
        row = PayAdjustment(
            employee_id=employee_id,
            corrects=run,
            month=first_open_month(month),
            amount_fen=amount,
            reason=parse_text(
                reason.zh, field=Text("原因", "Reason"), max_length=REASON_LENGTH, required=True
            ),
            source=source,
            recorded_by=who(user),
        )
        return audited_create(user=user, obj=row, action="pay.adjust", reason=row.reason)
