"""Send notifications: ``notify`` is the one way every app tells a person something.

Rows are written in the caller's transaction, so a refused or rolled-back step notifies nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jixiao.access.models import RoleGrant
from jixiao.engine.text import Text

from .models import Notification


def _user_id(who: Any) -> int | None:
    if who is None or getattr(who, "is_system", False):
        return None
    return int(who) if isinstance(who, int) else getattr(who, "pk", None)


def notify(
    *, recipients: Iterable[Any], kind: str, text: Text, link: str, exclude: Iterable[Any] = ()
) -> int:
    """Tell each of ``recipients`` (users or user ids; None and the system are skipped) ``text``
    with ``link``; nobody twice, never anyone in ``exclude`` (usually the person who acted).
    Return how many notifications were written."""
    skip = {_user_id(u) for u in exclude}
    ids = sorted({i for u in recipients if (i := _user_id(u)) is not None and i not in skip})
    rows = [
        Notification(
            recipient_id=i, kind=kind, text_zh=text.zh[:300], text_en=(text.en or text.zh)[:300], link=link
        )
        for i in ids
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def users_with_roles(*roles: str) -> list[int]:
    """The user ids holding any of ``roles`` (for "tell HR", "tell the deputy")."""
    return sorted(set(RoleGrant.objects.filter(role__in=roles).values_list("user_id", flat=True)))
