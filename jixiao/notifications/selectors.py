"""Reads of notifications, always through ``access``: a person reads only their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require, scope

from .models import Notification

PER_PAGE = 30


@dataclass
class NotificationPage:
    page: Page[Notification]
    unread: int
    unread_only: bool = False


def mine(user: ActingUser) -> Any:
    """The notifications of ``user``, newest first."""
    return scope(user, "notification.view", Notification.objects.all()).order_by("-created_at", "-pk")


def unread_count(user: ActingUser) -> int:
    """How many notifications ``user`` has not read (one COUNT on the recipient/unread index)."""
    return int(mine(user).filter(read_at__isnull=True).count())


def notification_page(*, user: ActingUser, page: Any, unread_only: bool = False) -> NotificationPage:
    """The notification centre: mine, newest first, ``PER_PAGE`` a page; ``unread_only``: only
    those not yet read (the home page's to-do counts these: ``unread_count``)."""
    require(user, "notification.list")
    rows = mine(user).filter(read_at__isnull=True) if unread_only else mine(user)
    shown = Paginator(rows, PER_PAGE).get_page(page)
    return NotificationPage(shown, unread_count(user), unread_only)
