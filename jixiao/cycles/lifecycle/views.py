"""Closing scoring from the web: queue the job, then show its progress (htmx polls the bar)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixiao.common.errors import JixiaoError

from . import closing, selectors


@require_POST
def close_start(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    try:
        closing.cycle_close_start(user=request.user, cycle=cycle)
    except JixiaoError as error:
        messages.error(request, error.text())
    return redirect("cycles:cycle_detail", pk=pk)


def close_progress(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    job = closing.close_job_latest(user=request.user, cycle=cycle)
    partial = getattr(request, "htmx", False)  # django-htmx sets it
    template = "cycles/_close_progress.html" if partial else "cycles/close_progress.html"
    return render(request, template, {"cycle": cycle, "job": job})
