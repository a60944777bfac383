"""Organisation pages: directory, personal data scoping, edits through services, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.org.models import Department, Employee, Position

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("viewer", "sees_personal"),
    [("employee", True), ("colleague", False), ("head", False), ("other_head", False), ("hr", True),
     ("hrsup", True), ("leader", False), ("finance", False), ("auditor", False), ("admin", True)],
)  # fmt: skip
def test_personal_data_is_shown_only_to_the_person_hr_and_admin(
    viewer: str, sees_personal: bool, personas: Any, client_for: Any
) -> None:
    employee = personas.employees["employee"]
    page = client_for(viewer).get(reverse("org:employee_detail", args=[employee.pk])).content.decode()
    assert employee.name in page
    assert (employee.id_number in page) is sees_personal
    assert (employee.personal_phone in page) is sees_personal


def test_directory_searches_by_name_and_filters_by_department(personas: Any, client_for: Any) -> None:
    client = client_for("colleague")
    page = client.get(reverse("org:employees"), {"q": "other_head"}).content.decode()
    assert "测试other_head" in page and "测试colleague" not in page
    page = client.get(reverse("org:employees"), {"department": personas.department.pk}).content.decode()
    assert "测试employee" in page and "测试hr" not in page


def test_directory_query_count_does_not_grow_with_rows(
    personas: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("hr")
    client.get(reverse("org:employees"))
    with django_assert_max_num_queries(10):
        client.get(reverse("org:employees"))


def test_positions_flag_over_quota(personas: Any, client_for: Any) -> None:
    personas.position.headcount_quota = 1
    personas.position.save()
    page = client_for("employee").get(reverse("org:positions")).content.decode()
    assert "超编" in page


def test_hr_creates_a_department_and_it_is_audited(client_for: Any) -> None:
    response = client_for("hr").post(
        reverse("org:department_create"), {"code": "NEW", "name": "新部门", "sort_order": 5}
    )
    assert response.status_code == 302
    department = Department.objects.get(code="NEW")
    assert AuditEvent.objects.filter(action="department.create", object_id=str(department.pk)).exists()


def test_an_employee_cannot_edit_the_organisation(client_for: Any) -> None:
    response = client_for("employee").post(
        reverse("org:department_create"), {"code": "X", "name": "X", "sort_order": 1}
    )
    assert response.status_code == 403
    assert not Department.objects.filter(code="X").exists()


def test_a_position_from_another_department_is_refused_with_a_clear_message(
    personas: Any, client_for: Any
) -> None:
    employee = personas.employees["employee"]
    data = _employee_form(employee, department=personas.other_department.pk)
    response = client_for("hr").post(reverse("org:employee_edit", args=[employee.pk]), data)
    assert response.status_code == 400
    assert "不属于部门" in response.content.decode()
    employee.refresh_from_db()
    assert employee.department_id == personas.department.pk


def test_a_stale_version_is_refused_and_the_input_kept(personas: Any, client_for: Any) -> None:
    employee = personas.employees["employee"]
    stale = _employee_form(employee, name="新名字")
    Employee.objects.filter(pk=employee.pk).update(version=employee.version + 1)
    response = client_for("hr").post(reverse("org:employee_edit", args=[employee.pk]), stale)
    assert response.status_code == 409
    assert "新名字" in response.content.decode()
    employee.refresh_from_db()
    assert employee.name != "新名字"


def test_a_bad_id_number_is_refused(personas: Any, client_for: Any) -> None:
    employee = personas.employees["employee"]
    response = client_for("hr").post(
        reverse("org:employee_edit", args=[employee.pk]),
        _employee_form(employee, id_number="110105194912310021"),
    )
    assert response.status_code == 400
    assert "校验位" in response.content.decode()


def test_an_unknown_record_is_a_bilingual_404(client_for: Any) -> None:
    response = client_for("hr").get(reverse("org:employee_detail", args=[999999]))
    assert response.status_code == 404
    assert "找不到" in response.content.decode() and "Not found" in response.content.decode()


def _employee_form(employee: Employee, **changes: Any) -> dict[str, Any]:
    data = {
        "number": employee.number,
        "name": employee.name,
        "department": employee.department_id,
        "position": employee.position_id or "",
        "manager": employee.manager_id or "",
        "status": employee.status,
        "work_phone": "",
        "work_email": "",
        "hire_date": "2020-01-01",
        "gender": "",
        "birth_date": "",
        "id_number": employee.id_number,
        "personal_phone": employee.personal_phone,
        "home_address": "",
        "version": employee.version,
    }
    data.update(changes)
    return data


def _page_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("page", ["org:department_detail", "org:position_detail"])
def test_a_department_or_position_page_costs_the_same_queries_for_more_people(
    page: str, personas: Any, client_for: Any
) -> None:
    department = personas.department
    position = Position.objects.filter(department=department).first()
    assert position is not None
    url = reverse(page, args=[department.pk if page == "org:department_detail" else position.pk])
    client = client_for("hr")
    client.get(url)  # warm the session and the actor
    before = _page_queries(client, url)
    manager = Employee.objects.filter(department=department).first()
    for number in range(8):
        Employee.objects.create(
            number=f"QC{number}",
            name=f"查询{number}",
            department=department,
            position=position,
            manager=manager,
        )
    assert _page_queries(client, url) == before
