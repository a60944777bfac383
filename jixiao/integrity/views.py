"""Integrity pages (§8): the audit log for auditors and administrators, and each cycle's
integrity flags (公正检查) for HR and the committee."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.access.policy import require
from jixiao.audit.selectors import audit_chain_verify, audit_events_recent
from jixiao.cycles.lifecycle.selectors import cycle_get

from . import selectors


def event_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    page = Paginator(audit_events_recent(), 50).get_page(request.GET.get("page"))
    report = audit_chain_verify() if request.GET.get("verify") else None
    return render(request, "integrity/audit_events.html", {"page": page, "report": report})


def flag_cycles(request: HttpRequest) -> HttpResponse:
    cycles = selectors.flag_cycles(user=request.user)
    return render(request, "integrity/flag_cycles.html", {"cycles": cycles})


def cycle_flags(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "integrity.flags")
    report = selectors.cycle_flags(user=request.user, cycle=cycle_get(user=request.user, pk=pk))
    return render(request, "integrity/cycle_flags.html", {"report": report})
