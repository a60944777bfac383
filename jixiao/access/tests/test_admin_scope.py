"""The system administrator manages accounts, roles and the organisation, and alone reads no
pay, score or result (SPEC §10); granted a finance or appraisal role, they read what it allows."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.access.actor import SYSTEM
from jixiao.access.models import Role, RoleGrant
from jixiao.access.policy import can

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["home", "org:departments", "org:employees", "org:employee_create", "access:roles"]
PAY_AND_SCORE_PAGES = ["pay:structures", "pay:profits", "pay:runs", "pay:monthly_runs", "pay:sanctions"]
READS = [
    "pay.export",
    "pay_structure.view",
    "profit.view",
    "bonus_run.view",
    "monthly_run.view",
    "sanction.view",
]


def test_admin_reaches_the_pages_of_accounts_roles_and_the_organisation(client_for: Any) -> None:
    client = client_for("admin")
    for name in [*ADMIN_PAGES, "integrity:audit_events"]:
        assert client.get(reverse(name)).status_code == 200, name


def test_admin_alone_is_refused_pay_pages_with_a_sentence_in_both_languages(client_for: Any) -> None:
    client = client_for("admin")
    for name in PAY_AND_SCORE_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 403, name
        page = response.content.decode()
        assert "没有权限" in page and "not allowed" in page


def test_admin_sees_no_pay_or_score_entry_in_the_navigation(client_for: Any) -> None:
    page = client_for("admin").get(reverse("home")).content.decode()
    for name in PAY_AND_SCORE_PAGES:
        assert f'href="{reverse(name)}"' not in page, name
    assert f'href="{reverse("access:roles")}"' in page


def test_admin_alone_may_not_read_pay_or_scores(personas: Any) -> None:
    admin = personas["admin"]
    assert not any(can(admin, action) for action in READS)
    assert not can(admin, "integrity.flags")
    assert not can(admin, "cycle.manage")


def test_admin_granted_finance_reads_pay(personas: Any) -> None:
    RoleGrant.objects.create(user=personas["admin"], role=Role.FINANCE)
    admin = type(personas["admin"]).objects.get(pk=personas["admin"].pk)
    assert all(can(admin, action) for action in READS)


def test_the_system_still_runs_every_job() -> None:
    assert all(
        can(SYSTEM, action) for action in [*READS, "cycle.manage", "monthly_run.compute", "bonus_run.compute"]
    )
