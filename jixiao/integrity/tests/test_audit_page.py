"""The audit page names actions and objects in words (考核方案：人力资源部退回, 考核周期 2026-10),
never by code, in a number of queries that does not grow with the events on the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.audit.services import audit_record
from jixiao.cycles.tests.helpers import open_cycle

pytestmark = pytest.mark.django_db


def _queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("integrity:audit_events")).status_code == 200
    return len(captured.captured_queries)


def test_the_audit_page_shows_actions_and_objects_by_label(personas: Any, client_for: Any) -> None:
    cycle = open_cycle(personas)
    audit_record(actor=personas["hr"], action="plan.hr_return", obj=cycle, object_type="cycles.cycle")
    page = client_for("admin").get(reverse("integrity:audit_events")).content.decode()
    assert "考核方案：人力资源部退回" in page and f"考核周期 {cycle.label}" in page
    assert "plan.hr_return" not in page and "cycles.cycle" not in page


def test_the_audit_page_costs_the_same_queries_with_more_events(personas: Any, client_for: Any) -> None:
    cycle = open_cycle(personas)
    client = client_for("admin")
    audit_record(actor=personas["hr"], action="cycle.open", obj=cycle, object_type="cycles.cycle")
    few = _queries(client)
    for _ in range(20):
        audit_record(actor=personas["hr"], action="cycle.open", obj=cycle, object_type="cycles.cycle")
    assert _queries(client) <= few
