"""Helpers shared by thin views: one way to run a form through a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import JixiaoError
from .forms import add_refusal


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


def int_param(request: HttpRequest, name: str) -> int | None:
    """Return a positive integer query parameter, or None when absent or malformed."""
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None
