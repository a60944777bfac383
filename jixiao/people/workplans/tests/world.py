"""Work plans for tests and the access matrix, made through the services as the people who act."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jixiao.people.workplans import services
from jixiao.people.workplans.models import WorkItem, WorkPlan


def item_data(p: Any, who: str = "employee", **changes: Any) -> dict[str, Any]:
    data = {
        "task": "组织年度考核培训",
        "detail": "覆盖全部部门负责人。",
        "owner": p.employees[who].pk,
        "due": timezone.localdate() + dt.timedelta(days=30),
        "cycle_ids": [],
        "training_ids": [],
    }
    return {**data, **changes}


def draft_plan(p: Any, period: str = "2026", *, items: int = 1, owner: str = "employee") -> WorkPlan:
    """A draft plan by HR (the persona ``hr``) with ``items`` items owned by ``owner`` (the plan of
    ``period`` when there is one already: the access matrix asks several times in one database)."""
    existing = WorkPlan.objects.filter(period=period).first()
    if existing is not None:
        return existing
    kind = "year" if len(period) == 4 else "quarter" if "Q" in period else "month"
    plan = services.workplan_create(
        user=p["hr"], data={"kind": kind, "period": period, "title": "考核工作计划", "goals": "按时完成。"}
    )
    for n in range(items):
        services.workitem_create(user=p["hr"], plan=plan, data=item_data(p, owner, task=f"事项 {n + 1}"))
    plan.refresh_from_db()
    return plan


def approved_plan(p: Any, period: str = "2026", **kwargs: Any) -> WorkPlan:
    """A plan HR wrote and the HR supervisor approved."""
    plan = draft_plan(p, period, **kwargs)
    if not plan.is_draft:
        return plan
    return services.workplan_approve(user=p["hrsup"], plan=plan, expected_version=plan.version)


def first_item(plan: WorkPlan) -> WorkItem:
    return plan.items.order_by("pk").first()  # type: ignore[return-value]
