"""Access to pay (§4, §7, §10): the most confidential data."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..actor import Actor
from .kinds import GlobalRule, ObjectRule, ScopeRule

# Pay run and net-profit states these rules read. Access sits below pay and cannot import its
# models; the wings' state sets name the same states (test_state_sets_match checks it).
PAY_RUN_RELEASED = "released"
PROFIT_DRAFT = "draft"


# Pay (§4, §10): the most confidential data. Pay officers (HR, finance, the committee leader
# and deputy, and the system running commands) see every line; everyone else only their own
# released lines. A head does not see others' pay (docs/decisions.md, "Pay access"); nor does
# the system administrator without one of those roles (§10: admin manages accounts and roles).
def _pay_officer(actor: Actor) -> bool:
    return actor.is_hr or actor.is_system or actor.has("finance", "committee_leader", "committee_deputy")


def _pay_line_view(actor: Actor, line: Any) -> bool:
    if _pay_officer(actor):
        return True
    own = actor.employee_id is not None and line.employee_id == actor.employee_id
    return own and line.run.status == PAY_RUN_RELEASED


def _pay_line_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _pay_officer(actor):
        return qs
    if actor.employee_id is None:
        return qs.none()
    return qs.filter(employee_id=actor.employee_id, run__status=PAY_RUN_RELEASED)


GLOBAL_RULES: dict[str, GlobalRule] = {
    "pay.mine": lambda a: a.authenticated,
    "pay.export": _pay_officer,
    "pay_structure.view": _pay_officer,
    "pay_structure.manage": lambda a: a.is_hr or a.is_system,
    "profit.view": _pay_officer,
    "profit.enter": lambda a: a.has("finance"),
    "bonus_run.view": _pay_officer,
    "bonus_run.compute": lambda a: a.is_hr or a.is_system,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "profit.submit": lambda a, p: a.has("finance") and p.status == PROFIT_DRAFT,
    "profit.approve": lambda a, p: a.has("committee_leader") and p.entered_by_id != a.user_id,
    "profit.return": lambda a, p: a.has("committee_leader") and p.entered_by_id != a.user_id,
    "pay_plan.view": lambda a, plan: _pay_officer(a) or plan.department_id in a.headed_department_ids,
    "bonus_run.release": lambda a, run: a.is_hr or a.is_system,
    "pay_line.view": _pay_line_view,
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "pay_line.view": _pay_line_view_scope,
}


# Monthly pay (§4, §7): HR runs it (travel days, computing, releasing, adjustments); the
# committee or HR records department completion; HR or the committee propose rewards and
# penalties, the HR supervisor or the committee leader approve them, never their proposer nor
# the person concerned;
# over a department's bonus pool only the committee leader releases, with a reason. A monthly
# pay line is read like an annual one: pay officers, or one's own line once released.
def _sanction_decide(actor: Actor, sanction: Any) -> bool:
    """Separation of duties: the HR supervisor or the committee leader, never the proposer nor
    the person the reward or penalty concerns."""
    return (
        actor.has("hr_supervisor", "committee_leader")
        and sanction.proposed_by_id != actor.user_id
        and (actor.employee_id is None or sanction.employee_id != actor.employee_id)
    )


GLOBAL_RULES |= {
    "monthly_run.view": _pay_officer,
    "monthly_run.compute": lambda a: a.is_hr or a.is_system,
    "travel.manage": lambda a: a.is_hr or a.is_system,
    "completion.view": lambda a: _pay_officer(a) or a.is_committee,
    "completion.record": lambda a: a.is_hr or a.is_committee or a.is_system,
    "sanction.view": lambda a: _pay_officer(a) or a.is_committee,
    "sanction.propose": lambda a: a.is_hr or a.is_committee or a.is_system,
    "adjustment.record": lambda a: a.is_hr or a.is_system,
}
OBJECT_RULES |= {
    "monthly_run.release": lambda a, run: a.is_hr or a.is_system or a.has("committee_leader"),
    "monthly_run.release_over_budget": lambda a, run: a.has("committee_leader") or a.is_system,
    "sanction.approve": _sanction_decide,
    "sanction.reject": _sanction_decide,
    "monthly_line.view": _pay_line_view,
}
SCOPE_RULES |= {
    "monthly_line.view": _pay_line_view_scope,
}
