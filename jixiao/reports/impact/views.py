"""The impact preview's pages: thin (parse → the page selector → render)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from jixiao.audit.exports import export_download, export_refused

from . import selectors

PAGE = "impact/plan_impact.html"


@require_GET
def plan_impact(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.impact_page(user=request.user, pk=pk, n=request.GET.get("n"))
    return render(request, PAGE, {"page": page}, status=page.status)


@require_GET
def plan_impact_section(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the preview the plan page loads into its own section (htmx)."""
    page = selectors.impact_page(user=request.user, pk=pk, n=request.GET.get("n"))
    return render(request, "impact/_plan_section.html", {"page": page}, status=page.status)


@require_POST
def plan_impact_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview as an Excel workbook: it names people, so a reason is asked and audited."""
    page = selectors.impact_page(user=request.user, pk=pk, n=request.GET.get("n"))
    if page.error:
        return render(request, PAGE, {"page": page}, status=page.status)
    refused = lambda error: export_refused(request, PAGE, {"page": page}, error)  # noqa: E731
    return export_download(request, build=page.download, personal=True, refused=refused)
