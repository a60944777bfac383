"""The one door to confidential rows (§10): ``can`` for one object, ``scope`` for lists.

Default deny: an action with no rule is refused. Each rule is a few lines, one condition per
line, and each scoped action has both forms so that ``obj in scope(...)`` ⇔ ``can(...)``
(proved by a property test). Later apps add their actions to ``OBJECT_RULES``/``SCOPE_RULES``
here, next to the others, so the whole access policy reads in one file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

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
    # Plans (§2): heads start plans for their departments; HR drafts frameworks.
    "plan.list": lambda a: a.authenticated,
    "plan.create": lambda a: a.is_head or a.is_hr or a.is_admin,
    "framework.view": lambda a: a.authenticated,
    "framework.create": lambda a: a.is_hr or a.is_admin,
    "meeting.record": lambda a: a.has("committee_deputy", "committee_leader"),
    "meeting.view": lambda a: a.is_committee or a.is_hr or a.is_admin,
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


def _not_author(actor: Actor, document: Any) -> bool:
    """Separation of duties: nobody reviews or approves what they wrote themselves."""
    return bool(document.author_id != actor.user_id)


def _heads(actor: Actor, plan: Any) -> bool:
    return bool(plan.department_id in actor.headed_department_ids)


def _plan_view(actor: Actor, plan: Any) -> bool:
    if actor.is_hr or actor.is_committee or actor.is_admin:
        return True
    if _heads(actor, plan):
        return True
    # An employee reads the published plans of their own department ("how I am appraised").
    return plan.status in ("published", "superseded") and plan.department_id == actor.department_id


def _plan_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.is_hr or actor.is_committee or actor.is_admin:
        return qs
    mine = Q(department_id__in=actor.headed_department_ids)
    if actor.department_id is not None:
        mine |= Q(status__in=("published", "superseded"), department_id=actor.department_id)
    return qs.filter(mine)


OBJECT_RULES: dict[str, Callable[[Actor, Any], bool]] = {
    "plan.view": _plan_view,
    "plan.edit": lambda a, p: _heads(a, p) or a.is_hr or a.is_admin,
    "plan.submit": lambda a, p: _heads(a, p) or (a.is_hr and p.author_id == a.user_id),
    "plan.answer": lambda a, p: _heads(a, p) or p.author_id == a.user_id,
    "plan.new_version": lambda a, p: _heads(a, p) or a.is_hr or a.is_admin,
    "plan.hr_review": lambda a, p: a.is_hr and _not_author(a, p) and not _heads(a, p),
    "plan.deputy_review": lambda a, p: a.has("committee_deputy") and _not_author(a, p) and not _heads(a, p),
    "plan.committee_record": lambda a, p: a.has("committee_deputy", "committee_leader") and _not_author(a, p),
    "plan.leader_approve": lambda a, p: a.has("committee_leader") and _not_author(a, p) and not _heads(a, p),
    "framework.view": _directory,
    "framework.edit": lambda a, f: a.is_hr or a.is_admin,
    "framework.submit": lambda a, f: a.is_hr or a.is_admin,
    "framework.new_version": lambda a, f: a.is_hr or a.is_admin,
    "framework.deputy_review": lambda a, f: a.has("committee_deputy") and _not_author(a, f),
    "framework.committee_record": lambda a, f: (
        a.has("committee_deputy", "committee_leader") and _not_author(a, f)
    ),
    "framework.leader_approve": lambda a, f: a.has("committee_leader") and _not_author(a, f),
    "employee.view": _directory,
    "employee.view_personal": _employee_personal,
    "department.view": _directory,
    "position.view": _directory,
}

SCOPE_RULES: dict[str, Callable[[Actor, QuerySet[Any]], QuerySet[Any]]] = {
    "plan.view": _plan_view_scope,
    "framework.view": _directory_scope,
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
