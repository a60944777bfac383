"""Send notifications: ``notify`` is the one way every app tells a person something.

Rows are written in the caller's transaction, so a refused or rolled-back step notifies nobody.
When e-mail is on (``JIXIAO_EMAIL_HOST``), the new rows are mailed by a background job queued
after the transaction commits (:mod:`.mail`); a mail that fails never fails the step.

Reading a notification (marking it read) is the recipient's own business and is not audited:
the row itself says when it was read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser
from jixiao.access.models import RoleGrant
from jixiao.access.policy import scope
from jixiao.common.errors import JixiaoError, NotFound
from jixiao.engine.text import Text

from .models import Notification

BATCH = 2000  # rows a bulk insert writes at once (a cycle of 100,000 members: 50 inserts)
MAIL_BATCH = 200  # notifications one mail job sends


def _user_id(who: Any) -> int | None:
    if who is None or getattr(who, "is_system", False):
        return None
    return int(who) if isinstance(who, int) else getattr(who, "pk", None)


def internal_path(link: str) -> bool:
    """Whether ``link`` is a path inside this site (``/cases/appeals/12/``): no scheme, no host,
    no ``//`` or ``/\\`` that a browser would read as another host, no control characters."""
    return (
        isinstance(link, str)
        and 0 < len(link) <= 300
        and link.startswith("/")
        and not link.startswith(("//", "/\\"))
        and "\\" not in link
        and all(ch.isprintable() and not ch.isspace() for ch in link)
    )


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    text: Text,
    link: str,
    exclude: Iterable[Any] = (),
    key: str = "",
) -> int:
    """Tell each of ``recipients`` (users or user ids; None and the system are skipped) ``text``
    with ``link`` (a path inside the app); nobody twice, never anyone in ``exclude`` (usually the
    person who acted). ``key`` marks a notification that must be sent only once (see
    :func:`already_sent`). Return how many notifications were written."""
    if not internal_path(link):
        raise ValueError(f"a notification links inside the app, not to {link!r}")
    skip = {_user_id(u) for u in exclude}
    ids = sorted({i for u in recipients if (i := _user_id(u)) is not None and i not in skip})
    rows = [
        Notification(
            recipient_id=i,
            kind=kind,
            text_zh=text.zh[:300],
            text_en=(text.en or text.zh)[:300],
            link=link,
            key=key[:200],
        )
        for i in ids
    ]
    if not rows:
        return 0
    created = Notification.objects.bulk_create(rows, batch_size=BATCH)
    if settings.JIXIAO_EMAIL_ENABLED:
        _mail_after_commit([n.pk for n in created if n.pk is not None] or None, kind, link, ids)
    return len(rows)


def _mail_after_commit(pks: list[int] | None, kind: str, link: str, recipient_ids: list[int]) -> None:
    """Queue the mail job(s) once the caller's transaction commits (a rolled-back step mails
    nobody). ``bulk_create`` returns primary keys on PostgreSQL, SQLite and MariaDB ≥ 10.5; where
    it does not, the rows are found again by what they share."""
    from .mail import notification_mail_task

    def queue() -> None:
        found = pks
        if found is None:
            found = list(
                Notification.objects.filter(
                    kind=kind, link=link, recipient_id__in=recipient_ids, emailed_at__isnull=True
                ).values_list("pk", flat=True)
            )
        for start in range(0, len(found), MAIL_BATCH):
            notification_mail_task.enqueue(found[start : start + MAIL_BATCH])

    transaction.on_commit(queue, robust=True)


def already_sent(*, kind: str, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` a notification of ``kind`` was already sent with (one query)."""
    wanted = {k[:200] for k in keys if k}
    if not wanted:
        return set()
    return set(Notification.objects.filter(kind=kind, key__in=wanted).values_list("key", flat=True))


def users_with_roles(*roles: str) -> list[int]:
    """The user ids holding any of ``roles`` (for "tell HR", "tell the deputy")."""
    return sorted(set(RoleGrant.objects.filter(role__in=roles).values_list("user_id", flat=True)))


def notification_open(*, user: ActingUser, pk: int) -> str:
    """Mark ``user``'s notification ``pk`` read and return where it leads. Another person's
    notification is not found (404); a stored link that leaves the site is refused."""
    notification = scope(user, "notification.view", Notification.objects.all()).filter(pk=pk).first()
    if notification is None:
        raise NotFound()
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    if not internal_path(notification.link):
        raise JixiaoError(
            zh="该通知的链接不在本系统内，已拒绝跳转。",
            en="This notification links outside the system; not followed.",
            code="external_link",
        )
    return notification.link


def notifications_read_all(*, user: ActingUser) -> int:
    """Mark every unread notification of ``user`` read; return how many."""
    mine = scope(user, "notification.view", Notification.objects.all())
    return mine.filter(read_at__isnull=True).update(read_at=timezone.now())
