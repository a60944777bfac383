"""Access to appeals (申诉) and their recheck (复核) (issue 12, SPEC §10).

An appeal is seen by the appellant, HR, its rechecker, the deputy and the leader; a rater of the
appellant sees it only once the rechecker asked them for a statement. Nobody handles a case
about themselves; nobody rechecks one in which they have a part (``conflicted``: the appellant,
their raters, their reporting line, declared conflicts — kept on the appeal by its services) and
nobody decides one about themselves or their own ratings (``barred_deciders``: the appellant,
their raters, declared conflicts). The leader decides, or the deputy when the leader is barred
(``leader_barred``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..actor import Actor
from .cycles import RELEASED, own_member
from .kinds import GlobalRule, ObjectRule, ScopeRule

CASE_READERS = ("committee_leader", "committee_deputy")


def _own(actor: Actor, appeal: Any) -> bool:
    return actor.employee_id is not None and appeal.appellant_id == actor.employee_id


def _rechecker(actor: Actor, appeal: Any) -> bool:
    return actor.user_id is not None and appeal.rechecker_id == actor.user_id


def _asked_for_statement(actor: Actor, appeal: Any) -> bool:
    if actor.employee_id is None or appeal.pk is None:
        return False
    return bool(appeal.statements.filter(rater_id=actor.employee_id).exists())


def _appeal_view(actor: Actor, appeal: Any) -> bool:
    return (
        _own(actor, appeal)
        or actor.is_hr
        or actor.has(*CASE_READERS)
        or actor.is_system
        or _rechecker(actor, appeal)
        or _asked_for_statement(actor, appeal)
    )


def _appeal_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.is_hr or actor.has(*CASE_READERS) or actor.is_system:
        return qs
    if actor.user_id is None:
        return qs.none()
    visible = Q(rechecker_id=actor.user_id)
    if actor.employee_id is not None:
        visible |= Q(appellant_id=actor.employee_id)
        visible |= Q(
            pk__in=qs.model._default_manager.filter(statements__rater_id=actor.employee_id).values("pk")
        )
    return qs.filter(visible)


def _handler(actor: Actor, appeal: Any) -> bool:
    """HR handling a case not their own (accept, decline)."""
    return (actor.is_hr or actor.is_system) and not _own(actor, appeal)


def _assigner(actor: Actor, appeal: Any) -> bool:
    """HR or the deputy choose the rechecker, never for their own case."""
    return (actor.is_hr or actor.has("committee_deputy") or actor.is_system) and not _own(actor, appeal)


def _recheck(actor: Actor, appeal: Any) -> bool:
    return (
        _rechecker(actor, appeal) and not _own(actor, appeal) and actor.employee_id not in appeal.conflicted
    )


def _decider(actor: Actor, appeal: Any) -> bool:
    """The leader decides (and grants leave for a late appeal); the deputy when the leader is barred."""
    if _own(actor, appeal) or _rechecker(actor, appeal):
        return False
    if actor.employee_id is not None and actor.employee_id in appeal.barred_deciders:
        return False
    if appeal.leader_barred:
        return actor.has("committee_deputy") or actor.is_system
    return actor.has("committee_leader") or actor.is_system


def _preview(actor: Actor, appeal: Any) -> bool:
    """The ripple of an adjustment names other people's ranks: HR and the committee handling it."""
    return (actor.is_hr or actor.has(*CASE_READERS) or _rechecker(actor, appeal)) and not _own(actor, appeal)


def _file(actor: Actor, result: Any) -> bool:
    """An employee appeals their own released result."""
    return own_member(actor, result.member) and result.cycle.state in RELEASED


GLOBAL_RULES: dict[str, GlobalRule] = {
    "appeal.mine": lambda a: a.authenticated,
    "appeal.list": lambda a: a.is_hr or a.is_committee or a.is_system,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "appeal.view": _appeal_view,
    "appeal.file": _file,  # on the Result
    "appeal.triage": _handler,
    "appeal.assign": _assigner,
    "appeal.recheck": _recheck,
    "appeal.decide": _decider,
    "appeal.preview": _preview,
    "appeal.withdraw": _own,
    "statement.answer": lambda a, s: a.employee_id is not None and s.rater_id == a.employee_id,
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "appeal.view": _appeal_view_scope,
}
