"""Integrity pages (§8): the audit log for auditors and administrators, and each cycle's
integrity flags (公正检查) for HR and the committee."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.access.policy import require
from jixiao.cycles.lifecycle.selectors import cycle_get

from . import selectors


def event_list(request: HttpRequest) -> HttpResponse:
    audit = selectors.audit_page(
        user=request.user, page=request.GET.get("page"), verify=bool(request.GET.get("verify"))
    )
    return render(
        request,
        "integrity/audit_events.html",
        {"page": audit.page, "rows": audit.rows, "report": audit.report},
    )


def flag_cycles(request: HttpRequest) -> HttpResponse:
    cycles = selectors.flag_cycles(user=request.user)
    return render(request, "integrity/flag_cycles.html", {"cycles": cycles})


def cycle_flags(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "integrity.flags")
    report = selectors.cycle_flags(user=request.user, cycle=cycle_get(user=request.user, pk=pk))
    return render(request, "integrity/cycle_flags.html", {"report": report})
