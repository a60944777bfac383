"""Access to 干部考核与晋升 (issue 13; SPEC §10): cadre eligibility, nominations, the committee's
evaluation, the leader's approval, potential ratings and the nine-box grid; and who records a
position change (任职记录).

- Eligibility and a person's trace: HR and the committee for everyone; a head for the people of
  the departments they head (never themselves).
- A nomination: HR, the committee and the head who made it — never the nominee, whatever their
  role; its evaluations HR and the committee only. Once decided (approved or rejected) the nominee reads the outcome only, never the
  evaluations.
- Scoring: a committee member who is not the nominee, not in the nominee's reporting line, not
  the nominator (``barred``, kept by the services) and declared no conflict (``conflicted``).
- Deciding: the leader (the deputy when every leader is barred), never the nominee, the nominator
  or someone who declared a conflict.
- Potential ratings and the nine-box grid: the committee and HR only, never about themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..actor import Actor
from ..models import Role
from .kinds import GlobalRule, ObjectRule, ScopeRule

DECIDED = ("approved", "rejected")
OPEN = ("evaluating", "evaluated")


def _reader(actor: Actor) -> bool:
    """HR and the committee read every cadre's appraisal history (and the system)."""
    return actor.is_hr or actor.is_committee or actor.is_system


def _self(actor: Actor, employee: Any) -> bool:
    return actor.employee_id is not None and employee.pk == actor.employee_id


def _trace(actor: Actor, employee: Any) -> bool:
    if _reader(actor):
        return True
    return employee.department_id in actor.headed_department_ids and not _self(actor, employee)


def _trace_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _reader(actor):
        return qs
    return qs.filter(department_id__in=actor.headed_department_ids).exclude(pk=actor.employee_id)


def _nominate(actor: Actor, employee: Any) -> bool:
    """A head nominates a person of a department they head (not themselves; not one who left)."""
    if employee.status == "left" or _self(actor, employee):
        return False
    return employee.department_id in actor.headed_department_ids


def _nominate_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    mine = qs.filter(department_id__in=actor.headed_department_ids).exclude(status="left")
    return mine.exclude(pk=actor.employee_id)


def _nominee(actor: Actor, nomination: Any) -> bool:
    return actor.employee_id is not None and nomination.nominee_id == actor.employee_id


def _nominator(actor: Actor, nomination: Any) -> bool:
    return actor.user_id is not None and nomination.nominated_by_id == actor.user_id


def _nomination_view(actor: Actor, nomination: Any) -> bool:
    if _nominee(actor, nomination):
        return False
    return _reader(actor) or _nominator(actor, nomination)


def _nomination_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.user_id is None:
        return qs.none()
    seen = qs if _reader(actor) else qs.filter(nominated_by_id=actor.user_id)
    return seen.exclude(nominee_id=actor.employee_id) if actor.employee_id is not None else seen


def _evaluations(actor: Actor, nomination: Any) -> bool:
    """The committee's evaluations: HR and the committee (the nominating head reads the nomination
    and its state, not how each member scored it)."""
    return _reader(actor) and not _nominee(actor, nomination)


def _outcome(actor: Actor, nomination: Any) -> bool:
    return _nominee(actor, nomination) and nomination.state in DECIDED


def _outcome_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if actor.employee_id is None:
        return qs.none()
    return qs.filter(nominee_id=actor.employee_id, state__in=DECIDED)


def _score(actor: Actor, nomination: Any) -> bool:
    if not actor.is_committee or _nominee(actor, nomination) or _nominator(actor, nomination):
        return False
    if actor.employee_id is not None and actor.employee_id in nomination.barred:
        return False
    return actor.user_id not in nomination.conflicted


def _declare(actor: Actor, nomination: Any) -> bool:
    return actor.is_committee and not _nominee(actor, nomination) and nomination.state in OPEN


def _close(actor: Actor, nomination: Any) -> bool:
    """HR, the leader or the deputy end the evaluation (or reopen it) — not on their own nomination."""
    if _nominee(actor, nomination) or _nominator(actor, nomination):
        return False
    return actor.is_hr or actor.has(Role.COMMITTEE_LEADER, Role.COMMITTEE_DEPUTY) or actor.is_system


def _decide(actor: Actor, nomination: Any) -> bool:
    """The leader decides; the deputy only when every leader is barred."""
    if _nominee(actor, nomination) or _nominator(actor, nomination):
        return False
    if actor.user_id in nomination.conflicted:
        return False
    if nomination.leader_barred:
        return actor.has(Role.COMMITTEE_DEPUTY) or actor.is_system
    return actor.has(Role.COMMITTEE_LEADER) or actor.is_system


def _potential_view(actor: Actor, rating: Any) -> bool:
    return _reader(actor) and not (actor.employee_id is not None and rating.employee_id == actor.employee_id)


def _potential_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if not _reader(actor):
        return qs.none()
    return qs.exclude(employee_id=actor.employee_id) if actor.employee_id is not None else qs


def _potential_rate(actor: Actor, employee: Any) -> bool:
    return (actor.is_committee or actor.is_system) and not _self(actor, employee)


GLOBAL_RULES: dict[str, GlobalRule] = {
    # HR records a change of post by hand; the leader's (or deputy's) approval of a promotion records one.
    "position_change.record": lambda a: (
        a.is_hr or a.is_admin or a.has(Role.COMMITTEE_LEADER, Role.COMMITTEE_DEPUTY)
    ),
    "cadre.eligibility": lambda a: _reader(a) or a.is_head,
    "cadre_rule.manage": lambda a: a.is_hr or a.is_system,
    "nomination.list": lambda a: _reader(a) or a.is_head,
    "nomination.mine": lambda a: a.authenticated,
    "talent.view": _reader,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "cadre.trace": _trace,  # on the Employee
    "cadre.nominate": _nominate,  # on the Employee
    "cadre.potential": _potential_rate,  # on the Employee: rate their potential
    "nomination.view": _nomination_view,
    "nomination.outcome": _outcome,
    "nomination.evaluations": _evaluations,
    "nomination.score": _score,
    "nomination.declare": _declare,
    "nomination.close": _close,
    "nomination.decide": _decide,
    "nomination.withdraw": _nominator,
    "potential.view": _potential_view,
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "cadre.trace": _trace_scope,
    "cadre.nominate": _nominate_scope,
    "nomination.view": _nomination_view_scope,
    "nomination.outcome": _outcome_scope,
    "potential.view": _potential_view_scope,
}
