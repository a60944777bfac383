"""Access to complaints, allegations (§6 投诉、举报) and suggestions (意见反馈) (issue 12, §10).

A complaint is read by its reporter, the deputy and the leader; an allegation by its reporter
and its handler only (``handler_role``: the deputy, or the leader when it names the deputy).
The handler acts on it. Neither is ever visible to anyone *screened* from it, whatever their
role: the person it names, their manager chain and the heads of their department and its
parents (as recorded at filing, in ``ConcernScreen``, and as they are now), and the raters of a
result it names. The reporter of an anonymous allegation reads it only through the follow-up
code, which is not an access rule (the code's holder has no login). Suggestions are read by
their author and HR; HR answers them, not their own; published answers are read by everyone.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..actor import Actor
from .kinds import GlobalRule, ObjectRule, ScopeRule

DEPUTY = "committee_deputy"
LEADER = "committee_leader"
# How far up the named person's manager chain the live check looks (the chain recorded at
# filing in ConcernScreen is complete). The object rule and the scope rule walk the same depth.
MANAGER_DEPTH = 8


def _reporter(actor: Actor, concern: Any) -> bool:
    return actor.user_id is not None and concern.reporter_id == actor.user_id


def _above_in_chain(actor: Actor, concern: Any) -> bool:
    person = concern.subject
    for _level in range(MANAGER_DEPTH):
        if person is None:
            return False
        if person.manager_id == actor.employee_id:
            return True
        person = person.manager
    return False


def _screened(actor: Actor, concern: Any) -> bool:
    """The actor is the named person, in their reporting line, or recorded as screened."""
    if actor.employee_id is None:
        return False
    if concern.subject_id == actor.employee_id:
        return True
    if actor.employee_id in concern.screened_ids():
        return True
    if concern.subject_id is not None and concern.subject.department_id in actor.headed_department_ids:
        return True
    return _above_in_chain(actor, concern)


def _screened_q(actor: Actor) -> Q:
    """The cases the actor is screened from, as a condition (the same tests as ``_screened``)."""
    e = actor.employee_id
    condition = Q(subject_id=e) | Q(screen__employee_id=e)
    condition |= Q(subject__department_id__in=actor.headed_department_ids)
    path = "subject__manager"
    for _level in range(MANAGER_DEPTH):
        condition |= Q(**{f"{path}_id": e})
        path += "__manager"
    return condition


def _not_screened(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.employee_id is None:
        return qs
    screened = qs.model._default_manager.filter(_screened_q(actor)).values("pk")
    return qs.exclude(pk__in=screened)


def _reads_as_committee(actor: Actor, concern: Any) -> bool:
    if actor.is_system:
        return True
    if concern.kind == "complaint":
        return actor.has(DEPUTY, LEADER)
    return actor.has(concern.handler_role)


def _reads_as_committee_q(actor: Actor) -> Q | None:
    if actor.is_system:
        return Q()
    roles = [role for role in (DEPUTY, LEADER) if actor.has(role)]
    if not roles:
        return None
    return Q(kind="complaint") | Q(kind="allegation", handler_role__in=roles)


def concern_view(actor: Actor, concern: Any) -> bool:
    return _reporter(actor, concern) or (
        _reads_as_committee(actor, concern) and not _screened(actor, concern)
    )


def _concern_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    committee = _reads_as_committee_q(actor)
    mine = Q(reporter_id=actor.user_id) if actor.user_id is not None else Q(pk__in=[])
    if committee is None:
        return qs.filter(mine)
    readable = _not_screened(actor, qs.filter(committee)).values("pk")
    return qs.filter(mine | Q(pk__in=readable))


def concern_handle(actor: Actor, concern: Any) -> bool:
    return (actor.is_system or actor.has(concern.handler_role)) and not _screened(actor, concern)


def _concern_handle_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.is_system:
        return qs
    roles = [role for role in (DEPUTY, LEADER) if actor.has(role)]
    return _not_screened(actor, qs.filter(handler_role__in=roles))


def _suggestion_view(actor: Actor, suggestion: Any) -> bool:
    return (
        actor.is_hr
        or actor.is_system
        or (actor.user_id is not None and suggestion.author_id == actor.user_id)
    )


def _suggestion_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.is_hr or actor.is_system:
        return qs
    return qs.filter(author_id=actor.user_id) if actor.user_id is not None else qs.none()


def _suggestion_handle(actor: Actor, suggestion: Any) -> bool:
    """HR answers suggestions, but nobody answers their own."""
    return (actor.is_hr or actor.is_system) and suggestion.author_id != actor.user_id


def _suggestion_handle_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.is_system:
        return qs
    if not actor.is_hr:
        return qs.none()
    return qs.exclude(author_id=actor.user_id)


GLOBAL_RULES: dict[str, GlobalRule] = {
    "concern.file": lambda a: a.authenticated and not a.is_system,
    "concern.list": lambda a: a.has(DEPUTY, LEADER) or a.is_system,
    "suggestion.file": lambda a: a.authenticated and not a.is_system,
    "suggestion.list": lambda a: a.is_hr or a.is_system,
    "suggestion.answers": lambda a: a.authenticated,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "concern.view": concern_view,
    "concern.handle": concern_handle,
    "concern.add_info": _reporter,
    "suggestion.view": _suggestion_view,
    "suggestion.handle": _suggestion_handle,
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "concern.view": _concern_view_scope,
    "concern.handle": _concern_handle_scope,
    "suggestion.view": _suggestion_view_scope,
    "suggestion.handle": _suggestion_handle_scope,
}
