"""Access to the analysis pages (统计分析, issue 14): HR and the committee read every department
and person; a department head their departments (and those below them) and their people; an
employee only their own trend, and only of cycles released to them. The system administrator
alone reads none of it (SPEC §10)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..actor import Actor
from .cycles import appraisal_reader
from .kinds import GlobalRule, ObjectRule, ScopeRule


def _department(actor: Actor, department: Any) -> bool:
    return appraisal_reader(actor) or department.pk in actor.headed_department_ids


def _department_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if appraisal_reader(actor):
        return qs
    return qs.filter(pk__in=actor.headed_department_ids)


def _person(actor: Actor, employee: Any) -> bool:
    if appraisal_reader(actor) or employee.department_id in actor.headed_department_ids:
        return True
    return actor.employee_id is not None and employee.pk == actor.employee_id


def _person_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if appraisal_reader(actor):
        return qs
    visible = Q(department_id__in=actor.headed_department_ids)
    if actor.employee_id is not None:
        visible |= Q(pk=actor.employee_id)
    return qs.filter(visible)


GLOBAL_RULES: dict[str, GlobalRule] = {
    # The index and the department pages: HR, the committee and department heads.
    "analysis.view": lambda a: appraisal_reader(a) or a.is_head,
    # Company-wide lines (the company mean, every department): HR and the committee.
    "analysis.company": appraisal_reader,
    # One's own trend: any employee.
    "analysis.mine": lambda a: a.employee_id is not None,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "department.analyse": _department,  # on a Department (named by its model for the scope ⇔ can property)
    "employee.analyse": _person,  # on an Employee
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "department.analyse": _department_scope,
    "employee.analyse": _person_scope,
}
