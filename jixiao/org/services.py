"""Change the organisation. Each function checks permission and rules, writes in one
transaction, records the audit event, and returns the object."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from jixiao.access.policy import require
from jixiao.audit.services import audit_record, changed, snapshot
from jixiao.common.errors import Conflict, JixiaoError, Problem

from .models import Department, Employee, Position

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
    *, user: Any, data: dict[str, Any], department: Department | None = None, version: int | None = None
) -> Department:
    """Create a department, or update ``department`` if its version is still ``version``."""
    require(user, "org.manage")
    with transaction.atomic():
        instance = _locked(Department, department, version) or Department()
        _check_department(instance, data)
        saved: Department = _apply(user, instance, data, DEPARTMENT_FIELDS, "department")
        return saved


def position_save(
    *, user: Any, data: dict[str, Any], position: Position | None = None, version: int | None = None
) -> Position:
    """Create a position, or update ``position`` if its version is still ``version``."""
    require(user, "org.manage")
    with transaction.atomic():
        instance = _locked(Position, position, version) or Position()
        saved: Position = _apply(user, instance, data, POSITION_FIELDS, "position")
        return saved


def employee_save(
    *, user: Any, data: dict[str, Any], employee: Employee | None = None, version: int | None = None
) -> Employee:
    """Create an employee, or update ``employee`` if its version is still ``version``."""
    require(user, "org.manage")
    with transaction.atomic():
        instance = _locked(Employee, employee, version) or Employee()
        problems = employee_problems(instance, data)
        if problems:
            raise JixiaoError(zh="员工信息有误。", en="The employee record is invalid.", problems=problems)
        saved: Employee = _apply(user, instance, data, EMPLOYEE_FIELDS, "employee")
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


def _locked(model: type[Any], instance: Any, version: int | None) -> Any:
    """Re-read ``instance`` under a row lock and refuse if someone saved it since ``version``."""
    if instance is None or instance.pk is None:
        return None
    fresh = model.objects.select_for_update().get(pk=instance.pk)
    if version is not None and fresh.version != version:
        raise Conflict()
    return fresh


def _apply(user: Any, instance: Any, data: dict[str, Any], fields: tuple[str, ...], kind: str) -> Any:
    creating = instance.pk is None
    before = {} if creating else snapshot(instance, fields)
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    if not creating:
        instance.version += 1
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
    instance.save()
    after = snapshot(instance, fields)
    if creating:
        audit_record(actor=user, action=f"{kind}.create", obj=instance, after=after)
    else:
        old, new = changed(before, after)
        if new:
            audit_record(actor=user, action=f"{kind}.update", obj=instance, before=old, after=new)
    return instance


def employee_link_user(*, user: Any, employee: Employee, account: Any) -> Employee:
    """Link a login account to an employee record (one account per employee)."""
    require(user, "org.manage")
    with transaction.atomic():
        before = {"user": employee.user_id}
        employee.user = account
        employee.version += 1
        employee.save(update_fields=["user", "version", "updated_at"])
        audit_record(
            actor=user, action="employee.link_user", obj=employee, before=before, after={"user": account.pk}
        )
    return employee
