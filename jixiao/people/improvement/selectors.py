"""Improvement plans: reads (issue 13). One page selector per page, through ``access``;
``open_plan_employee_ids`` and ``open_plans_for`` serve other wings and pages (contract)."""

from __future__ import annotations

from collections.abc import Iterable

from .models import OPEN, ImprovementPlan


def open_plan_employee_ids() -> set[int]:
    """The employees with a plan not yet improved or closed (eligibility; no access check)."""
    return set(ImprovementPlan.objects.filter(state__in=OPEN).values_list("employee_id", flat=True))


def open_plans_for(employee_ids: Iterable[int]) -> dict[int, list[ImprovementPlan]]:
    """Each employee's open plans, newest first (for result and people pages; the caller has
    checked the reader may see these people's plans, or shows only that one exists)."""
    ids = {int(pk) for pk in employee_ids}
    found: dict[int, list[ImprovementPlan]] = {}
    if not ids:
        return found
    for plan in ImprovementPlan.objects.filter(employee_id__in=ids, state__in=OPEN).order_by("-pk"):
        found.setdefault(plan.employee_id, []).append(plan)
    return found
