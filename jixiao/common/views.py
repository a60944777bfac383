"""Helpers shared by thin views: one way to run a form through a service."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import JixiaoError
from .forms import add_refusal
from .validators import MAX_ID, parse_id


def form_through_service(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    save: Callable[[forms.BaseForm], Any],
    template: str,
    context: dict[str, Any],
    success: Callable[[Any], str],
    success_message: str,
) -> HttpResponse:
    """Validate ``form`` on POST, hand it to ``save`` (a service call), redirect on success.

    A refused save puts the service's problems on the form and re-renders it with the user's
    input intact, answering 400 (or 409 for a version conflict) rather than losing anything.
    """
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = save(form)
            except JixiaoError as error:
                add_refusal(form, error)
                return render(request, template, {**context, "form": form}, status=error.status)
            messages.success(request, success_message)
            return redirect(success(saved))
        return render(request, template, {**context, "form": form}, status=400)
    return render(request, template, {**context, "form": form})


def int_param(request: HttpRequest, name: str, *, maximum: int = MAX_ID) -> int | None:
    """A whole-number query parameter from 1 to ``maximum`` (an id by default), or None when
    absent, malformed (``1e30``, ``-1``, ``0x1``, ``²``) or out of range: a query parameter
    only narrows a page, so a bad one is ignored rather than refused."""
    try:
        value = parse_id(request.GET.get(name, "")[:20], field=name)
    except JixiaoError:
        return None
    return value if value <= maximum else None


def choice_param(request: HttpRequest, name: str, choices: Iterable[str], default: str) -> str:
    """A query parameter that must be one of ``choices``; anything else gives ``default``."""
    value = request.GET.get(name, default)
    return value if value in set(choices) else default


def next_url(request: HttpRequest, default: str) -> str:
    """The ``?next=`` address when it stays on this site (no open redirect), else ``default``."""
    target = request.GET.get("next", "")
    if (
        target
        and len(target) <= 2000
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
