"""E-mail for notifications (optional): a background job mails each notification to its
recipient and stamps ``emailed_at``.

A mail carries the sentence in both languages and the link, nothing else: the sentences name no
score, grade or pay by contract, and the page behind the link checks access. The address is the
employee's work e-mail, else the login account's e-mail; a person with neither gets no mail.
A failure (server down, address refused) is logged here and leaves ``emailed_at`` empty; it never
reaches the request that caused the notification, which committed before the job ran.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django_tasks import task

from jixiao.common.labels import label_text

from .models import Notification

logger = logging.getLogger(__name__)

FOOTER = (
    "——\n"
    "绩效 Jixiao：本邮件由系统自动发送，不含考核结果或薪酬数据；请登录系统查看。\n"
    "Jixiao: sent automatically; it carries no results or pay. Sign in to read more.\n"
)


def _addresses(user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's address: the employee's work e-mail, else the account's e-mail."""
    rows = get_user_model().objects.filter(pk__in=set(user_ids)).values("pk", "email", "employee__work_email")
    found = {}
    for row in rows:
        address = (row["employee__work_email"] or row["email"] or "").strip()
        if address:
            found[row["pk"]] = address
    return found


def notification_message(notification: Notification, address: str) -> EmailMessage:
    """The mail for one notification: subject the kind's label, body the sentence and the link."""
    kind = label_text(notification.kind, "notification")
    link = f"{settings.JIXIAO_SITE_URL.rstrip('/')}{notification.link}"
    subject = f"[绩效 Jixiao] {kind.zh} / {kind.en or kind.zh}"
    body = f"{notification.text_zh}\n{notification.text_en}\n\n{link}\n\n{FOOTER}"
    return EmailMessage(subject=subject, body=body, to=[address])


def notifications_mail(pks: list[int]) -> int:
    """Mail the notifications ``pks`` not mailed yet over one SMTP connection; return how many
    were sent. Errors are logged, never raised."""
    pending = list(Notification.objects.filter(pk__in=pks, emailed_at__isnull=True).order_by("pk"))
    addresses = _addresses(n.recipient_id for n in pending)
    sendable = [n for n in pending if n.recipient_id in addresses]
    if not sendable:
        return 0
    sent: list[int] = []
    try:
        with get_connection(fail_silently=False) as connection:
            for notification in sendable:
                try:
                    connection.send_messages(
                        [notification_message(notification, addresses[notification.recipient_id])]
                    )
                except Exception:  # one refused address must not stop the others
                    logger.exception("notification %s: the mail was not sent", notification.pk)
                else:
                    sent.append(notification.pk)
    except Exception:  # the server is unreachable or refused the login
        logger.exception(
            "notification mail: no connection to %s:%s", settings.EMAIL_HOST, settings.EMAIL_PORT
        )
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent)


@task()
def notification_mail_task(pks: list[int]) -> int:
    """The worker's side of :func:`notifications_mail`."""
    return notifications_mail(pks)
