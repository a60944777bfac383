"""Access to a plan's impact preview (方案影响预览, SPEC §5): who reviews or approves a plan version
sees what it would have done — HR, the committee — and the head of the plan's department (for
their own drafts: they see their department's results anyway). The preview shows money only to
whom pay is shown (``pay.py``: HR, the committee leader and deputy, finance; never a head, a
committee member without one of those roles, or the system administrator alone)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..actor import Actor
from .kinds import GlobalRule, ObjectRule, ScopeRule
from .pay import _pay_officer as pay_officer

# A pay plan has no indicators to preview; plans.models.Plan.Kind names the same value.
APPRAISAL = "appraisal"


def _reviewer(actor: Actor) -> bool:
    return actor.is_hr or actor.is_committee or actor.is_system


def _impact(actor: Actor, plan: Any) -> bool:
    if plan.kind != APPRAISAL:
        return False
    return _reviewer(actor) or plan.department_id in actor.headed_department_ids


def _impact_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    appraisal = qs.filter(kind=APPRAISAL)
    if _reviewer(actor):
        return appraisal
    return appraisal.filter(Q(department_id__in=actor.headed_department_ids))


GLOBAL_RULES: dict[str, GlobalRule] = {}
OBJECT_RULES: dict[str, ObjectRule] = {
    "plan.impact": _impact,
    "plan.impact_pay": lambda a, plan: _impact(a, plan) and pay_officer(a),
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "plan.impact": _impact_scope,
}
