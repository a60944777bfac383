"""Cycle pages (§3): the list, creating and opening a cycle, the cycle page with its next steps,
and closing scoring as a background job (htmx polls its progress bar). Thin views over
``selectors`` and ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.access.policy import can, require
from jixiao.common.errors import JixiaoError
from jixiao.common.views import form_through_service

from . import closing, selectors, services
from .forms import CycleForm


def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = selectors.cycle_list(user=request.user)
    return render(
        request, "cycles/cycle_list.html", {"cycles": cycles, "can_manage": can(request.user, "cycle.manage")}
    )


@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "cycle.manage")

    def save(form: Any) -> Any:
        d = form.cleaned_data
        deadlines = {"open": d["scoring_deadline"].isoformat()} if d["scoring_deadline"] else {}
        cycle = services.cycle_create(
            user=request.user,
            label=d["label"],
            kind=d["kind"],
            start=d["start"],
            end=d["end"],
            departments=list(d["departments"]),
            deadlines=deadlines,
        )
        return services.cycle_open(user=request.user, cycle=cycle)

    return form_through_service(
        request,
        form=CycleForm(request.POST or None),
        save=save,
        template="cycles/cycle_form.html",
        context={},
        success=lambda c: f"/cycles/{c.pk}/",
        success_message=_("周期已开始录入与评分。"),
    )


def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.cycle_page(user=request.user, pk=pk, today=timezone.localdate())
    return render(request, "cycles/cycle_detail.html", {"page": page, "cycle": page.cycle})


@require_POST
def cycle_transition(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    try:
        services.cycle_transition(user=request.user, cycle=cycle, action=request.POST.get("action", ""))
    except JixiaoError as error:
        messages.error(request, error.text())
    return redirect("cycles:cycle_detail", pk=pk)


@require_POST
def close_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start closing scoring; a refusal (missing data, no reason for an early close) shows the
    close page with the message and the list of who lacks what, and nothing closes."""
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    reason = request.POST.get("reason", "")[:2000]
    try:
        closing.cycle_close_start(user=request.user, cycle=cycle, reason=reason)
    except JixiaoError as error:
        page = selectors.close_page(user=request.user, pk=pk)
        context = {
            "page": page,
            "cycle": page.cycle,
            "job": page.job,
            "error": error.text(),
            "reason": reason,
        }
        return render(request, "cycles/close_progress.html", context, status=error.status)
    return redirect("cycles:cycle_detail", pk=pk)


def close_progress(request: HttpRequest, pk: int) -> HttpResponse:
    if getattr(request, "htmx", False):  # django-htmx sets it: the progress bar polling
        cycle, job, message = selectors.close_progress_page(user=request.user, pk=pk)
        return render(
            request, "cycles/_close_progress.html", {"cycle": cycle, "job": job, "message": message}
        )
    page = selectors.close_page(user=request.user, pk=pk)
    context = {"page": page, "cycle": page.cycle, "job": page.job, "message": page.message}
    return render(request, "cycles/close_progress.html", context)
