"""Attendance import: every bad row named by row and column, nothing half-written, hostile cells
(20,000 characters, formulas, unknown or departed employees) refused; walk-ins invited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.common.errors import JixiaoError
from jixiao.common.excel import write_xlsx
from jixiao.org.models import Employee
from jixiao.people.training import services
from jixiao.people.training.imports import HEADER, training_attendance_import
from jixiao.people.training.models import TrainingAttendance, TrainingInvitation

from .test_services import counts, refused
from .world import held, planned

pytestmark = pytest.mark.django_db

LONG = "长" * 20_000


def rows(*body: list[Any], header: list[str] | None = None) -> list[list[Any]]:
    return [header or ["工号", "姓名", "出勤", "备注"], *body]


def csv_file(
    table: list[list[Any]], name: str = "attendance.csv", encoding: str = "utf-8"
) -> SimpleUploadedFile:
    text = "\n".join(",".join(str(c) for c in row) for row in table)
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_a_valid_file_records_everyone_and_invites_walk_ins(personas: Any) -> None:
    s = held(personas)
    report = training_attendance_import(
        user=personas["hr"],
        session=s,
        rows=rows(
            ["P001", "测试employee", "是", "准时"],
            ["P002", "", "否", "请假"],
            ["P100", "测试worker", "Y", ""],
        ),
    )
    assert (report.written, report.walk_ins) == (3, 1)
    marks = dict(TrainingAttendance.objects.filter(session=s).values_list("employee__number", "present"))
    assert marks == {"P001": True, "P002": False, "P100": True}
    assert TrainingInvitation.objects.get(session=s, employee__number="P100").walk_in
    assert TrainingAttendance.objects.get(session=s, employee__number="P001").source == "import"


def test_every_bad_row_is_named_and_nothing_is_written(personas: Any) -> None:
    s = held(personas)
    Employee.objects.create(number="GONE", name="已离职", department=personas.department, status="left")
    table = rows(
        ["P001", "测试employee", "是", ""],  # row 2: good
        ["NOPE", "", "是", ""],  # 3: unknown employee
        ["P002", "别人", "是", ""],  # 4: the name is not the number's
        ["P003", "", "也许", ""],  # 5: neither 是 nor 否
        ["P100", "", "是", LONG],  # 6: a note of 20,000 characters
        ["P001", "", "否", ""],  # 7: the same person again
        ["GONE", "", "是", ""],  # 8: left the company
        ["P003", "", "=1+1", ""],  # 9: a formula
        ["P003", "", "是", "@SUM(A1:A9)"],  # 10: a formula in the note
        [LONG, "", "是", ""],  # 11: a 20,000-character employee number
        ["", "", "是", ""],  # 12: no number
    )
    error = refused(lambda: training_attendance_import(user=personas["hr"], session=s, rows=table))
    named = {(p.row, p.column) for p in error.problems}
    assert named == {
        (3, "工号"), (4, "姓名"), (5, "出勤"), (6, "备注"), (7, "工号"), (8, "工号"), (9, "出勤"), (10, "备注"),
        (11, "工号"), (12, "工号"),
    }  # fmt: skip
    assert "10 处错误" in error.zh
    texts = " ".join(p.zh for p in error.problems)
    assert "NOPE" in texts and "公式" in texts and "20000" in texts and "已离职" in texts
    assert len(texts) < 2000  # hostile cells are shortened in the messages


def test_the_header_and_the_session_state_are_checked_first(personas: Any) -> None:
    s = held(personas)
    hr = personas["hr"]
    error = refused(
        lambda: training_attendance_import(
            user=hr, session=s, rows=rows(["P001", "是"], header=["工号", "工资"])
        )
    )
    assert error.code == "header"
    refused(lambda: training_attendance_import(user=hr, session=s, rows=[]))
    refused(lambda: training_attendance_import(user=hr, session=s, rows=rows()))
    refused(
        lambda: training_attendance_import(
            user=personas["head"], session=s, rows=rows(["P001", "", "是", ""])
        ),
        403,
    )
    waiting = planned(personas, topic="下一场")
    services.training_invite(user=hr, session=waiting, department_ids=[personas.department.pk])
    refused(
        lambda: training_attendance_import(user=hr, session=waiting, rows=rows(["P001", "", "是", ""])), 409
    )
    everyone = list(s.invitations.values_list("employee_id", flat=True))
    services.training_attendance_record(user=hr, session=s, present=everyone, absent=[])
    finished = services.training_finish(user=hr, session=s)
    refused(
        lambda: training_attendance_import(user=hr, session=finished, rows=rows(["P001", "", "否", ""])), 409
    )


def test_the_page_imports_csv_and_xlsx_and_shows_the_problems_by_row(personas: Any, client_for: Any) -> None:
    s = held(personas)
    url = reverse("training:attendance_import", args=[s.pk])
    hr = client_for("hr")
    before = counts()
    bad = hr.post(url, {"file": csv_file(rows(["P001", "", "是", ""], ["NOPE", "", "是", ""]))})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert 'id="problems"' in page and "<td>3</td><td>工号</td>" in page and "NOPE" in page
    assert counts() == before
    gbk = hr.post(url, {"file": csv_file(rows(["P001", "测试employee", "是", "准时"]), encoding="gbk")})
    assert gbk.status_code == 302
    workbook = write_xlsx({"出勤": (HEADER, [["P002", "测试colleague", "否", "病假"]])})
    upload = SimpleUploadedFile("attendance.xlsx", workbook.getvalue())
    assert hr.post(url, {"file": upload}).status_code == 302
    marks = dict(TrainingAttendance.objects.filter(session=s).values_list("employee__number", "present"))
    assert marks == {"P001": True, "P002": False}
    junk = hr.post(url, {"file": SimpleUploadedFile("attendance.xlsx", b"not a workbook")})
    assert junk.status_code == 400
    assert (
        client_for("employee").post(url, {"file": csv_file(rows(["P001", "", "否", ""]))}).status_code == 403
    )
    assert (
        client_for("finance").post(url, {"file": csv_file(rows(["P001", "", "否", ""]))}).status_code == 404
    )


def test_the_template_lists_the_invitees_with_what_is_recorded(personas: Any, client_for: Any) -> None:
    from jixiao.common.spreadsheet import read_sheets

    s = held(personas)
    training_attendance_import(user=personas["hr"], session=s, rows=rows(["P001", "", "是", "不是公式"]))
    response = client_for("hr").get(reverse("training:attendance_template", args=[s.pk]))
    assert response.status_code == 200
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.xlsx"
        path.write_bytes(b"".join(response.streaming_content))
        sheet = next(iter(read_sheets(path).values()))
    assert [list(r) for r in sheet[1:]] == [
        ["P001", "测试employee", "是", "不是公式"],
        ["P002", "测试colleague", None, None],
    ]
    # The template imports as it is once every row says 是 or 否: the colleague's blank is named.
    with pytest.raises(JixiaoError) as error:
        training_attendance_import(user=personas["hr"], session=s, rows=sheet)
    assert [(p.row, p.column) for p in error.value.problems] == [(3, "出勤")]
