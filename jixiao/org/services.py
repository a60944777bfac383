"""Change the organisation. Each function checks permission and rules, writes in one
transaction, records the audit event, and returns the object."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser, stored_user
from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError, Problem
from jixiao.common.models import TimeStamped
from jixiao.common.validators import parse_date, parse_text
from jixiao.engine.text import Text
from jixiao.workflow.services import audited_create, audited_write, locked

from .models import Department, Employee, Position, PositionChange
from .selectors import positions_on

M = TypeVar("M", bound=TimeStamped)

DEPARTMENT_FIELDS = ("code", "name", "parent", "head", "sort_order")
POSITION_FIELDS = ("code", "title", "department", "headcount_quota", "purpose", "duties", "level", "is_cadre")
EMPLOYEE_FIELDS = (
    "number",
    "name",
    "department",
    "position",
    "manager",
    "status",
    "work_phone",
    "work_email",
    "hire_date",
    "gender",
    "birth_date",
    "id_number",
    "personal_phone",
    "home_address",
)


def department_save(
    *,
    user: ActingUser,
    data: dict[str, Any],
    department: Department | None = None,
    version: int | None = None,
) -> Department:
    """Create a department, or update ``department`` if its version is still ``version``."""
    require(user, "org.manage")
    return _save(user, Department(), department, data, DEPARTMENT_FIELDS, "department", version)


def position_save(
    *, user: ActingUser, data: dict[str, Any], position: Position | None = None, version: int | None = None
) -> Position:
    """Create a position, or update ``position`` if its version is still ``version``."""
    require(user, "org.manage")
    return _save(user, Position(), position, data, POSITION_FIELDS, "position", version)


def employee_save(
    *, user: ActingUser, data: dict[str, Any], employee: Employee | None = None, version: int | None = None
) -> Employee:
    """Create an employee, or update ``employee`` if its version is still ``version``. A changed
    position is also a change of post from today in the employee's 任职记录."""
    require(user, "org.manage")
    if employee is None or employee.pk is None:
        return _save(user, Employee(), employee, data, EMPLOYEE_FIELDS, "employee", version)
    with transaction.atomic():
        held = locked(Employee, employee.pk).position_id
        saved = _save(user, Employee(), employee, data, EMPLOYEE_FIELDS, "employee", version)
        if saved.position_id is not None and saved.position_id != held:
            reason = "在员工信息中修改岗位 / position changed on the employee record"
            change = PositionChange(
                employee=saved,
                from_position_id=held,
                to_position_id=saved.position_id,
                effective=timezone.localdate(),
                reason=reason,
                source="employee.update",
                recorded_by=cast(Any, stored_user(user)),
            )
            audited_create(user=user, obj=change, action="position_change.record", reason=reason)
    return saved


def employee_problems(instance: Employee, data: dict[str, Any]) -> list[Problem]:
    """Rules that span fields: the position belongs to the department; nobody manages themselves."""
    problems: list[Problem] = []
    position, department = data.get("position"), data.get("department")
    if position is not None and department is not None and position.department_id != department.pk:
        problems.append(
            Problem(
                zh=f"岗位“{position.title}”不属于部门“{department.name}”，请选择该部门的岗位。",
                en=f"Position '{position.title}' is not in department '{department.name}'; pick one of its positions.",
                column="岗位",
            )
        )
    manager = data.get("manager")
    if manager is not None and instance.pk and manager.pk == instance.pk:
        problems.append(
            Problem(
                zh="员工不能是自己的直接上级。", en="An employee cannot manage themselves.", column="直接上级"
            )
        )
    return problems


def _check_department(instance: Department, data: dict[str, Any]) -> None:
    parent = data.get("parent")
    seen: set[int] = set()
    while parent is not None and instance.pk:
        if parent.pk == instance.pk or parent.pk in seen:
            raise JixiaoError(
                zh="上级部门不能是本部门或其下级部门。",
                en="A department cannot sit under itself or one of its own sub-departments.",
            )
        seen.add(parent.pk)
        parent = parent.parent


def _check_employee(instance: Employee, data: dict[str, Any]) -> None:
    problems = employee_problems(instance, data)
    if problems:
        raise JixiaoError(zh="员工信息有误。", en="The employee record is invalid.", problems=problems)


CHECKS: dict[str, Callable[[Any, dict[str, Any]], None]] = {
    "department": _check_department,
    "employee": _check_employee,
}


def _save(
    user: ActingUser,
    new: M,
    existing: M | None,
    data: dict[str, Any],
    fields: tuple[str, ...],
    kind: str,
    version: int | None,
) -> M:
    """Create ``new`` or update ``existing`` (locked, version-checked) from ``data``, audited as
    ``<kind>.create`` / ``<kind>.update`` with the ``fields`` that changed."""

    def change(record: M) -> None:
        CHECKS.get(kind, _no_check)(record, data)
        for name in fields:
            if name in data:
                setattr(record, name, data[name])
        _full_clean(record)

    if existing is None or existing.pk is None:
        change(new)
        return audited_create(user=user, obj=new, action=f"{kind}.create", fields=fields)
    return audited_write(
        user=user,
        obj=existing,
        action=f"{kind}.update",
        change=change,
        expected_version=version,
        fields=fields,
        skip_unchanged=True,  # a form saved as it was is not an edit
    )


