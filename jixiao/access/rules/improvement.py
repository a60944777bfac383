"""Access to 绩效改进计划 (issue 13; SPEC §10).

A plan is seen by the employee it helps, their head (the head of their department or of a
department above it, and their manager), HR and the committee; nobody else. The head and HR
write it (never about themselves); the employee acknowledges it; the employee and its writers
comment. Object rules and scope rules agree (jixiao/access/tests/test_policy.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..actor import Actor
from .kinds import GlobalRule, ObjectRule, ScopeRule


def _heads_employee(actor: Actor, employee: Any) -> bool:
    """The actor is the employee's head: heads their department (or one above) or manages them."""
    if actor.employee_id is None or employee.pk == actor.employee_id:
        return False
    return employee.manager_id == actor.employee_id or employee.department_id in actor.headed_department_ids


def _headed_q(actor: Actor, prefix: str) -> Q:
    """The rows whose employee (at ``prefix``) the actor heads, as a filter."""
    if actor.employee_id is None:
        return Q(pk__in=[])
    team = Q(**{f"{prefix}manager_id": actor.employee_id}) | Q(
        **{f"{prefix}department_id__in": actor.headed_department_ids}
    )
    own = "pk" if not prefix else f"{prefix}pk"
    return team & ~Q(**{own: actor.employee_id})


def _own_plan(actor: Actor, plan: Any) -> bool:
    return actor.employee_id is not None and plan.employee_id == actor.employee_id


def _plan_writer(actor: Actor, plan: Any) -> bool:
    if actor.is_system:
        return True
    if _own_plan(actor, plan):
        return False
    return actor.is_hr or _heads_employee(actor, plan.employee)


def _plan_view(actor: Actor, plan: Any) -> bool:
    if actor.is_hr or actor.is_committee or actor.is_system:
        return True
    return _own_plan(actor, plan) or _heads_employee(actor, plan.employee)


def _plan_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.is_hr or actor.is_committee or actor.is_system:
        return qs
    if actor.employee_id is None:
        return qs.none()
    return qs.filter(Q(employee_id=actor.employee_id) | _headed_q(actor, "employee__"))


def _plan_write_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.is_system:
        return qs
    mine = Q(employee_id=actor.employee_id) if actor.employee_id is not None else Q(pk__in=[])
    if actor.is_hr:
        return qs.exclude(mine)
    if actor.employee_id is None:
        return qs.none()
    return qs.filter(_headed_q(actor, "employee__"))


def _plan_comment(actor: Actor, plan: Any) -> bool:
    return _own_plan(actor, plan) or _plan_writer(actor, plan)


def _start_for(actor: Actor, employee: Any) -> bool:
    """Whether the actor may start a plan for ``employee`` (an Employee row)."""
    if actor.is_system:
        return True
    if actor.employee_id is not None and employee.pk == actor.employee_id:
        return False
    return actor.is_hr or _heads_employee(actor, employee)


def _start_for_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.is_system:
        return qs
    mine = Q(pk=actor.employee_id) if actor.employee_id is not None else Q(pk__in=[])
    if actor.is_hr:
        return qs.exclude(mine)
    if actor.employee_id is None:
        return qs.none()
    return qs.filter(_headed_q(actor, ""))


GLOBAL_RULES: dict[str, GlobalRule] = {
    "improvement.list": lambda a: a.authenticated,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "improvement.view": _plan_view,
    "improvement.write": _plan_writer,
    "improvement.comment": _plan_comment,
    "improvement.acknowledge": _own_plan,
}
# Whom the actor may start a plan for (rows of org.Employee; the new-plan page offers these).
OBJECT_RULES |= {
    "improvement_candidate.start": _start_for,
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "improvement.view": _plan_view_scope,
    "improvement.write": _plan_write_scope,
    "improvement_candidate.start": _start_for_scope,
}
