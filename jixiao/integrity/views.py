"""Integrity pages (§8): the audit log for auditors and administrators."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.access.policy import require
from jixiao.audit.selectors import audit_chain_verify, audit_events_recent


def event_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    page = Paginator(audit_events_recent(), 50).get_page(request.GET.get("page"))
    report = audit_chain_verify() if request.GET.get("verify") else None
    return render(request, "integrity/audit_events.html", {"page": page, "report": report})
