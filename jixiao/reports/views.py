"""The home page (工作台): what each role has to do, and where to go."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.access.actor import actor_for
from jixiao.org.models import Employee


def home(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    me = None
    if actor.employee_id is not None:
        me = Employee.objects.select_related("department", "position").filter(pk=actor.employee_id).first()
    return render(request, "reports/home.html", {"me": me})
