"""Logging in: audited, throttled after repeated failures, in Chinese by default."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axes.models import AccessFailureLog
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jixiao.audit.models import AuditEvent
from jixiao.demo.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_login_is_recorded_in_the_audit_log(personas: Any) -> None:
    response = Client().post(reverse("login"), {"username": "p_hr", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor_id=personas["hr"].pk).exists()


def test_a_wrong_password_gets_a_chinese_message_and_is_recorded(personas: Any) -> None:
    response = Client().post(reverse("login"), {"username": "p_hr", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed", object_id="p_hr").exists()


def test_five_failures_lock_the_account_even_against_the_right_password(personas: Any) -> None:
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "p_hr", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "p_hr", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_the_interface_switches_to_english(personas: Any, client_for: Any) -> None:
    client = client_for("hr")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("org:employees")).content.decode()
    assert "Employee directory" in page


def test_one_password_against_many_usernames_from_one_address_is_locked(personas: Any) -> None:
    """Twenty failures from one address within the hour lock it, whatever the usernames."""
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [
        client.post(reverse("login"), {"username": f"guess{i}", "password": "Spring2024!"}).status_code
        for i in range(25)
    ]
    assert statuses[:20] == [200] * 20
    assert statuses[20:] == [429] * 5
    # the right password for a real account is refused from that address too …
    locked = client.post(reverse("login"), {"username": "p_hr", "password": PASSWORD})
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    # … but another address logs in as usual
    other = Client(REMOTE_ADDR="198.51.100.9").post(
        reverse("login"), {"username": "p_hr", "password": PASSWORD}
    )
    assert other.status_code == 302


def test_address_failures_older_than_the_window_do_not_count(personas: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.8")
    for i in range(20):
        client.post(reverse("login"), {"username": f"guess{i}", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "p_hr", "password": PASSWORD}).status_code == 429
    AccessFailureLog.objects.update(attempt_time=timezone.now() - dt.timedelta(hours=2))
    assert client.post(reverse("login"), {"username": "p_hr", "password": PASSWORD}).status_code == 302
