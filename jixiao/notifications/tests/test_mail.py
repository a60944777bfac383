"""E-mail for notifications, against a REAL SMTP server on loopback (aiosmtpd), not a mock: the
job queued after commit mails the sentence and the link, nothing confidential, and stamps the
row; a server that is down costs the step nothing; with e-mail off nothing is queued."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from jixiao.engine.text import Text
from jixiao.notifications.models import Notification
from jixiao.notifications.services import notify
from jixiao.org.models import Employee
from jixiao.pay.monthly import services as monthly
from jixiao.pay.monthly.tests.world import MONTH, ready_month

SITE = "https://jixiao.example.com"


class Mailbox:
    """What the SMTP server received: (envelope recipients, parsed message)."""

    def __init__(self) -> None:
        self.mails: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append((list(envelope.rcpt_tos), message_from_bytes(envelope.original_content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1 and the settings that turn e-mail on, pointed at it."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.JIXIAO_EMAIL_ENABLED = True
    settings.JIXIAO_SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "jixiao@example.com"
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def immediate(settings: Any) -> None:
    """Run each job as it is queued (what ``JIXIAO_TASKS_IMMEDIATE=1`` does)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


@pytest.mark.django_db
def test_released_pay_is_mailed_as_a_sentence_and_a_link_without_any_figure(
    personas: Any, smtp: Mailbox, immediate: None, django_capture_on_commit_callbacks: Any
) -> None:
    Employee.objects.filter(user=personas["employee"]).update(work_email="employee@example.com")
    personas["head"].email = "head@example.com"  # no work e-mail: the account's is used
    personas["head"].save()
    Employee.objects.filter(user=personas["head"]).update(work_email="")
    ready_month(personas)
    run = monthly.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        monthly.monthly_pay_run_release(
            user=personas["leader"], run=run, over_budget_reason="测试：超出奖金池照发"
        )
    by_address = {to[0]: message for to, message in smtp.mails}
    assert {"employee@example.com", "head@example.com"} <= set(by_address)
    mail = by_address["employee@example.com"]
    text = body(mail)
    assert f"{SITE}/pay/mine/" in text
    assert f"{MONTH} 的月度薪酬已发放" in text and f"Your pay for {MONTH} is released" in text
    assert mail["From"] == "jixiao@example.com"
    assert str(make_header(decode_header(mail["Subject"]))) == "[绩效 Jixiao] 薪酬已发放 / Pay released"
    line = run.lines.get(employee__user=personas["employee"])
    for figure in (
        line.total_fen,
        line.total_fen // 100,
        line.base_salary_fen // 100,
        line.monthly_bonus_fen // 100,
    ):
        assert str(figure) not in text
    for word in ("元", "yuan", "分", "score", "grade", "等级"):
        assert word not in text.replace("不含考核结果或薪酬数据", "")
    mailed = Notification.objects.filter(
        kind="pay.released", recipient__in=[personas["employee"], personas["head"]]
    )
    assert mailed.count() == 2 and not mailed.filter(emailed_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_person_with_no_address_is_not_mailed_and_stays_unstamped(
    personas: Any, smtp: Mailbox, immediate: None, django_capture_on_commit_callbacks: Any
) -> None:
    Employee.objects.filter(user=personas["colleague"]).update(work_email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[personas["colleague"]],
            kind="plan.returned",
            text=Text("测试", "Test"),
            link="/plans/",
        )
    assert smtp.mails == []
    assert Notification.objects.get(recipient=personas["colleague"], kind="plan.returned").emailed_at is None


@pytest.mark.django_db
def test_a_rolled_back_step_mails_nobody(
    personas: Any, smtp: Mailbox, immediate: None, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    Employee.objects.filter(user=personas["employee"]).update(work_email="employee@example.com")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipients=[personas["employee"]], kind="plan.returned", text=Text("测试"), link="/plans/")
        raise RuntimeError("the step is refused")
    assert callbacks == [] and smtp.mails == []


@pytest.mark.django_db
def test_a_server_that_is_down_fails_the_mail_not_the_step(
    personas: Any,
    smtp: Mailbox,
    immediate: None,
    settings: Any,
    caplog: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_PORT = free_port()  # nobody listens there
    Employee.objects.filter(user=personas["employee"]).update(work_email="employee@example.com")
    with (
        caplog.at_level(logging.ERROR, logger="jixiao.notifications.mail"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        written = notify(
            recipients=[personas["employee"]], kind="plan.returned", text=Text("测试"), link="/plans/"
        )
    assert written == 1
    row = Notification.objects.get(recipient=personas["employee"], kind="plan.returned")
    assert row.emailed_at is None
    assert "no connection" in caplog.text


@pytest.mark.django_db
def test_with_email_off_nothing_is_queued(
    personas: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.JIXIAO_EMAIL_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=[personas["employee"]], kind="plan.returned", text=Text("测试"), link="/plans/")
    assert callbacks == [] and not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks
def test_the_worker_sends_what_a_committed_step_queued(personas: Any, smtp: Mailbox) -> None:
    Employee.objects.filter(user=personas["employee"]).update(work_email="employee@example.com")
    notify(
        recipients=[personas["employee"]],
        kind="plan.returned",
        text=Text("方案已退回。", "Returned."),
        link="/plans/7/",
    )
    assert DBTaskResult.objects.count() == 1 and smtp.mails == []  # queued, not sent in the request
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    [(to, mail)] = smtp.mails
    assert (
        to == ["employee@example.com"] and f"{SITE}/plans/7/" in body(mail) and "方案已退回。" in body(mail)
    )
    assert (
        Notification.objects.get(recipient=personas["employee"], kind="plan.returned").emailed_at is not None
    )
