"""The persona improvement plan: the head starts one for the employee after their 2026-08
result, with a goal, a support and a review date (drafted, not yet acknowledged)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jixiao.cycles.results.models import Result
from jixiao.people.improvement.models import ImprovementPlan
from jixiao.people.improvement.services import goal_add, improvement_plan_start, review_add, support_add


def result_of(p: Any, name: str = "employee", label: str = "2026-08") -> Result:
    return Result.objects.get(cycle__label=label, member__employee=p.employees[name])


def drafted(p: Any, *, review_in_days: int = 14) -> ImprovementPlan:
    """The employee's plan by their head, with a goal, coaching and one review date."""
    existing = ImprovementPlan.objects.filter(source="world:persona").first()
    if existing is not None:
        return existing
    head = p["head"]
    plan = improvement_plan_start(
        user=head, employee_id=p.employees["employee"].pk, result_ids=[result_of(p).pk],
        reason="希望在客户回访上更有把握", source="world:persona",
    )  # fmt: skip
    today = timezone.localdate()
    plan = goal_add(
        user=head,
        plan=plan,
        text="每周回访 10 位客户",
        measure="回访记录",
        target_date=today + dt.timedelta(days=60),
    )
    plan = support_add(user=head, plan=plan, kind="coaching", text="每两周与主管一对一辅导")
    return review_add(user=head, plan=plan, due=today + dt.timedelta(days=review_in_days))
