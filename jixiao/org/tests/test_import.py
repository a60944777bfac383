"""Organisation import from Excel: all or nothing, every bad row named with its reason."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from jixiao.audit.models import AuditEvent
from jixiao.common.excel import write_xlsx
from jixiao.org.importer import DEPARTMENT_COLUMNS, EMPLOYEE_COLUMNS, POSITION_COLUMNS, org_import_file
from jixiao.org.models import Department, Employee, Position

pytestmark = pytest.mark.django_db


def _workbook(
    tmp_path: Path, departments: list[list[Any]], positions: list[list[Any]], employees: list[list[Any]]
) -> Path:
    buffer = write_xlsx(
        {
            "部门": (DEPARTMENT_COLUMNS, departments),
            "岗位": (POSITION_COLUMNS, positions),
            "员工": (EMPLOYEE_COLUMNS, employees),
        }
    )
    path = tmp_path / "org.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


GOOD_DEPARTMENTS = [["QA", "质量部", "", "Q002", 9], ["QA-LAB", "检测室", "QA", "", 10]]
GOOD_POSITIONS = [
    ["QA-01", "质量经理", "QA", 1, 3, "是", "保证质量", "制定质量标准\n组织检验"],
    ["QA-02", "检验员", "QA-LAB", 2, 1, "否", "", ""],
]
GOOD_EMPLOYEES = [
    ["Q001", "周检", "QA-LAB", "QA-02", "Q002", "在职", "", "", "2024-03-01", "男", "", "", "", ""],
    [
        "Q002",
        "钱质",
        "QA",
        "QA-01",
        "",
        "在职",
        "021-1",
        "",
        "2021-05-10",
        "女",
        "1990-02-03",
        "11010519491231002X",
        "",
        "",
    ],
]


def test_a_valid_workbook_imports_everything_with_references_in_any_order(
    personas: Any, tmp_path: Path
) -> None:
    outcome = org_import_file(
        user=personas["hr"], path=_workbook(tmp_path, GOOD_DEPARTMENTS, GOOD_POSITIONS, GOOD_EMPLOYEES)
    )
    assert outcome.ok, [p.text() for p in outcome.problems]
    assert outcome.counts == {"部门": 2, "岗位": 2, "员工": 2}
    lab = Department.objects.get(code="QA-LAB")
    assert lab.parent is not None and lab.parent.code == "QA"
    head = Department.objects.get(code="QA").head
    assert head is not None and head.number == "Q002"
    assert Position.objects.get(code="QA-01").duties == ["制定质量标准", "组织检验"]
    manager = Employee.objects.get(number="Q001").manager
    assert manager is not None and manager.number == "Q002"
    assert AuditEvent.objects.filter(action="employee.create").count() == 2


def test_one_bad_row_writes_nothing_and_every_problem_is_named(personas: Any, tmp_path: Path) -> None:
    employees = [
        *GOOD_EMPLOYEES,
        ["Q003", "", "QA", "NOPE", "", "出差", "", "", "2024-13-01", "男", "", "123", "", ""],
    ]
    before = (Department.objects.count(), Employee.objects.count(), AuditEvent.objects.count())
    outcome = org_import_file(
        user=personas["hr"], path=_workbook(tmp_path, GOOD_DEPARTMENTS, GOOD_POSITIONS, employees)
    )
    assert not outcome.ok
    found = {(p.row, p.column) for p in outcome.problems}
    assert {(4, "姓名"), (4, "岗位编码"), (4, "状态（在职/试用/休假/离职）"), (4, "入职日期")} <= found
    assert all(p.zh and p.en for p in outcome.problems)
    assert (Department.objects.count(), Employee.objects.count(), AuditEvent.objects.count()) == before


def test_model_rules_are_reported_per_row(personas: Any, tmp_path: Path) -> None:
    employees = [["Q009", "孙错", "QA", "", "", "在职", "", "", "", "", "", "110105194912310021", "", ""]]
    outcome = org_import_file(user=personas["hr"], path=_workbook(tmp_path, GOOD_DEPARTMENTS, [], employees))
    assert not outcome.ok
    assert any(p.row == 2 and "校验位" in p.zh for p in outcome.problems)
    assert not Department.objects.filter(code="QA").exists()


def test_a_parent_loop_is_reported(personas: Any, tmp_path: Path) -> None:
    departments = [["L1", "甲", "L2", "", 1], ["L2", "乙", "L1", "", 2]]
    outcome = org_import_file(user=personas["hr"], path=_workbook(tmp_path, departments, [], []))
    assert any("循环" in p.zh for p in outcome.problems)


def test_a_file_that_is_not_excel_is_refused_clearly(personas: Any, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_text("工号,姓名\n1,张三\n", encoding="utf-8")
    outcome = org_import_file(user=personas["hr"], path=path)
    assert not outcome.ok and "不是 Excel" in outcome.problems[0].zh


def test_a_zip_bomb_is_refused_before_parsing(personas: Any, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    outcome = org_import_file(user=personas["hr"], path=path)
    assert not outcome.ok and "压缩比" in outcome.problems[0].zh


def test_the_template_downloads_with_the_three_sheets(client_for: Any) -> None:
    response = client_for("hr").get(reverse("org:import_template"))
    assert response.status_code == 200
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheet_names == ["说明", "部门", "岗位", "员工"]
    assert workbook.get_sheet_by_name("员工").to_python()[0][:2] == ["工号*", "姓名*"]


def test_upload_through_the_page_reports_rows_and_answers_400(
    personas: Any, client_for: Any, tmp_path: Path
) -> None:
    path = _workbook(tmp_path, [["Z", "", "", "", 1]], [], [])
    upload = SimpleUploadedFile("org.xlsx", path.read_bytes())
    response = client_for("hr").post(reverse("org:import"), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "未导入" in page and "必填项为空" in page


def test_upload_through_the_page_imports(personas: Any, client_for: Any, tmp_path: Path) -> None:
    path = _workbook(tmp_path, GOOD_DEPARTMENTS, GOOD_POSITIONS, GOOD_EMPLOYEES)
    response = client_for("hrsup").post(
        reverse("org:import"), {"file": SimpleUploadedFile("org.xlsx", path.read_bytes())}
    )
    assert response.status_code == 200 and "导入成功" in response.content.decode()
    assert Employee.objects.filter(number__startswith="Q").count() == 2


def test_an_employee_cannot_import(personas: Any, client_for: Any, tmp_path: Path) -> None:
    path = _workbook(tmp_path, GOOD_DEPARTMENTS, [], [])
    response = client_for("employee").post(
        reverse("org:import"), {"file": SimpleUploadedFile("org.xlsx", path.read_bytes())}
    )
    assert response.status_code == 403
    assert not Department.objects.filter(code="QA").exists()


def test_a_sheet_with_a_column_twice_or_unknown_or_missing_is_refused_by_name(
    personas: Any, tmp_path: Path
) -> None:
    # 部门编码 twice (with and without *), 备注 unknown
    header = ["部门编码*", "部门名称*", "部门编码", "备注"]
    path = tmp_path / "org.xlsx"
    path.write_bytes(write_xlsx({"部门": (header, [["QA", "质量部", "QB", "x"]])}).getvalue())
    outcome = org_import_file(user=personas["hr"], path=path)
    texts = [(p.where, p.row, p.column, p.zh) for p in outcome.problems]
    assert ("“部门”", 1, "C", "“部门编码”列重复（第一次在 A 列）") in texts
    assert ("“部门”", 1, "D", "未知列“备注”") in texts
    assert not Department.objects.filter(code__in=["QA", "QB"]).exists()
    path.write_bytes(write_xlsx({"员工": (["工号", "部门编码"], [["Q1", "QA"]])}).getvalue())
    outcome = org_import_file(user=personas["hr"], path=path)
    assert [p.zh for p in outcome.problems] == ["缺少“姓名”列"]


def test_the_required_mark_may_be_left_out_of_a_header(personas: Any, tmp_path: Path) -> None:
    header = [title.removesuffix("*") for title in DEPARTMENT_COLUMNS]
    path = tmp_path / "org.xlsx"
    path.write_bytes(write_xlsx({"部门": (header, [["QA", "质量部", "", "", 9]])}).getvalue())
    outcome = org_import_file(user=personas["hr"], path=path)
    assert outcome.ok and Department.objects.get(code="QA").name == "质量部"


@pytest.mark.parametrize("cell", ["²", "1" * 30, "-3", "1e3"])
def test_a_number_cell_that_is_not_a_bounded_whole_number_is_named_not_crashed(cell: str) -> None:
    from jixiao.org.import_cells import RowChecks

    cells = RowChecks([], {})
    assert cells.integer("岗位", 3, {"职级": cell}, "职级", default=1) is None
    assert cells.problems and cells.problems[0].row == 3 and cells.problems[0].column == "职级"
