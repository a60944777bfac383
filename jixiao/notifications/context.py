"""Template context: the unread count in the top bar, on every page of a logged-in person.

The count is one query, made only when the page reads it (base.html does, once)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from .selectors import unread_count


class Unread:
    """The unread notifications of one user, counted on first use."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        return unread_count(self.user)


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": Unread(user)}