def _no_check(instance: Any, data: dict[str, Any]) -> None:
    """Records with no rule across fields."""


def _full_clean(instance: Any) -> None:
    """Run the model's field validation; its messages become problems naming the field."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise JixiaoError(
            zh="输入有误，请按提示修改。",
            en="Some fields are invalid; see the messages.",
            problems=[
                Problem(
                    zh=" ".join(str(m) for m in messages), en=" ".join(str(m) for m in messages), where=field
                )
                for field, messages in error.message_dict.items()
            ],
        ) from error


def employee_link_user(*, user: ActingUser, employee: Employee, account: Any) -> Employee:
    """Link a login account to an employee record (one account per employee)."""
    require(user, "org.manage")
    return audited_write(
        user=user,
        obj=employee,
        action="employee.link_user",
        change=lambda record: setattr(record, "user", account),
        fields=("user",),
    )


def position_change_record(
    *,
    user: ActingUser,
    employee: Employee,
    position: Position,
    effective: dt.date,
    reason: str,
    source: str = "",
) -> PositionChange:
    """Record that ``employee`` holds ``position`` from ``effective`` (任职记录), audited.

    The change in force before it is the latest one effective on or before ``effective``; a new
    change may not be dated before a change already recorded (the history reads in order). When
    the date has come, the employee's current position (and department) follow at once; a later
    date is applied by :func:`position_changes_apply_due` on that day. Refused: a person who has
    left, the position they already hold that day, a missing reason.
    """
    require(user, "position_change.record")
    reason = parse_text(reason, field=Text("原因", "Reason"), required=True)
    source = parse_text(source, field=Text("来源", "Source"), max_length=64)
    effective = parse_date(effective, field=Text("生效日期", "Effective date"))
    with transaction.atomic():
        current = locked(Employee, employee.pk)
        _check_position_change(current, position, effective)
        change = PositionChange(
            employee=current,
            from_position_id=positions_on([current.pk], effective).get(current.pk),
            to_position=position,
            effective=effective,
            reason=reason,
            source=source,
            recorded_by=cast(Any, stored_user(user)),
        )
        audited_create(user=user, obj=change, action="position_change.record", reason=reason)
        if effective <= timezone.localdate():
            _employee_follows(user, current, position, reason)
    return change


def _check_position_change(employee: Employee, position: Position, effective: dt.date) -> None:
    if not employee.is_active:
        raise JixiaoError(
            zh=f"{employee.name}已离职，不能记录任职变动。",
            en=f"{employee.name} has left; no position change can be recorded.",
            status=409,
        )
    later = employee.position_changes.filter(effective__gt=effective).order_by("-effective").first()
    if later is not None:
        raise JixiaoError(
            zh=f"已有 {later.effective} 生效的任职记录，新记录的生效日期不能早于它。",
            en=f"A position change effective {later.effective} is recorded; a new one cannot take effect before it.",
            status=409,
        )
    if positions_on([employee.pk], effective).get(employee.pk) == position.pk:
        raise JixiaoError(
            zh=f"{employee.name}在 {effective} 已任“{position.title}”。",
            en=f"{employee.name} already holds “{position.title}” on {effective}.",
            status=409,
        )


def _employee_follows(user: ActingUser, employee: Employee, position: Position, reason: str) -> None:
    """The employee record shows the position in force today (and its department)."""

    def change(record: Employee) -> None:
        record.position = position
        record.department_id = position.department_id

    audited_write(
        user=user,
        obj=employee,
        action="employee.position",
        change=change,
        fields=("position", "department"),
        reason=reason,
        skip_unchanged=True,
    )


def position_changes_apply_due(*, user: ActingUser, today: dt.date | None = None) -> int:
    """Bring each employee's current position up to the change in force ``today`` (the changes
    recorded ahead of their date); return how many employees moved. Run daily (and harmless twice)."""
    require(user, "position_change.record")
    today = today or timezone.localdate()
    due = PositionChange.objects.filter(effective__lte=today).values_list("employee_id", flat=True).distinct()
    in_force = positions_on(set(due), today)
    moved = 0
    employees = Employee.objects.filter(pk__in=in_force).exclude(status=Employee.Status.LEFT)
    positions = Position.objects.in_bulk({p for p in in_force.values() if p is not None})
    for employee in employees:
        target = positions.get(in_force[employee.pk] or 0)
        if target is not None and employee.position_id != target.pk:
            _employee_follows(user, employee, target, "任职记录生效 / position change in force")
            moved += 1
    return moved
