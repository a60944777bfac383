"""The one door to confidential rows (§10): ``can`` for one object, ``scope`` for lists.

Default deny: an action with no rule is refused. The rules themselves live in
:mod:`jixiao.access.rules`, one module per subject; this module is where every other module asks.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from jixiao.common.errors import PermissionRefused

from .actor import ActingUser, actor_for
from .rules import GLOBAL_RULES, OBJECT_RULES, SCOPE_RULES

__all__ = ["GLOBAL_RULES", "OBJECT_RULES", "SCOPE_RULES", "can", "require", "scope"]

M = TypeVar("M", bound=Model)


def can(user: ActingUser, action: str, obj: Any = None) -> bool:
    """Return whether ``user`` may do ``action`` (on ``obj`` for object actions). Unknown: no."""
    actor = actor_for(user)
    if obj is None:
        rule = GLOBAL_RULES.get(action)
        return bool(rule and rule(actor))
    object_rule = OBJECT_RULES.get(action)
    return bool(object_rule and object_rule(actor, obj))


def scope(user: ActingUser, action: str, queryset: QuerySet[M]) -> QuerySet[M]:
    """Narrow ``queryset`` to the rows ``user`` may ``action``; nothing for an unknown action."""
    rule = SCOPE_RULES.get(action)
    if rule is None:
        return queryset.none()
    return rule(actor_for(user), queryset)


def require(user: ActingUser, action: str, obj: Any = None) -> None:
    """Raise :class:`PermissionRefused` (403) unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionRefused()
