"""Access to the organisation, roles and the audit log (§1, §10): everyone reads the directory;
HR and administrators change it; personal data only for the person, HR and administrators."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..actor import Actor
from .kinds import GlobalRule, ObjectRule, ScopeRule


def directory(actor: Actor, obj: Any) -> bool:
    return actor.authenticated


def directory_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if actor.authenticated else qs.none()


def _employee_personal(actor: Actor, employee: Any) -> bool:
    if actor.is_hr or actor.is_admin:
        return True
    return actor.employee_id is not None and employee.pk == actor.employee_id


def _employee_personal_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.is_hr or actor.is_admin:
        return qs
    if actor.employee_id is None:
        return qs.none()
    return qs.filter(pk=actor.employee_id)


GLOBAL_RULES: dict[str, GlobalRule] = {
    # Every logged-in person may read the directory: names, departments, positions, work contact.
    "org.view": lambda a: a.authenticated,
    "org.manage": lambda a: a.is_hr or a.is_admin,
    "org.import": lambda a: a.is_hr or a.is_admin,
    "audit.view": lambda a: a.has("auditor") or a.is_admin,
    "roles.manage": lambda a: a.is_admin,
    "roles.view": lambda a: a.is_admin or a.has("auditor"),
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "employee.view": directory,
    "employee.view_personal": _employee_personal,
    "department.view": directory,
    "position.view": directory,
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "employee.view": directory_scope,
    "employee.view_personal": _employee_personal_scope,
    "department.view": directory_scope,
    "position.view": directory_scope,
}
