"""Access to the policy handbook (制度 / 手册) (issue 13 item 6; SPEC §7, §10).

Everyone logged in reads a published policy page and its published versions (the current one and
those it replaced); drafts, submitted and approved versions are read by HR and the approvers (the
HR supervisor, the committee leader). HR writes and publishes; an approver approves a version
they did not write (§8). Each employee acknowledges the current version of a page; HR and the
committee see who has not.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..actor import Actor
from .kinds import GlobalRule, ObjectRule, ScopeRule

# The version states everyone logged in reads (handbook.models.PUBLIC).
PUBLIC = frozenset({"published", "superseded"})
APPROVERS = ("hr_supervisor", "committee_leader")


def _draft_reader(actor: Actor) -> bool:
    return actor.is_hr or actor.has(*APPROVERS) or actor.is_system


def _page_view(actor: Actor, page: Any) -> bool:
    return _draft_reader(actor) or (actor.authenticated and page.current_id is not None)


def _page_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _draft_reader(actor):
        return qs
    if not actor.authenticated:
        return qs.none()
    return qs.filter(current__isnull=False)


def _version_view(actor: Actor, version: Any) -> bool:
    return _draft_reader(actor) or (actor.authenticated and version.state in PUBLIC)


def _version_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _draft_reader(actor):
        return qs
    if not actor.authenticated:
        return qs.none()
    return qs.filter(Q(state__in=PUBLIC))


def _approve(actor: Actor, version: Any) -> bool:
    return (actor.has(*APPROVERS) or actor.is_system) and not (
        actor.user_id is not None and version.author_id == actor.user_id
    )


GLOBAL_RULES: dict[str, GlobalRule] = {
    "policy.list": lambda a: a.authenticated,
    "policy.drafts": _draft_reader,
    "policy.write": lambda a: a.is_hr or a.is_system,
    "policy.publish": lambda a: a.is_hr or a.is_system,
    "policy.compliance": lambda a: a.is_hr or a.is_committee or a.is_system,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "policy.view": _page_view,
    "policy_version.view": _version_view,
    "policy_version.approve": _approve,
    # An employee acknowledges a version everyone reads (the service refuses all but the current one
    # with a sentence saying so).
    "policy_version.acknowledge": lambda a, v: a.employee_id is not None and v.state in PUBLIC,
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "policy.view": _page_view_scope,
    "policy_version.view": _version_view_scope,
}
