"""Improvement plan pages (thin: parse input → one service or selector → render)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from jixiao.common.errors import NotFound


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan page (being built: the contract functions come first)."""
    raise NotFound()
