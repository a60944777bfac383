"""Form helpers shared by every app's views."""

from __future__ import annotations

from django import forms

from .errors import JixiaoError


def add_refusal(form: forms.BaseForm, error: JixiaoError) -> None:
    """Put a service's refusal on ``form``, so the page re-renders with the user's input kept:
    the error's message, then each of its problems with its place (sheet, row, column, field),
    as form-wide errors in the request's language."""
    form.add_error(None, error.text())
    for problem in error.problems:
        form.add_error(None, problem.text())
