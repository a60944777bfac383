"""Access to appraisal work plans (工作计划) (issue 13 item 5; SPEC §7, §10).

HR writes and runs the plans; the committee reads every plan; the HR supervisor or the committee
leader approves one, never its author (§8). An owner reads their own items once the plan is
approved (a draft is HR's) and moves them along (start, done, dropped); HR moves any item.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..actor import Actor
from .kinds import GlobalRule, ObjectRule, ScopeRule

# The plan states in which an owner reads their items (workplans.models.VISIBLE_TO_OWNERS).
VISIBLE_TO_OWNERS = frozenset({"approved", "closed"})
APPROVERS = ("hr_supervisor", "committee_leader")


def _reader(actor: Actor) -> bool:
    return actor.is_hr or actor.is_committee or actor.is_system


def _manager(actor: Actor) -> bool:
    return actor.is_hr or actor.is_system


def _approve(actor: Actor, plan: Any) -> bool:
    return (actor.has(*APPROVERS) or actor.is_system) and not (
        actor.user_id is not None and plan.author_id == actor.user_id
    )


def _own_item(actor: Actor, item: Any) -> bool:
    return (
        actor.employee_id is not None
        and item.owner_id == actor.employee_id
        and item.plan.state in VISIBLE_TO_OWNERS
    )


def _own_items(actor: Actor) -> Q:
    return Q(owner_id=actor.employee_id, plan__state__in=VISIBLE_TO_OWNERS)


def _item_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _reader(actor):
        return qs
    if actor.employee_id is None:
        return qs.none()
    return qs.filter(_own_items(actor))


def _item_step_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _manager(actor):
        return qs
    if actor.employee_id is None:
        return qs.none()
    return qs.filter(_own_items(actor))


GLOBAL_RULES: dict[str, GlobalRule] = {
    "workplan.list": _reader,
    "workplan.manage": _manager,
    "workitem.mine": lambda a: a.authenticated,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "workplan.view": lambda a, p: _reader(a),
    "workplan.approve": _approve,
    "workitem.view": lambda a, i: _reader(a) or _own_item(a, i),
    "workitem.step": lambda a, i: _manager(a) or _own_item(a, i),
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "workplan.view": lambda a, qs: qs if _reader(a) else qs.none(),
    "workitem.view": _item_view_scope,
    "workitem.step": _item_step_scope,
}
