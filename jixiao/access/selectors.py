"""Read logins and their roles for the role administration page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .actor import ActingUser
from .policy import can, require


@dataclass
class RolePage:
    """What the role page shows: every login with its roles, and whether the reader may change them."""

    users: QuerySet[Any]
    can_manage: bool


def role_page(*, user: ActingUser) -> RolePage:
    require(user, "roles.view")
    users = get_user_model().objects.prefetch_related("role_grants").select_related("employee")
    return RolePage(users=users.order_by("username"), can_manage=can(user, "roles.manage"))


def account_by_username(*, user: ActingUser, username: str) -> Any:
    """The login named ``username``, or None (for administrators changing roles)."""
    require(user, "roles.manage")
    return get_user_model().objects.filter(username=username).first()
