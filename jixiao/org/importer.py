"""Organisation import from one Excel workbook (sheets 部门, 岗位, 员工; each optional).

All or nothing: every row is validated by the same services the web forms use, inside one
transaction; if any row is wrong, every problem is reported (sheet, row, column, reason in
Chinese and English) and the transaction is rolled back, so nothing is written.
Rows update the record with the same code / number, or create it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError, Problem
from jixiao.common.excel import write_xlsx
from jixiao.common.spreadsheet import Column, read_sheets, records, uploaded_path

from . import services
from .import_cells import RowChecks
from .models import Department, Employee, Position

DEPARTMENT_COLUMNS = ["部门编码*", "部门名称*", "上级部门编码", "负责人工号", "排序"]
POSITION_COLUMNS = [
    "岗位编码*",
    "岗位名称*",
    "部门编码*",
    "编制*",
    "职级",
    "干部岗位（是/否）",
    "目的",
    "岗位职责（每行一条）",
]
EMPLOYEE_COLUMNS = [
    "工号*",
    "姓名*",
    "部门编码*",
    "岗位编码",
    "直接上级工号",
    "状态（在职/试用/休假/离职）",
    "工作电话",
    "工作邮箱",
    "入职日期",
    "性别（男/女）",
    "出生日期",
    "身份证号",
    "个人手机",
    "家庭住址",
]
SHEETS = {"部门": DEPARTMENT_COLUMNS, "岗位": POSITION_COLUMNS, "员工": EMPLOYEE_COLUMNS}
STATUS_BY_LABEL = {str(label): value for value, label in Employee.Status.choices}
GENDER_BY_LABEL = {"男": "M", "女": "F"}


@dataclass
class ImportOutcome:
    """What an import did: counts per sheet, or the problems that stopped it."""

    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _columns(sheet: str) -> list[Column]:
    """A sheet's columns as the template heads them; ``*`` marks a column the sheet must have."""
    return [
        Column(title, title.removesuffix("*"), "", required=title.endswith("*")) for title in SHEETS[sheet]
    ]


class _Rollback(Exception):
    """Raised inside the transaction to undo every row once all problems are collected."""


def template_workbook() -> io.BytesIO:
    """The downloadable template: the three sheets with their headers and a sheet of instructions."""
    notes = [
        ["带 * 的列必填。每个工作表都可以留空或删除；只导入存在的工作表。"],
        ["按编码/工号匹配：已存在的记录会被更新，不存在的会新建。"],
        ["任何一行有错误时，整个文件都不会写入，并列出每个错误的行、列和原因。"],
        ["日期格式：2026-01-31。岗位职责在一个单元格内每行一条（Alt+Enter 换行）。"],
        ["Columns marked * are required. Any error leaves the whole file unwritten."],
    ]
    sheets: dict[str, tuple[list[str], list[list[Any]]]] = {"说明": (["导入说明 / Instructions"], notes)}
    sheets.update({name: (columns, []) for name, columns in SHEETS.items()})
    return write_xlsx(sheets, widths={"说明": [90]})


def org_import_upload(*, user: ActingUser, upload: UploadedFile[bytes]) -> ImportOutcome:
    """Store the upload in a temporary file and import it."""
    require(user, "org.import")
    with uploaded_path(upload, ".xlsx") as path:
        return org_import_file(user=user, path=path)


def org_import_file(*, user: ActingUser, path: Path) -> ImportOutcome:
    """Import the workbook at ``path``; see the module docstring for the rules."""
    require(user, "org.import")
    try:
        workbook = read_sheets(path)
    except JixiaoError as error:
        return ImportOutcome(problems=[Problem(zh=error.zh, en=error.en), *error.problems])
    try:
        present = {
            name: records(workbook[name], _columns(name), f"“{name}”") for name in SHEETS if name in workbook
        }
    except JixiaoError as error:
        return ImportOutcome(problems=error.problems)
    if not present:
        return ImportOutcome(
            problems=[
                Problem(zh="文件中没有“部门”“岗位”或“员工”工作表。", en="No sheet named 部门, 岗位 or 员工.")
            ]
        )
    outcome = ImportOutcome()
    try:
        with transaction.atomic():
            _Import(user, outcome).run(present)
            if outcome.problems:
                raise _Rollback
    except _Rollback:
        outcome.counts = {}
    return outcome


