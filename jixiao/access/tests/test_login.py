"""Logging in: audited, throttled after repeated failures, in Chinese by default."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

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
