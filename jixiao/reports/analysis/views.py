"""Analysis pages (统计分析): thin — parse → one page selector → render, or its Excel download.

A refused filter shows the page with the refusal (400). A download naming people (a person's
trend other than one's own, the KPI values per person) is a POST with a stated reason and is
audited (``audit.exports``); the others are plain links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from jixiao.audit.exports import Download, export_download, export_refused
from jixiao.common.errors import JixiaoError

from . import selectors

PAGE = "analysis/page.html"


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "analysis/index.html", {"page": selectors.index_page(user=request.user)})


def _show(request: HttpRequest, select: Callable[..., selectors.AnalysisPage], **kwargs: Any) -> HttpResponse:
    page = select(user=request.user, params=request.GET, **kwargs)
    return render(request, PAGE, {"page": page}, status=page.status)


def _download(
    request: HttpRequest, select: Callable[..., selectors.AnalysisPage], **kwargs: Any
) -> HttpResponse:
    page = select(user=request.user, params=request.GET, **kwargs)
    if page.refusal is not None:
        raise JixiaoError(zh=page.refusal.zh, en=page.refusal.en)
    if page.personal and request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    download = Download(
        page.title,
        page.sections,
        f"analysis-{page.kind}.xlsx",
        f"analysis.{page.kind}",
        page.scope,
        page.rows,
    )
    refused = lambda error: export_refused(request, PAGE, {"page": page}, error)  # noqa: E731
    return export_download(request, build=lambda: download, personal=page.personal, refused=refused)


@require_GET
def trend(request: HttpRequest) -> HttpResponse:
    return _show(request, selectors.trend_page)


@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    return _show(request, selectors.person_page, pk=pk)


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return _show(request, selectors.person_page, pk=None)


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    return _show(request, selectors.compare_page)


@require_GET
def kpi(request: HttpRequest) -> HttpResponse:
    return _show(request, selectors.kpi_page)


@require_GET
def team(request: HttpRequest) -> HttpResponse:
    return _show(request, selectors.team_page)


@require_GET
def drift(request: HttpRequest) -> HttpResponse:
    return _show(request, selectors.drift_page)


@require_http_methods(["GET", "POST"])
def download(request: HttpRequest, kind: str) -> HttpResponse:
    return _download(request, DOWNLOADS[kind])


@require_http_methods(["GET", "POST"])
def person_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, selectors.person_page, pk=pk)


@require_http_methods(["GET", "POST"])
def mine_download(request: HttpRequest) -> HttpResponse:
    return _download(request, selectors.person_page, pk=None)


DOWNLOADS: dict[str, Callable[..., selectors.AnalysisPage]] = {
    "trend": selectors.trend_page,
    "compare": selectors.compare_page,
    "kpi": selectors.kpi_page,
    "team": selectors.team_page,
    "drift": selectors.drift_page,
}
