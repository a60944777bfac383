"""Travel days import (出差天数导入): Excel or CSV (UTF-8, GB18030 or GBK), ``工号 | 姓名 | 出差天数``,
one person per row, for one month.

As for KPI actuals (``cycles/entry/imports.py``): the rows stream from the capped child, the
header is checked by name (unknown, repeated and missing columns refused), every row is checked
first and each problem names its row, column and reason; nothing is written unless the whole file is valid or the user
chose to import the valid rows; the rows are written in one transaction with one audit event.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, Problem
from jixiao.common.excel import write_xlsx
from jixiao.common.spreadsheet import Column, cell_text, header_check
from jixiao.engine.money import plain
from jixiao.org.models import Employee

from .models import TravelDays
from .months import month_check, parse_days, refuse_if_released, who

COLUMNS = (
    Column("number", "工号", "number"),
    Column("name", "姓名", "name", required=False),
    Column("days", "出差天数", "days"),
)
HEADER = [f"{c.zh} {c.en}" for c in COLUMNS]
SHEET = "出差天数"


@dataclass
class ImportReport:
    written: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)


def travel_template(*, user: ActingUser, month: str) -> io.BytesIO:
    """A workbook listing every active employee with the days already entered for ``month``."""
    require(user, "travel.manage")
    entered = dict(TravelDays.objects.filter(month=month).values_list("employee_id", "days"))
    rows: list[list[Any]] = [
        [e.number, e.name, entered.get(e.pk)]
        for e in Employee.objects.exclude(status=Employee.Status.LEFT).order_by("number")
    ]
    return write_xlsx({SHEET: (HEADER, rows)}, {SHEET: [14, 12, 14]})


def travel_import(
    *, user: ActingUser, month: str, rows: Iterable[list[Any]], valid_rows_only: bool = False
) -> ImportReport:
    """Check every row, then write all of them (or, when asked, only the valid ones)."""
    require(user, "travel.manage")
    month = month_check(month)
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        raise JixiaoError(zh="文件是空的。", en="The file is empty.")
    columns = header_check(list(header), COLUMNS)
    employees = dict(Employee.objects.values_list("number", "pk"))
    report = ImportReport()
    good: dict[int, str] = {}
    seen: dict[int, int] = {}
    for line, row in enumerate(iterator, start=2):
        cells = [row[i] if i < len(row) else None for i in range(max(columns.values()) + 1)]
        number, value = cell_text(cells[columns["number"]]), cell_text(cells[columns["days"]])
        if not value:
            continue  # a blank row, or a template row left blank: nothing to say about that person
        problem = _check(number, value, employees, seen, line)
        if problem is not None:
            report.problems.append(problem)
            continue
        good[employees[number]] = plain(parse_days(value))
        seen[employees[number]] = line
    if report.problems and not valid_rows_only:
        raise JixiaoError(
            zh=f"文件中有 {len(report.problems)} 处错误，未导入任何数据。",
            en=f"The file has {len(report.problems)} errors; nothing was imported.",
            code="import_invalid",
            problems=report.problems,
        )
    report.skipped = len(report.problems)
    with transaction.atomic():
        refuse_if_released(month, "出差天数", "travel days")
        report.written = _write(user, month, good)
        audit_record(
            actor=user,
            action="travel.import",
            object_type="pay.traveldays",
            object_id=month,
            after={"month": month, "written": report.written, "skipped": report.skipped},
        )
    return report


def _check(
    number: str, value: str, employees: dict[str, int], seen: dict[int, int], line: int
) -> Problem | None:
    if number not in employees:
        return Problem(zh=f"没有工号“{number}”", en=f"no employee {number!r}", row=line, column="工号")
    try:
        parse_days(value)
    except ValueError:
        return Problem(
            zh=f"“{value}”不是 0 到 31 之间的天数（可以是半天）",
            en=f"{value!r} is not a number of days from 0 to 31 (half days allowed)",
            row=line,
            column="出差天数",
        )
    if employees[number] in seen:
        return Problem(
            zh=f"与第 {seen[employees[number]]} 行重复",
            en=f"the same employee as row {seen[employees[number]]}",
            row=line,
            column="工号",
        )
    return None


def _write(user: ActingUser, month: str, good: dict[int, str]) -> int:
    """Upsert the month's rows in bulk; a replaced row keeps counting its version up."""
    existing = {
        e: v
        for e, v in TravelDays.objects.filter(month=month, employee_id__in=good).values_list(
            "employee_id", "version"
        )
    }
    TravelDays.objects.filter(month=month, employee_id__in=existing).delete()
    TravelDays.objects.bulk_create(
        TravelDays(
            employee_id=e,
            month=month,
            days=days,
            source=TravelDays.Source.IMPORT,
            entered_by=who(user),
            version=existing.get(e, 0) + 1,
        )
        for e, days in good.items()
    )
    return len(good)
