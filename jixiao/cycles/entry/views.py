"""Manual entry of KPI actuals (手工录入): members × measures, saved cell by cell through
``views.actual_save`` (htmx), so the page and the endpoint share one service and one template."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def actuals_entry(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    department = request.GET.get("department", "")
    department_id = int(department) if department.isdigit() else None
    sheet = selectors.entry_sheet(user=request.user, cycle=cycle, department_id=department_id)
    return render(request, "cycles/entry.html", {"cycle": cycle, "sheet": sheet})
