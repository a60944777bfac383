"""Access to notifications (SPEC §10, issue 12): a notification is its recipient's alone; nobody
else sees or opens it, whatever their role. Also the cases' shared pages (the inbox and the step
deadlines), which belong to no single kind of case."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..actor import Actor
from .kinds import GlobalRule, ObjectRule, ScopeRule


def _recipient(actor: Actor, notification: Any) -> bool:
    return actor.user_id is not None and notification.recipient_id == actor.user_id


def _recipient_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.user_id is None:
        return qs.none()
    return qs.filter(recipient_id=actor.user_id)


GLOBAL_RULES: dict[str, GlobalRule] = {
    "notification.list": lambda a: a.authenticated,
    # The case inbox: anyone logged in may look (an appellant follows their appeal there, and
    # everyone starts appeals, complaints, allegations and suggestions from it), so the main
    # navigation links it for every person (not the system).
    "case.inbox": lambda a: a.authenticated,
    "case.inbox_link": lambda a: a.authenticated and not a.is_system,
    # The days each step of a case may take: HR sets them.
    "case_deadline.manage": lambda a: a.is_hr,
    # Escalating late case steps to the deputy: the daily command, as the system.
    "case.escalate": lambda a: a.is_system,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "notification.view": _recipient,
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "notification.view": _recipient_scope,
}
