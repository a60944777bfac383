"""Payroll export (工资表) of a monthly run to Excel: one row per person, one column per pay
item, a subtotal row per department and the company total. Every subtotal is the sum of its
lines and the total the sum of the subtotals, to the fen. Text is written as text (XlsxWriter
with ``strings_to_formulas=False`` and ``write_string``), so a name like ``=1+1`` stays text."""

from __future__ import annotations

import io
from typing import Any

from django.db import transaction

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.audit.exports import export_reason_clean
from jixiao.audit.services import audit_record
from jixiao.common.excel import write_xlsx
from jixiao.engine.money import fen_to_yuan

from .models import MonthlyPayLine, MonthlyPayRun
from .selectors import company_totals, group_lines

HEADER = [
    "部门", "工号", "姓名", "岗位", "完成率", "考核系数", "出差天数",
    "基本工资（元）", "月度奖金（元）", "出差补贴（元）", "奖励（元）", "处罚（元）", "调整（元）", "应发合计（元）",
]  # fmt: skip
WIDTHS = [12, 10, 10, 14, 8, 8, 8, 14, 14, 14, 12, 12, 12, 14]


def _amounts(values: dict[str, int]) -> list[Any]:
    """The money columns; a penalty is shown negative so that each row adds up across."""
    return [
        fen_to_yuan(values["base_salary_fen"]),
        fen_to_yuan(values["monthly_bonus_fen"]),
        fen_to_yuan(values["travel_fen"]),
        fen_to_yuan(values["reward_fen"]),
        fen_to_yuan(-values["penalty_fen"]),
        fen_to_yuan(values["adjustment_fen"]),
        fen_to_yuan(values["total_fen"]),
    ]


def payroll_rows(lines: list[MonthlyPayLine]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    blocks = group_lines(lines)
    for block in blocks:
        for ln in block.lines:
            values = {item: getattr(ln, item) for item in (*MonthlyPayLine.ITEMS, "total_fen")}
            rows.append(
                [
                    block.department.name,
                    ln.employee.number,
                    ln.employee.name,
                    ln.position.title,
                    ln.completion,
                    ln.coefficient,
                    ln.travel_days,
                    *_amounts(values),
                ]
            )
        rows.append(
            [
                f"{block.department.name} 小计",
                "",
                f"{len(block.lines)} 人",
                "",
                "",
                "",
                "",
                *_amounts(block.totals),
            ]
        )
    rows.append(["公司合计", "", f"{len(lines)} 人", "", "", "", "", *_amounts(company_totals(blocks))])
    return rows


@transaction.atomic
def monthly_pay_export(*, user: ActingUser, run: MonthlyPayRun, reason: str) -> io.BytesIO:
    """The payroll workbook of ``run``; needs a stated reason, and is audited as ``pay.export``."""
    require(user, "pay.export")
    reason = export_reason_clean(reason)  # the one rule for a stated export reason (SPEC §8)
    lines = list(
        run.lines.select_related("employee", "department", "position").order_by(
            "department__sort_order", "employee__number"
        )
    )
    audit_record(actor=user, action="pay.export", obj=run, after={"lines": len(lines)}, reason=reason)
    return write_xlsx({f"{run.month}工资表": (HEADER, payroll_rows(lines))}, {f"{run.month}工资表": WIDTHS})