class _Import(RowChecks):
    """One import run: resolves references within the file and against the database."""

    def __init__(self, user: ActingUser, outcome: ImportOutcome) -> None:
        super().__init__(outcome.problems, outcome.counts)
        self.user = user
        self.heads: list[tuple[int, Department, str]] = []

    def run(self, sheets: dict[str, list[tuple[int, dict[str, Any]]]]) -> None:
        self._departments(sheets.get("部门", []))
        self._positions(sheets.get("岗位", []))
        self._employees(sheets.get("员工", []))
        self._assign_heads()

    # -- sheets ------------------------------------------------------------
    def _in_dependency_order(
        self,
        sheet: str,
        records: list[tuple[int, dict[str, Any]]],
        *,
        key: str,
        ref: str,
        lookup: Any,
        save: Any,
        loop_zh: str,
        loop_en: str,
    ) -> None:
        """Save rows whose reference (parent, manager) already exists first, then the rows that
        refer to them, so a file may list them in any order; a loop is reported, not saved."""
        in_file = {values.get(key, "") for _, values in records}
        pending = list(records)
        while pending:
            progressed, waiting = False, []
            for row, values in pending:
                ref_value = values.get(ref, "")
                target = lookup(ref_value) if ref_value else None
                if ref_value and target is None and ref_value in in_file:
                    waiting.append((row, values))
                    continue
                progressed = True
                save(row, values, ref_value, target)
            if not progressed:
                for row, _ in waiting:
                    self.problem(sheet, row, ref, loop_zh, loop_en)
                return
            pending = waiting

    def _departments(self, records: list[tuple[int, dict[str, Any]]]) -> None:
        self._in_dependency_order(
            "部门",
            records,
            key="部门编码*",
            ref="上级部门编码",
            lookup=lambda code: Department.objects.filter(code=code).first(),
            save=self._department,
            loop_zh="上级部门形成循环引用。",
            loop_en="Parent departments form a loop.",
        )

    def _department(
        self, row: int, values: dict[str, Any], parent_code: str, parent: Department | None
    ) -> None:
        code = self.required("部门", row, values, "部门编码*")
        name = self.required("部门", row, values, "部门名称*")
        if parent_code and parent is None:
            self.problem(
                "部门",
                row,
                "上级部门编码",
                f"找不到部门编码“{parent_code}”。",
                f"No department '{parent_code}'.",
            )
            return
        order = self.integer("部门", row, values, "排序", default=0)
        if not code or not name or order is None:
            return
        existing = Department.objects.filter(code=code).first()
        data = {"code": code, "name": name, "parent": parent, "sort_order": order}
        saved = self.save(
            "部门", row, lambda: services.department_save(user=self.user, data=data, department=existing)
        )
        if saved is not None:
            self.count("部门")
            if values.get("负责人工号"):
                self.heads.append((row, saved, values["负责人工号"]))

    def _positions(self, records: list[tuple[int, dict[str, Any]]]) -> None:
        for row, values in records:
            code = self.required("岗位", row, values, "岗位编码*")
            title = self.required("岗位", row, values, "岗位名称*")
            department = self.department_ref("岗位", row, values.get("部门编码*", ""), "部门编码*")
            quota = self.integer("岗位", row, values, "编制*", default=None)
            level = self.integer("岗位", row, values, "职级", default=1)
            cadre = self.yes_no("岗位", row, values, "干部岗位（是/否）")
            if not (code and title and department) or quota is None or level is None or cadre is None:
                continue
            data = {
                "code": code,
                "title": title,
                "department": department,
                "headcount_quota": quota,
                "level": level,
                "is_cadre": cadre,
                "purpose": values.get("目的", ""),
                "duties": [
                    line.strip()
                    for line in values.get("岗位职责（每行一条）", "").splitlines()
                    if line.strip()
                ],
            }
            existing = Position.objects.filter(code=code).first()
            if self.save(
                "岗位",
                row,
                lambda d=data, e=existing: services.position_save(user=self.user, data=d, position=e),
            ):
                self.count("岗位")

    def _employees(self, records: list[tuple[int, dict[str, Any]]]) -> None:
        self._in_dependency_order(
            "员工",
            records,
            key="工号*",
            ref="直接上级工号",
            lookup=lambda number: Employee.objects.filter(number=number).first(),
            save=self._employee,
            loop_zh="直接上级形成循环引用。",
            loop_en="Managers form a loop.",
        )

    def _employee(
        self, row: int, values: dict[str, Any], manager_number: str, manager: Employee | None
    ) -> None:
        sheet = "员工"
        number = self.required(sheet, row, values, "工号*")
        name = self.required(sheet, row, values, "姓名*")
        department = self.department_ref(sheet, row, values.get("部门编码*", ""), "部门编码*")
        position = None
        if values.get("岗位编码"):
            position = Position.objects.filter(code=values["岗位编码"]).first()
            if position is None:
                self.problem(
                    sheet,
                    row,
                    "岗位编码",
                    f"找不到岗位编码“{values['岗位编码']}”。",
                    f"No position '{values['岗位编码']}'.",
                )
        if manager_number and manager is None:
            self.problem(
                sheet,
                row,
                "直接上级工号",
                f"找不到工号“{manager_number}”。",
                f"No employee '{manager_number}'.",
            )
        status = self.choice(
            sheet, row, values, "状态（在职/试用/休假/离职）", STATUS_BY_LABEL, default="active"
        )
        gender = self.choice(sheet, row, values, "性别（男/女）", GENDER_BY_LABEL, default="")
        hire_date = self.date(sheet, row, values, "入职日期")
        birth_date = self.date(sheet, row, values, "出生日期")
        if not (number and name and department) or None in (status, gender, hire_date, birth_date):
            return
        if (values.get("岗位编码") and position is None) or (manager_number and manager is None):
            return
        data = {
            "number": number,
            "name": name,
            "department": department,
            "position": position,
            "manager": manager,
            "status": status,
            "gender": gender,
            "hire_date": hire_date or None,
            "birth_date": birth_date or None,
            "work_phone": values.get("工作电话", ""),
            "work_email": values.get("工作邮箱", ""),
            "id_number": values.get("身份证号", ""),
            "personal_phone": values.get("个人手机", ""),
            "home_address": values.get("家庭住址", ""),
        }
        existing = Employee.objects.filter(number=number).first()
        if self.save(
            sheet, row, lambda: services.employee_save(user=self.user, data=data, employee=existing)
        ):
            self.count(sheet)

    def _assign_heads(self) -> None:
        for row, department, number in self.heads:
            head = Employee.objects.filter(number=number).first()
            if head is None:
                self.problem("部门", row, "负责人工号", f"找不到工号“{number}”。", f"No employee '{number}'.")
                continue
            self.save(
                "部门",
                row,
                lambda d=department, h=head: services.department_save(
                    user=self.user, data={"head": h}, department=d
                ),
            )
