"""Result pages (§3): a cycle's results, the user's own results and one result with its trace.
Thin views over ``selectors``."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from jixiao.audit.exports import export_download, export_refused
from jixiao.common.errors import JixiaoError

from . import exports, selectors


def results(request: HttpRequest, pk: int) -> HttpResponse:
    cycle, rows = selectors.results_page(user=request.user, pk=pk)
    return render(request, "cycles/results.html", {"cycle": cycle, "results": rows})


@require_POST
def results_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The results list in Excel; it names people, so it asks a reason (refused: the list again)."""

    def refused(error: JixiaoError) -> HttpResponse:
        cycle, rows = selectors.results_page(user=request.user, pk=pk)
        return export_refused(request, "cycles/results.html", {"cycle": cycle, "results": rows}, error)

    build = partial(exports.results_download, user=request.user, pk=pk)
    return export_download(request, build=build, personal=True, refused=refused)


def my_results(request: HttpRequest) -> HttpResponse:
    todo = request.GET.get("todo") == "1"  # only interviews to acknowledge (the home page's to-do)
    rows = selectors.my_results_page(user=request.user, todo=todo)
    return render(request, "cycles/my_results.html", {"results": rows, "todo": todo})


def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.result_page(user=request.user, pk=pk)
    return render(
        request, "cycles/result_detail.html", {"x": page.explained, "page": page, "review": page.review}
    )
