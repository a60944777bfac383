"""Access to plans and frameworks (§2): heads start and edit their departments' plans, HR drafts
frameworks, the committee reviews; nobody reviews or approves what they wrote."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..actor import Actor
from .kinds import GlobalRule, ObjectRule, ScopeRule
from .org import directory, directory_scope

# The plan states the whole department reads. Access sits below plans and cannot import its
# models; plans.models.RELEASED names the same states (test_state_sets_match checks it).
PLAN_RELEASED = frozenset({"published", "superseded"})


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
    return plan.status in PLAN_RELEASED and plan.department_id == actor.department_id


def _plan_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.is_hr or actor.is_committee or actor.is_admin:
        return qs
    mine = Q(department_id__in=actor.headed_department_ids)
    if actor.department_id is not None:
        mine |= Q(status__in=PLAN_RELEASED, department_id=actor.department_id)
    return qs.filter(mine)


GLOBAL_RULES: dict[str, GlobalRule] = {
    # Heads start plans for their departments; HR drafts frameworks.
    "plan.list": lambda a: a.authenticated,
    "plan.create": lambda a: a.is_head or a.is_hr or a.is_admin,
    "framework.view": lambda a: a.authenticated,
    "framework.create": lambda a: a.is_hr or a.is_admin,
    "meeting.record": lambda a: a.has("committee_deputy", "committee_leader"),
    "meeting.view": lambda a: a.is_committee or a.is_hr or a.is_admin,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "plan.view": _plan_view,
    "plan.edit": lambda a, p: _heads(a, p) or a.is_hr or a.is_admin,
    "plan.submit": lambda a, p: _heads(a, p) or (a.is_hr and p.author_id == a.user_id),
    "plan.answer": lambda a, p: _heads(a, p) or p.author_id == a.user_id,
    "plan.new_version": lambda a, p: _heads(a, p) or a.is_hr or a.is_admin,
    "plan.hr_review": lambda a, p: a.is_hr and _not_author(a, p) and not _heads(a, p),
    "plan.deputy_review": lambda a, p: a.has("committee_deputy") and _not_author(a, p) and not _heads(a, p),
    "plan.committee_record": lambda a, p: a.has("committee_deputy", "committee_leader") and _not_author(a, p),
    "plan.leader_approve": lambda a, p: a.has("committee_leader") and _not_author(a, p) and not _heads(a, p),
    "framework.view": directory,
    "framework.edit": lambda a, f: a.is_hr or a.is_admin,
    "framework.submit": lambda a, f: a.is_hr or a.is_admin,
    "framework.new_version": lambda a, f: a.is_hr or a.is_admin,
    "framework.deputy_review": lambda a, f: a.has("committee_deputy") and _not_author(a, f),
    "framework.committee_record": lambda a, f: (
        a.has("committee_deputy", "committee_leader") and _not_author(a, f)
    ),
    "framework.leader_approve": lambda a, f: a.has("committee_leader") and _not_author(a, f),
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "plan.view": _plan_view_scope,
    "framework.view": directory_scope,
}
