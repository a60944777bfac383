"""Result pages (§3): a cycle's results, the user's own results and one result with its trace.
Thin views over ``selectors``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def results(request: HttpRequest, pk: int) -> HttpResponse:
    cycle, rows = selectors.results_page(user=request.user, pk=pk)
    return render(request, "cycles/results.html", {"cycle": cycle, "results": rows})


def my_results(request: HttpRequest) -> HttpResponse:
    return render(
        request, "cycles/my_results.html", {"results": selectors.my_results_page(user=request.user)}
    )


def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.result_page(user=request.user, pk=pk)
    return render(
        request, "cycles/result_detail.html", {"x": page.explained, "page": page, "review": page.review}
    )
