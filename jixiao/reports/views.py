"""The home page (工作台): what each role has to do, and where to go."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/home.html", vars(selectors.home_page(user=request.user)))
