"""Who helps a person with their plan: their manager and the nearest head above them."""

from __future__ import annotations

from jixiao.org.models import Department, Employee

LONGEST_CHAIN = 50


def head_employee_ids(employee: Employee) -> set[int]:
    """Who helps ``employee`` with a plan: their manager and the nearest head of their department
    or a department above it (never the employee themself)."""
    ids: set[int] = set()
    if employee.manager_id is not None and employee.manager_id != employee.pk:
        ids.add(employee.manager_id)
    rows = {
        pk: (parent, head)
        for pk, parent, head in Department.objects.values_list("pk", "parent_id", "head_id")
    }
    current: int | None = employee.department_id
    for _step in range(LONGEST_CHAIN):
        if current is None:
            break
        parent, head = rows.get(current, (None, None))
        if head is not None and head != employee.pk:
            ids.add(head)
            break
        current = parent
    return ids


def head_user_ids(employee: Employee) -> list[int]:
    """The login ids of ``employee``'s heads (see :func:`head_employee_ids`)."""
    ids = head_employee_ids(employee)
    return sorted(u for u in Employee.objects.filter(pk__in=ids).values_list("user_id", flat=True) if u)
