"""Rater analysis pages (评分者分析): thin — parse → one page selector → render, or the Excel
download (it names raters: a POST with a stated reason, audited through ``audit.exports``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from jixiao.audit.exports import Download, export_download, export_refused
from jixiao.common.errors import JixiaoError

from . import selectors

LIST = "integrity/raters.html"


@require_GET
def rater_list(request: HttpRequest) -> HttpResponse:
    page = selectors.rater_list_page(user=request.user, params=request.GET)
    return render(request, LIST, {"page": page}, status=page.status)


@require_http_methods(["GET", "POST"])
def rater_list_xlsx(request: HttpRequest) -> HttpResponse:
    page = selectors.rater_list_page(user=request.user, params=request.GET)
    if page.refusal is not None:
        raise JixiaoError(zh=page.refusal.zh, en=page.refusal.en)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    download = Download(
        page.title, page.sections, "raters.xlsx", "integrity.raters", page.scope, page.rows_count
    )
    refused = lambda error: export_refused(request, LIST, {"page": page}, error)  # noqa: E731
    return export_download(request, build=lambda: download, personal=True, refused=refused)


@require_GET
def rater_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.rater_detail_page(user=request.user, pk=pk, params=request.GET)
    if isinstance(found, selectors.RaterPage):
        return render(request, LIST, {"page": found}, status=found.status)
    return render(request, "integrity/rater_detail.html", {"detail": found, "page": found.page})
