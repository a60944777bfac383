"""The one door to confidential rows (§10): ``can`` for one object, ``scope`` for lists.

Default deny: an action with no rule is refused. Each rule is a few lines, one condition per
line, and each scoped action has both forms so that ``obj in scope(...)`` ⇔ ``can(...)``
(proved by a property test). Later apps add their actions to ``OBJECT_RULES``/``SCOPE_RULES``
here, next to the others, so the whole access policy reads in one file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from jixiao.common.errors import PermissionRefused

from .actor import Actor, actor_for

M = TypeVar("M", bound=Model)

# Actions about the whole system rather than one row.
GLOBAL_RULES: dict[str, Callable[[Actor], bool]] = {
    # Every logged-in person may read the directory: names, departments, positions, work contact.
    "org.view": lambda a: a.authenticated,
    "org.manage": lambda a: a.is_hr or a.is_admin,
    "org.import": lambda a: a.is_hr or a.is_admin,
    "audit.view": lambda a: a.has("auditor") or a.is_admin,
    "roles.manage": lambda a: a.is_admin,
    "roles.view": lambda a: a.is_admin or a.has("auditor"),
    # Plans (§2): heads start plans for their departments; HR drafts frameworks.
    "plan.list": lambda a: a.authenticated,
    "plan.create": lambda a: a.is_head or a.is_hr or a.is_admin,
    "framework.view": lambda a: a.authenticated,
    "framework.create": lambda a: a.is_hr or a.is_admin,
    "meeting.record": lambda a: a.has("committee_deputy", "committee_leader"),
    "meeting.view": lambda a: a.is_committee or a.is_hr or a.is_admin,
}


def _employee_personal(actor: Actor, employee: Any) -> bool:
    if actor.is_hr or actor.is_admin:
        return True
    return actor.employee_id is not None and employee.pk == actor.employee_id


def _employee_personal_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.is_hr or actor.is_admin:
        return qs
    if actor.employee_id is None:
        return qs.none()
    return qs.filter(pk=actor.employee_id)


def _directory(actor: Actor, obj: Any) -> bool:
    return actor.authenticated


def _directory_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if actor.authenticated else qs.none()


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
    return plan.status in ("published", "superseded") and plan.department_id == actor.department_id


def _plan_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.is_hr or actor.is_committee or actor.is_admin:
        return qs
    mine = Q(department_id__in=actor.headed_department_ids)
    if actor.department_id is not None:
        mine |= Q(status__in=("published", "superseded"), department_id=actor.department_id)
    return qs.filter(mine)


OBJECT_RULES: dict[str, Callable[[Actor, Any], bool]] = {
    "plan.view": _plan_view,
    "plan.edit": lambda a, p: _heads(a, p) or a.is_hr or a.is_admin,
    "plan.submit": lambda a, p: _heads(a, p) or (a.is_hr and p.author_id == a.user_id),
    "plan.answer": lambda a, p: _heads(a, p) or p.author_id == a.user_id,
    "plan.new_version": lambda a, p: _heads(a, p) or a.is_hr or a.is_admin,
    "plan.hr_review": lambda a, p: a.is_hr and _not_author(a, p) and not _heads(a, p),
    "plan.deputy_review": lambda a, p: a.has("committee_deputy") and _not_author(a, p) and not _heads(a, p),
    "plan.committee_record": lambda a, p: a.has("committee_deputy", "committee_leader") and _not_author(a, p),
    "plan.leader_approve": lambda a, p: a.has("committee_leader") and _not_author(a, p) and not _heads(a, p),
    "framework.view": _directory,
    "framework.edit": lambda a, f: a.is_hr or a.is_admin,
    "framework.submit": lambda a, f: a.is_hr or a.is_admin,
    "framework.new_version": lambda a, f: a.is_hr or a.is_admin,
    "framework.deputy_review": lambda a, f: a.has("committee_deputy") and _not_author(a, f),
    "framework.committee_record": lambda a, f: (
        a.has("committee_deputy", "committee_leader") and _not_author(a, f)
    ),
    "framework.leader_approve": lambda a, f: a.has("committee_leader") and _not_author(a, f),
    "employee.view": _directory,
    "employee.view_personal": _employee_personal,
    "department.view": _directory,
    "position.view": _directory,
}

SCOPE_RULES: dict[str, Callable[[Actor, QuerySet[Any]], QuerySet[Any]]] = {
    "plan.view": _plan_view_scope,
    "framework.view": _directory_scope,
    "employee.view": _directory_scope,
    "employee.view_personal": _employee_personal_scope,
    "department.view": _directory_scope,
    "position.view": _directory_scope,
}


# Pay (§4, §10): the most confidential data. Pay officers (HR, finance, the committee leader
# and deputy, admin) see every line; everyone else only their own released lines. A head does
# not see others' pay (docs/decisions.md, "Pay access").
def _pay_officer(actor: Actor) -> bool:
    return actor.is_hr or actor.is_admin or actor.has("finance", "committee_leader", "committee_deputy")


def _pay_line_view(actor: Actor, line: Any) -> bool:
    if _pay_officer(actor):
        return True
    own = actor.employee_id is not None and line.employee_id == actor.employee_id
    return own and line.run.status == "released"


def _pay_line_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _pay_officer(actor):
        return qs
    if actor.employee_id is None:
        return qs.none()
    return qs.filter(employee_id=actor.employee_id, run__status="released")


GLOBAL_RULES |= {
    "pay.mine": lambda a: a.authenticated,
    "pay.export": _pay_officer,
    "pay_structure.view": _pay_officer,
    "pay_structure.manage": lambda a: a.is_hr or a.is_admin,
    "profit.view": _pay_officer,
    "profit.enter": lambda a: a.has("finance"),
    "bonus_run.view": _pay_officer,
    "bonus_run.compute": lambda a: a.is_hr or a.is_admin,
}
OBJECT_RULES |= {
    "profit.submit": lambda a, p: a.has("finance") and p.status == "draft",
    "profit.approve": lambda a, p: a.has("committee_leader") and p.entered_by_id != a.user_id,
    "profit.return": lambda a, p: a.has("committee_leader") and p.entered_by_id != a.user_id,
    "pay_plan.view": lambda a, plan: _pay_officer(a) or plan.department_id in a.headed_department_ids,
    "bonus_run.release": lambda a, run: a.is_hr or a.is_admin,
    "pay_line.view": _pay_line_view,
}
SCOPE_RULES |= {
    "pay_line.view": _pay_line_view_scope,
}


# Monthly pay (§4, §7): HR runs it (travel days, computing, releasing, adjustments); the
# committee or HR records department completion; HR or the committee propose rewards and
# penalties, the HR supervisor or the committee leader approve them, never their proposer;
# over a department's bonus pool only the committee leader releases, with a reason. A monthly
# pay line is read like an annual one: pay officers, or one's own line once released.
def _sanction_decide(actor: Actor, sanction: Any) -> bool:
    """Separation of duties: the HR supervisor or the committee leader, never the proposer."""
    return actor.has("hr_supervisor", "committee_leader") and sanction.proposed_by_id != actor.user_id


GLOBAL_RULES |= {
    "monthly_run.view": _pay_officer,
    "monthly_run.compute": lambda a: a.is_hr or a.is_admin,
    "travel.manage": lambda a: a.is_hr or a.is_admin,
    "completion.view": lambda a: _pay_officer(a) or a.is_committee,
    "completion.record": lambda a: a.is_hr or a.is_committee or a.is_admin,
    "sanction.view": lambda a: _pay_officer(a) or a.is_committee,
    "sanction.propose": lambda a: a.is_hr or a.is_committee or a.is_admin,
    "adjustment.record": lambda a: a.is_hr or a.is_admin,
}
OBJECT_RULES |= {
    "monthly_run.release": lambda a, run: a.is_hr or a.is_admin or a.has("committee_leader"),
    "monthly_run.release_over_budget": lambda a, run: a.has("committee_leader") or a.is_admin,
    "sanction.approve": _sanction_decide,
    "sanction.reject": _sanction_decide,
    "monthly_line.view": _pay_line_view,
}
SCOPE_RULES |= {
    "monthly_line.view": _pay_line_view_scope,
}


# Cycles (§3, §10): HR runs cycles; a member's manager and department head score them; peers
# and the committee where the plan asks; an employee sees their own result once published; a
# head their department's results; HR and the committee every result.
def _appraisal_reader(actor: Actor) -> bool:
    return actor.is_hr or actor.is_committee or actor.is_admin


def _own_member(actor: Actor, member: Any) -> bool:
    return actor.employee_id is not None and member.employee_id == actor.employee_id


def _manages_member(actor: Actor, member: Any) -> bool:
    if actor.employee_id is None or member.employee_id == actor.employee_id:
        return False
    return member.manager_id == actor.employee_id or member.department_id in actor.headed_department_ids


def _member_view(actor: Actor, member: Any) -> bool:
    return _appraisal_reader(actor) or _own_member(actor, member) or _manages_member(actor, member)


def _member_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _appraisal_reader(actor):
        return qs
    if actor.employee_id is None:
        return qs.none()
    team = Q(manager_id=actor.employee_id) | Q(department_id__in=actor.headed_department_ids)
    return qs.filter(Q(employee_id=actor.employee_id) | (team & ~Q(employee_id=actor.employee_id)))


RELEASED = ("published", "locked")


def _result_view(actor: Actor, result: Any) -> bool:
    if _appraisal_reader(actor):
        return True
    member = result.member
    if member.department_id in actor.headed_department_ids:
        return True
    return _own_member(actor, member) and result.cycle.state in RELEASED


def _result_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _appraisal_reader(actor):
        return qs
    visible = Q(member__department_id__in=actor.headed_department_ids)
    if actor.employee_id is not None:
        visible |= Q(member__employee_id=actor.employee_id, cycle__state__in=RELEASED)
    return qs.filter(visible)


GLOBAL_RULES |= {
    "cycle.list": lambda a: a.authenticated,
    "cycle.manage": lambda a: a.is_hr or a.is_admin,
    "cycle.verify": lambda a: a.has("committee_leader", "committee_deputy") or a.is_admin,
    "result.mine": lambda a: a.authenticated,
}
OBJECT_RULES |= {
    "cycle.view": lambda a, c: a.authenticated,
    "cycle.dashboard": lambda a, c: _appraisal_reader(a) or a.is_head,
    "cycle.actuals": lambda a, c: a.is_hr or a.is_admin or a.is_head,
    "member.view": _member_view,
    "member.enter_actuals": lambda a, m: a.is_hr or a.is_admin or _manages_member(a, m),
    "member.score_self": _own_member,
    "member.score_manager": _manages_member,
    "member.score_peer": lambda a, m: (
        a.department_id == m.department_id and not _own_member(a, m) and a.employee_id is not None
    ),
    "member.score_committee": lambda a, m: a.is_committee and not _own_member(a, m),
    "result.view": _result_view,
}
SCOPE_RULES |= {
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
    return _calibrator(actor) and not _own_member(actor, member) and not _manages_member(actor, member)


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
    "calibration.view": lambda a, c: _appraisal_reader(a),
    "calibration.move": _calibration_move,
}
SCOPE_RULES |= {
    "calibration.move": _calibration_move_scope,
}

# Integrity flags (§8 公正检查): HR and the committee read them (they name raters, scores and
# KPI shares, so heads and auditors do not; docs/decisions.md, "Integrity flags").
GLOBAL_RULES |= {
    "integrity.flags": _appraisal_reader,
}


# Department summaries, findings and rectification (§3 部门汇总, §6 整改): the head of the
# department writes its summary and answers its rectification items; HR checks, records
# findings and verifies (not for a department they head); the committee reads them.
def _heads_department(actor: Actor, row: Any) -> bool:
    return bool(row.department_id in actor.headed_department_ids)


def _department_review_view(actor: Actor, row: Any) -> bool:
    return _appraisal_reader(actor) or _heads_department(actor, row)


def _department_review_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _appraisal_reader(actor):
        return qs
    return qs.filter(department_id__in=actor.headed_department_ids)


def _hr_checker(actor: Actor, row: Any) -> bool:
    return (actor.is_hr or actor.is_admin) and not _heads_department(actor, row)


# Feedback interviews (§3 绩效面谈): the member's manager or head records it; the employee reads
# and acknowledges their own; HR and the committee read every one.
def _interview_view(actor: Actor, interview: Any) -> bool:
    return _member_view(actor, interview.member)


def _interview_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _appraisal_reader(actor):
        return qs
    if actor.employee_id is None:
        return qs.none()
    team = Q(member__manager_id=actor.employee_id) | Q(member__department_id__in=actor.headed_department_ids)
    mine = Q(member__employee_id=actor.employee_id)
    return qs.filter(mine | (team & ~mine))


GLOBAL_RULES |= {
    "rectification.list": lambda a: _appraisal_reader(a) or a.is_head,
}
OBJECT_RULES |= {
    "summary.view": _department_review_view,
    "summary.write": _heads_department,
    "summary.check": _hr_checker,
    "rectification.view": _department_review_view,
    "rectification.answer": _heads_department,
    "rectification.verify": _hr_checker,
    "interview.view": _interview_view,
    "interview.record": _manages_member,  # on the CycleMember
    "interview.acknowledge": lambda a, i: _own_member(a, i.member),
    # Release (结果开通): who sees a result whole, whatever the cycle releases to the employee.
    "result.view_full": lambda a, r: (
        _appraisal_reader(a) or r.member.department_id in a.headed_department_ids
    ),
}
SCOPE_RULES |= {
    "summary.view": _department_review_view_scope,
    "rectification.view": _department_review_view_scope,
    "interview.view": _interview_view_scope,
}


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Return whether ``user`` may do ``action`` (on ``obj`` for object actions). Unknown: no."""
    actor = actor_for(user)
    if obj is None:
        rule = GLOBAL_RULES.get(action)
        return bool(rule and rule(actor))
    object_rule = OBJECT_RULES.get(action)
    return bool(object_rule and object_rule(actor, obj))


def scope(user: Any, action: str, queryset: QuerySet[M]) -> QuerySet[M]:
    """Narrow ``queryset`` to the rows ``user`` may ``action``; nothing for an unknown action."""
    rule = SCOPE_RULES.get(action)
    if rule is None:
        return queryset.none()
    return rule(actor_for(user), queryset)


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise :class:`PermissionRefused` (403) unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionRefused()
