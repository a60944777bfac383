"""Read the organisation, always through ``access``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from jixiao.access.actor import ActingUser
from jixiao.access.policy import can, scope
from jixiao.common.errors import NotFound

from .models import Department, Employee, Position, PositionChange


@dataclass
class DepartmentNode:
    department: Department
    children: list[DepartmentNode]
    employee_count: int


def department_tree(*, user: ActingUser) -> list[DepartmentNode]:
    """Return the department tree (roots first), with active headcount, in two queries."""
    departments = list(
        scope(user, "department.view", Department.objects.select_related("head")).annotate(
            employee_count=Count("employees", filter=~Q(employees__status=Employee.Status.LEFT))
        )
    )
    nodes = {d.pk: DepartmentNode(d, [], d.employee_count) for d in departments}
    roots: list[DepartmentNode] = []
    for department in departments:
        parent = nodes.get(department.parent_id) if department.parent_id else None
        (parent.children if parent else roots).append(nodes[department.pk])
    return roots


def department_get(*, user: ActingUser, pk: int) -> Department:
    department = Department.objects.select_related("head", "parent").filter(pk=pk).first()
    if department is None or not can(user, "department.view", department):
        raise NotFound()
    return department


def position_list(*, user: ActingUser, department_id: int | None = None) -> QuerySet[Position]:
    """Positions with their quota and actual active headcount (``actual``, ``over_quota``)."""
    qs = scope(user, "position.view", Position.objects.select_related("department"))
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.annotate(actual=Count("employees", filter=~Q(employees__status=Employee.Status.LEFT)))


def position_get(*, user: ActingUser, pk: int) -> Position:
    position = position_list(user=user).filter(pk=pk).first()
    if position is None:
        raise NotFound()
    return position


def employee_search(
    *,
    user: ActingUser,
    query: str = "",
    department_id: int | None = None,
    position_id: int | None = None,
    status: str = "",
) -> QuerySet[Employee]:
    """The directory: search by name or number, filter by department, position and status."""
    qs = scope(user, "employee.view", Employee.objects.select_related("department", "position", "manager"))
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(number__icontains=query))
    if department_id:
        qs = qs.filter(department_id=department_id)
    if position_id:
        qs = qs.filter(position_id=position_id)
    if status:
        qs = qs.filter(status=status)
    return qs


def employee_get(*, user: ActingUser, pk: int) -> Employee:
    employee = (
        Employee.objects.select_related("department", "position", "manager", "user").filter(pk=pk).first()
    )
    if employee is None or not can(user, "employee.view", employee):
        raise NotFound()
    return employee


def employee_personal_visible(*, user: ActingUser, employee: Employee) -> bool:
    return can(user, "employee.view_personal", employee)


@dataclass
class DepartmentPage:
    """What a department's page shows: the department, its positions and its people."""

    department: Department
    positions: QuerySet[Position]
    employees: QuerySet[Employee]


def department_page(*, user: ActingUser, pk: int) -> DepartmentPage:
    return DepartmentPage(
        department=department_get(user=user, pk=pk),
        positions=position_list(user=user, department_id=pk),
        employees=employee_search(user=user, department_id=pk),
    )


@dataclass
class PositionPage:
    position: Position
    employees: QuerySet[Employee]


def position_page(*, user: ActingUser, pk: int) -> PositionPage:
    return PositionPage(
        position=position_get(user=user, pk=pk), employees=employee_search(user=user, position_id=pk)
    )


@dataclass
class EmployeePage:
    employee: Employee
    personal: bool  # whether the page shows personal data (identity number, home address …)
    history: list[PositionChange]  # 任职记录, oldest first (reasons shown with the personal data)


def employee_page(*, user: ActingUser, pk: int) -> EmployeePage:
    employee = employee_get(user=user, pk=pk)
    return EmployeePage(
        employee=employee,
        personal=employee_personal_visible(user=user, employee=employee),
        history=position_history(user=user, employee=employee),
    )


def positions_on(
    employee_ids: Iterable[int], day: dt.date, *, unchanged: Mapping[int, int | None] | None = None
) -> dict[int, int | None]:
    """The position id in force for each employee on ``day`` (None: no position), in two queries.

    The latest change effective on or before ``day`` decides; before an employee's first change it
    is that change's ``from_position``; an employee with no recorded change holds their current
    position, or the one ``unchanged`` gives (a pay run passes the cycle's snapshot). No access
    check: pay runs and eligibility read it for everyone they cover.
    """
    ids = set(employee_ids)
    held: dict[int, int | None]
    if unchanged is None:
        held = dict(Employee.objects.filter(pk__in=ids).values_list("pk", "position_id"))
    else:
        held = {pk: unchanged.get(pk) for pk in ids}
    applied: set[int] = set()  # employees with a change in force on ``day``
    decided: set[int] = set()  # employees whose next change is after ``day``
    changes = (
        PositionChange.objects.filter(employee_id__in=ids)
        .order_by("employee_id", "effective", "pk")
        .values_list("employee_id", "effective", "from_position_id", "to_position_id")
    )
    for employee_id, effective, from_id, to_id in changes:
        if employee_id in decided:
            continue
        if effective <= day:
            held[employee_id] = to_id
            applied.add(employee_id)
        else:
            if employee_id not in applied:
                held[employee_id] = from_id
            decided.add(employee_id)
    return held


def position_history(*, user: ActingUser, employee: Employee) -> list[PositionChange]:
    """The employee's 任职记录, oldest first (a directory fact: who held which post, from when)."""
    if not can(user, "employee.view", employee):
        raise NotFound()
    return list(
        employee.position_changes.select_related("from_position", "to_position", "recorded_by").order_by(
            "effective", "pk"
        )
    )
