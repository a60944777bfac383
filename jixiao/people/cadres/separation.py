"""Who may not score or decide a nomination (§8 separation of duties): the nominee, their
reporting line (managers up the chain and the heads of their department and the departments
above it), the nominator, and anyone who declared a conflict. Recomputed from today's data by the
services at each step; the rules read the lists kept on the nomination."""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.access.models import Role, RoleGrant
from jixiao.org.models import Department, Employee

from .models import Nomination

MAX_CHAIN = 50  # a reporting line longer than this is a loop in the data


def reporting_line(employee: Employee) -> set[int]:
    """The employee ids above ``employee``: managers up the chain and the heads of their department
    and of every department above it (loops in the data end the walk)."""
    line: set[int] = set()
    managers = dict(Employee.objects.exclude(manager=None).values_list("pk", "manager_id"))
    current = managers.get(employee.pk)
    while current is not None and current not in line and len(line) < MAX_CHAIN:
        line.add(current)
        current = managers.get(current)
    departments = {
        pk: (parent, head)
        for pk, parent, head in Department.objects.values_list("pk", "parent_id", "head_id")
    }
    seen: set[int] = set()
    department: int | None = employee.department_id
    while department is not None and department not in seen:
        seen.add(department)
        parent, head = departments.get(department, (None, None))
        if head is not None and head != employee.pk:
            line.add(head)
        department = parent
    line.discard(employee.pk)
    return line


def barred_scorers(nomination: Nomination) -> list[int]:
    """Employees who may not score: the nominee, their reporting line, the nominator."""
    barred = {nomination.nominee_id} | reporting_line(nomination.nominee)
    if nomination.nominator_id is not None:
        barred.add(nomination.nominator_id)
    return sorted(barred)


def leaders_barred(nomination: Nomination, conflicted: Iterable[int]) -> bool:
    """Whether every committee leader is the nominee, the nominator or declared a conflict (then
    the deputy decides). No leader at all counts as barred."""
    out = set(conflicted) | {nomination.nominated_by_id}
    leaders = set(RoleGrant.objects.filter(role=Role.COMMITTEE_LEADER).values_list("user_id", flat=True))
    nominee_user = Employee.objects.filter(pk=nomination.nominee_id).values_list("user_id", flat=True).first()
    if nominee_user is not None:
        out.add(nominee_user)
    return not (leaders - out)


def refresh(nomination: Nomination) -> None:
    """Recompute the lists kept on ``nomination`` (a locked row) from today's data."""
    nomination.conflicted = sorted(set(nomination.conflicts.values_list("user_id", flat=True)))
    nomination.barred = barred_scorers(nomination)
    nomination.leader_barred = leaders_barred(nomination, nomination.conflicted)
