"""Login throttling: django-axes' database handler with a second limit per network address.

Axes locks a username+address pair after ``AXES_FAILURE_LIMIT`` failures (5, for 15 minutes).
That alone lets one address try one password against many usernames unhindered, so this handler
also locks an address that failed ``JIXIAO_LOGIN_ADDRESS_LIMIT`` times (20) within
``JIXIAO_LOGIN_ADDRESS_WINDOW`` (an hour), whatever the usernames. Failures are counted in axes'
own failure log (``AXES_ENABLE_ACCESS_FAILURE_LOG``), pruned here to the window.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_failure_limit
from axes.models import AccessFailureLog
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def address_limit() -> int:
    return int(getattr(settings, "JIXIAO_LOGIN_ADDRESS_LIMIT", 20))


def address_window() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "JIXIAO_LOGIN_ADDRESS_WINDOW", 1)))


def address_failures(ip_address: str | None) -> int:
    """Return how many logins failed from ``ip_address`` within the window (any username)."""
    if not ip_address:
        return 0
    since = timezone.now() - address_window()
    return int(AccessFailureLog.objects.filter(ip_address=ip_address, attempt_time__gte=since).count())


class LoginThrottle(AxesDatabaseHandler):  # type: ignore[misc]
    """Lock a username+address pair after 5 failures, and an address after 20 an hour."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        per_pair = int(super().get_failures(request, credentials))
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        if address_failures(address) >= address_limit():
            return max(per_pair, int(get_failure_limit(request, credentials)))
        return per_pair

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        AccessFailureLog.objects.filter(attempt_time__lt=timezone.now() - address_window()).delete()
