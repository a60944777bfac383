"""Access to appraisal cycles (§3, §8, §10): scoring, results, calibration and integrity flags."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..actor import Actor
from .kinds import GlobalRule, ObjectRule, ScopeRule


# Cycles (§3, §10): HR runs cycles; a member's manager and department head score them; peers
# and the committee where the plan asks; an employee sees their own result once published; a
# head their department's results; HR and the committee every result. The system administrator
# alone runs no cycle and reads no score (§10); only the system itself (commands, jobs) does.
def appraisal_reader(actor: Actor) -> bool:
    return actor.is_hr or actor.is_committee or actor.is_system


def own_member(actor: Actor, member: Any) -> bool:
    return actor.employee_id is not None and member.employee_id == actor.employee_id


def manages_member(actor: Actor, member: Any) -> bool:
    if actor.employee_id is None or member.employee_id == actor.employee_id:
        return False
    return member.manager_id == actor.employee_id or member.department_id in actor.headed_department_ids


def member_view(actor: Actor, member: Any) -> bool:
    return appraisal_reader(actor) or own_member(actor, member) or manages_member(actor, member)


def _member_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if appraisal_reader(actor):
        return qs
    if actor.employee_id is None:
        return qs.none()
    team = Q(manager_id=actor.employee_id) | Q(department_id__in=actor.headed_department_ids)
    return qs.filter(Q(employee_id=actor.employee_id) | (team & ~Q(employee_id=actor.employee_id)))


# The cycle states in which an employee reads their own result (cycles.lifecycle.models.RELEASED names the same states).
RELEASED = frozenset({"published", "locked"})


def _result_view(actor: Actor, result: Any) -> bool:
    if appraisal_reader(actor):
        return True
    member = result.member
    if member.department_id in actor.headed_department_ids:
        return True
    return own_member(actor, member) and result.cycle.state in RELEASED


def _result_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if appraisal_reader(actor):
        return qs
    visible = Q(member__department_id__in=actor.headed_department_ids)
    if actor.employee_id is not None:
        visible |= Q(member__employee_id=actor.employee_id, cycle__state__in=RELEASED)
    return qs.filter(visible)


GLOBAL_RULES: dict[str, GlobalRule] = {
    "cycle.list": lambda a: a.authenticated,
    "cycle.manage": lambda a: a.is_hr or a.is_system,
    "cycle.verify": lambda a: a.has("committee_leader", "committee_deputy") or a.is_system,
    "result.mine": lambda a: a.authenticated,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "cycle.view": lambda a, c: a.authenticated,
    "cycle.dashboard": lambda a, c: appraisal_reader(a) or a.is_head,
    "cycle.actuals": lambda a, c: a.is_hr or a.is_system or a.is_head,
    "member.view": member_view,
    "member.enter_actuals": lambda a, m: a.is_hr or a.is_system or manages_member(a, m),
    "member.score_self": own_member,
    "member.score_manager": manages_member,
    "member.score_peer": lambda a, m: (
        a.department_id == m.department_id and not own_member(a, m) and a.employee_id is not None
    ),
    "member.score_committee": lambda a, m: a.is_committee and not own_member(a, m),
    "result.view": _result_view,
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "member.view": _member_view_scope,
    "result.view": _result_view_scope,
}


# Calibration (§3 校准, §8): the committee and HR read every group's distribution; the leader and
# deputy move grades, but nobody moves their own result, nor one of a person they manage or
# whose department they head (they rated those people: calibration is the check on the rater).
def _calibrator(actor: Actor) -> bool:
    return actor.has("committee_leader", "committee_deputy")


def _calibration_move(actor: Actor, result: Any) -> bool:
    member = result.member
    return _calibrator(actor) and not own_member(actor, member) and not manages_member(actor, member)


def _calibration_move_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if not _calibrator(actor):
        return qs.none()
    if actor.employee_id is None:
        return qs
    mine = Q(member__employee_id=actor.employee_id)
    managed = Q(member__manager_id=actor.employee_id) | Q(
        member__department_id__in=actor.headed_department_ids
    )
    return qs.exclude(mine).exclude(managed)


OBJECT_RULES |= {
    "calibration.view": lambda a, c: appraisal_reader(a),
    "calibration.move": _calibration_move,
}
SCOPE_RULES |= {
    "calibration.move": _calibration_move_scope,
}

# Integrity flags (§8 公正检查): HR and the committee read them (they name raters, scores and
# KPI shares, so heads and auditors do not; docs/decisions.md, "Integrity flags").
GLOBAL_RULES |= {
    "integrity.flags": appraisal_reader,
}
