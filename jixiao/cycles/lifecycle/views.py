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
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    try:
        closing.cycle_close_start(user=request.user, cycle=cycle)
    except JixiaoError as error:
        messages.error(request, error.text())
    return redirect("cycles:cycle_detail", pk=pk)


def close_progress(request: HttpRequest, pk: int) -> HttpResponse:
    cycle, job, message = selectors.close_progress_page(user=request.user, pk=pk)
    partial = getattr(request, "htmx", False)  # django-htmx sets it
    template = "cycles/_close_progress.html" if partial else "cycles/close_progress.html"
    return render(request, template, {"cycle": cycle, "job": job, "message": message})
