"""Attendance import (培训出勤导入): Excel or CSV (UTF-8, GB18030 or GBK), ``工号 | 姓名 | 出勤 | 备注``,
one person per row, for one held session.

The header is checked by name (unknown, repeated and missing columns refused); every row is
checked first and each problem names its row, column and reason (an unknown or departed employee,
a name that is not the number's, a cell that is not 是/否, a formula, a note too long, a person
given twice); nothing is written unless the whole file is valid. People who were not invited
become walk-in invitees. The rows are written in one transaction with one audit event.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError, Problem
from jixiao.common.excel import write_xlsx
from jixiao.common.spreadsheet import Column, Record, parse_yes_no, records
from jixiao.org.models import Employee

from .models import TrainingAttendance, TrainingSession
from .services import attendance_write

COLUMNS = (
    Column("number", "工号", "number"),
    Column("name", "姓名", "name", required=False),
    Column("present", "出勤", "present"),
    Column("note", "备注", "note", required=False),
)
HEADER = [f"{c.zh} {c.en}" for c in COLUMNS]
SHEET = "培训出勤"
NOTE_LENGTH = 200
MAX_PROBLEMS = 200
FORMULA_STARTS = ("=", "+", "@")  # what a spreadsheet would run as a formula (a leading "-" is text here)


@dataclass
class ImportReport:
    written: int = 0
    walk_ins: int = 0
    problems: list[Problem] = field(default_factory=list)


def attendance_template(*, user: ActingUser, session: TrainingSession) -> io.BytesIO:
    """A workbook listing the session's invitees with the attendance already recorded."""
    require(user, "training.manage")
    marks = {a.employee_id: a for a in session.attendances.all()}
    rows: list[list[Any]] = []
    for invitation in session.invitations.select_related("employee").order_by("employee__number"):
        mark = marks.get(invitation.employee_id)
        present = "" if mark is None else ("是" if mark.present else "否")
        rows.append(
            [invitation.employee.number, invitation.employee.name, present, mark.note if mark else ""]
        )
    return write_xlsx({SHEET: (HEADER, rows)}, {SHEET: [14, 12, 10, 30]})


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def _problem(zh: str, en: str, row: int, column: str) -> Problem:
    return Problem(zh=zh, en=en, row=row, column=column)


def _formula(cells: dict[str, str], row: int) -> Problem | None:
    for key, title in (("number", "工号"), ("name", "姓名"), ("present", "出勤"), ("note", "备注")):
        value = cells.get(key, "")
        if value.startswith(FORMULA_STARTS):
            return _problem(
                f"“{_short(value)}”是公式，请在 Excel 中粘贴为数值后再导出",
                f"{_short(value)!r} is a formula; paste it as a value in Excel and export again",
                row, title,
            )  # fmt: skip
    return None


def _person(cells: dict[str, str], row: int, people: dict[str, tuple[int, str, str]]) -> int | Problem:
    number = cells["number"]
    found = people.get(number)
    if found is None:
        return _problem(f"没有工号“{_short(number)}”", f"no employee {_short(number)!r}", row, "工号")
    pk, name, status = found
    if status == Employee.Status.LEFT:
        return _problem(f"{number} {name} 已离职", f"{number} has left the company", row, "工号")
    given = cells.get("name", "")
    if given and given != name:
        return _problem(
            f"姓名“{_short(given)}”与工号 {number} 的姓名“{name}”不符",
            f"the name {_short(given)!r} is not that of {number} ({name})",
            row, "姓名",
        )  # fmt: skip
    return pk


def _row(
    cells: dict[str, str], row: int, people: dict[str, tuple[int, str, str]]
) -> tuple[int, bool, str] | Problem:
    """(employee, present, note) of one row, or the first problem with it."""
    problem = _formula(cells, row)
    if problem is not None:
        return problem
    person = _person(cells, row, people)
    if isinstance(person, Problem):
        return person
    present = parse_yes_no(cells["present"]) if cells["present"] else None
    if present is None:
        return _problem(
            f"“{_short(cells['present'])}”应为“是”或“否”", f"{_short(cells['present'])!r} should be 是 (yes) or 否 (no)",
            row, "出勤",
        )  # fmt: skip
    note = cells.get("note", "")
    if len(note) > NOTE_LENGTH:
        return _problem(
            f"备注最多 {NOTE_LENGTH} 个字（现在 {len(note)} 个）",
            f"a note has at most {NOTE_LENGTH} characters (now {len(note)})",
            row, "备注",
        )  # fmt: skip
    return person, present, note


def _marks(found: list[Record]) -> tuple[dict[int, tuple[bool, str]], list[Problem]]:
    numbers = {cells["number"] for _row_number, cells in found if len(cells["number"]) <= 32}
    people = {
        number: (pk, name, status)
        for pk, number, name, status in Employee.objects.filter(number__in=numbers).values_list(
            "pk", "number", "name", "status"
        )
    }
    marks: dict[int, tuple[bool, str]] = {}
    seen: dict[int, int] = {}
    problems: list[Problem] = []
    for row, cells in found:
        checked = _row(cells, row, people)
        if isinstance(checked, Problem):
            problems.append(checked)
            continue
        pk, present, note = checked
        if pk in seen:
            problems.append(
                _problem(f"与第 {seen[pk]} 行是同一人", f"the same person as row {seen[pk]}", row, "工号")
            )
            continue
        seen[pk] = row
        marks[pk] = (present, note)
    return marks, problems


def training_attendance_import(
    *, user: ActingUser, session: TrainingSession, rows: Sequence[Sequence[Any]]
) -> ImportReport:
    """Check every row of ``rows`` (header first), then write all of them, or nothing."""
    require(user, "training.manage")
    if not rows:
        raise JixiaoError(zh="文件是空的。", en="The file is empty.", code="empty")
    found = records(rows, COLUMNS)
    marks, problems = _marks(found)
    if problems:
        raise JixiaoError(
            zh=f"文件中有 {len(problems)} 处错误，未导入任何出勤记录。",
            en=f"The file has {len(problems)} errors; no attendance was imported.",
            code="import_invalid",
            problems=problems[:MAX_PROBLEMS],
        )
    if not marks:
        raise JixiaoError(zh="文件中没有出勤记录。", en="The file has no attendance rows.", code="empty")
    done = attendance_write(
        user=user, session=session, marks=marks, source=TrainingAttendance.Source.IMPORT,
        action="training.attendance_import",
    )  # fmt: skip
    return ImportReport(written=len(marks), walk_ins=done["walk_ins"])
