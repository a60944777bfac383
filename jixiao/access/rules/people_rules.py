"""Access to 规则与建议: rules that propose and their proposals (issue 13, SPEC §7, §10).

HR drafts rule sets; the HR supervisor or the committee leader activates one (never its author
or the person who submitted it). HR and the committee read rule sets, their lint and preview,
and every proposal. A proposal is decided by the HR supervisor or the committee leader — never
the person it concerns, never its proposer. The person concerned sees their own proposals once
approved (growth first: never a pending or rejected one); the head named for a talk sees that
talk once approved and records it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..actor import Actor
from .kinds import GlobalRule, ObjectRule, ScopeRule

# States and kinds these rules read. Access sits below people and cannot import its models;
# people.rules.models names the same codes (its test_state_sets_match checks it).
RULE_SET_DRAFT = "draft"
PROPOSAL_SHOWN = ("approved", "done")
TALK = "talk"
APPROVERS = ("hr_supervisor", "committee_leader")


def _reader(actor: Actor) -> bool:
    return actor.is_hr or actor.is_committee or actor.is_system


def _rule_set_edit(actor: Actor, rule_set: Any) -> bool:
    return (actor.is_hr or actor.is_system) and rule_set.state == RULE_SET_DRAFT


def _rule_set_approve(actor: Actor, rule_set: Any) -> bool:
    """Separation of duties: the HR supervisor or the committee leader, not its author or submitter."""
    return (
        (actor.has(*APPROVERS) or actor.is_system)
        and rule_set.author_id != actor.user_id
        and rule_set.submitted_by_id != actor.user_id
    )


def _proposal_view(actor: Actor, proposal: Any) -> bool:
    if _reader(actor):
        return True
    mine = actor.employee_id
    if mine is None or proposal.state not in PROPOSAL_SHOWN:
        return False
    return bool(proposal.employee_id == mine or (proposal.head_id == mine and proposal.kind == TALK))


def _proposal_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _reader(actor):
        return qs
    mine = actor.employee_id
    if mine is None:
        return qs.none()
    return qs.filter(
        Q(employee_id=mine, state__in=PROPOSAL_SHOWN) | Q(head_id=mine, kind=TALK, state__in=PROPOSAL_SHOWN)
    )


def _proposal_decide(actor: Actor, proposal: Any) -> bool:
    """The HR supervisor or the committee leader; never the person concerned nor the proposer."""
    return (
        actor.has(*APPROVERS)
        and (actor.employee_id is None or proposal.employee_id != actor.employee_id)
        and proposal.proposed_by_id != actor.user_id
    )


def _talk_record(actor: Actor, proposal: Any) -> bool:
    """The head named for the talk records it."""
    return actor.employee_id is not None and proposal.head_id == actor.employee_id and proposal.kind == TALK


GLOBAL_RULES: dict[str, GlobalRule] = {
    "rule_set.view": _reader,
    "rule_set.create": lambda a: a.is_hr or a.is_system,
    "proposal.list": _reader,
    "proposal.run": lambda a: a.is_hr or a.is_system,
    "proposal.mine": lambda a: a.authenticated,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "rule_set.edit": _rule_set_edit,
    "rule_set.approve": _rule_set_approve,
    "rule_set.retire": lambda a, rule_set: a.has(*APPROVERS) or a.is_system,
    "proposal.view": _proposal_view,
    "proposal.decide": _proposal_decide,
    "proposal.talk": _talk_record,
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "proposal.view": _proposal_view_scope,
}
