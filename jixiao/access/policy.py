"""The one door to confidential rows (§10): ``can`` for one object, ``scope`` for lists.

Default deny: an action with no rule is refused. Each rule is a few lines, one condition per
line, and each scoped action has both forms so that ``obj in scope(...)`` ⇔ ``can(...)``
(proved by a property test). Later apps add their actions to ``OBJECT_RULES``/``SCOPE_RULES``
here, next to the others, so the whole access policy reads in one file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from jixiao.common.errors import PermissionRefused

from .actor import Actor, actor_for

M = TypeVar("M", bound=Model)

# Actions about the whole system rather than one row.
GLOBAL_RULES: dict[str, Callable[[Actor], bool]] = {
    # Every logged-in person may read the directory: names, departments, positions, work contact.
    "org.view": lambda a: a.authenticated,
    "org.manage": lambda a: a.is_hr or a.is_admin,
    "org.import": lambda a: a.is_hr or a.is_admin,
    "audit.view": lambda a: a.has("auditor") or a.is_admin,
    "roles.manage": lambda a: a.is_admin,
    "roles.view": lambda a: a.is_admin or a.has("auditor"),
}


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


def _directory(actor: Actor, obj: Any) -> bool:
    return actor.authenticated


def _directory_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if actor.authenticated else qs.none()


OBJECT_RULES: dict[str, Callable[[Actor, Any], bool]] = {
    "employee.view": _directory,
    "employee.view_personal": _employee_personal,
    "department.view": _directory,
    "position.view": _directory,
}

SCOPE_RULES: dict[str, Callable[[Actor, QuerySet[Any]], QuerySet[Any]]] = {
    "employee.view": _directory_scope,
    "employee.view_personal": _employee_personal_scope,
    "department.view": _directory_scope,
    "position.view": _directory_scope,
}


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Return whether ``user`` may do ``action`` (on ``obj`` for object actions). Unknown: no."""
    actor = actor_for(user)
    if obj is None:
        rule = GLOBAL_RULES.get(action)
        return bool(rule and rule(actor))
    object_rule = OBJECT_RULES.get(action)
    return bool(object_rule and object_rule(actor, obj))


def scope(user: Any, action: str, queryset: QuerySet[M]) -> QuerySet[M]:
    """Narrow ``queryset`` to the rows ``user`` may ``action``; nothing for an unknown action."""
    rule = SCOPE_RULES.get(action)
    if rule is None:
        return queryset.none()
    return rule(actor_for(user), queryset)


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise :class:`PermissionRefused` (403) unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionRefused()
