"""Access to the review of a cycle (§3, §6): department summaries, findings and rectification,
feedback interviews, and who sees a released result whole."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..actor import Actor
from .cycles import appraisal_reader, manages_member, member_view, own_member
from .kinds import GlobalRule, ObjectRule, ScopeRule


# Department summaries, findings and rectification (§3 部门汇总, §6 整改): the head of the
# department writes its summary and answers its rectification items; HR checks, records
# findings and verifies (not for a department they head); the committee reads them.
def _heads_department(actor: Actor, row: Any) -> bool:
    return bool(row.department_id in actor.headed_department_ids)


def _department_review_view(actor: Actor, row: Any) -> bool:
    return appraisal_reader(actor) or _heads_department(actor, row)


def _department_review_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if appraisal_reader(actor):
        return qs
    return qs.filter(department_id__in=actor.headed_department_ids)


def _hr_checker(actor: Actor, row: Any) -> bool:
    return (actor.is_hr or actor.is_system) and not _heads_department(actor, row)


# Feedback interviews (§3 绩效面谈): the member's manager or head records it; the employee reads
# and acknowledges their own; HR and the committee read every one.
def _interview_view(actor: Actor, interview: Any) -> bool:
    return member_view(actor, interview.member)


def _interview_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if appraisal_reader(actor):
        return qs
    if actor.employee_id is None:
        return qs.none()
    team = Q(member__manager_id=actor.employee_id) | Q(member__department_id__in=actor.headed_department_ids)
    mine = Q(member__employee_id=actor.employee_id)
    return qs.filter(mine | (team & ~mine))


GLOBAL_RULES: dict[str, GlobalRule] = {
    "rectification.list": lambda a: appraisal_reader(a) or a.is_head,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "summary.view": _department_review_view,
    "summary.write": _heads_department,
    "summary.check": _hr_checker,
    "rectification.view": _department_review_view,
    "rectification.answer": _heads_department,
    "rectification.verify": _hr_checker,
    "interview.view": _interview_view,
    "interview.record": manages_member,  # on the CycleMember
    "interview.acknowledge": lambda a, i: own_member(a, i.member),
    # Release (结果开通): who sees a result whole, whatever the cycle releases to the employee.
    "result.view_full": lambda a, r: appraisal_reader(a) or r.member.department_id in a.headed_department_ids,
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "summary.view": _department_review_view_scope,
    "rectification.view": _department_review_view_scope,
    "interview.view": _interview_view_scope,
}
