"""The people decisions' hub page (成长与发展)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
def hub(request: HttpRequest) -> HttpResponse:
    return render(request, "people/hub.html", {"page": selectors.hub_page(user=request.user)})
