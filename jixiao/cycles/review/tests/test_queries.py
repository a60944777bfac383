"""The review pages read once: their query count does not grow with their rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.cycles.review.services import finding_record
from jixiao.cycles.tests.helpers import closed_cycle, summary_submitted
from jixiao.cycles.tests.more_people import add_people

pytestmark = pytest.mark.django_db


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_summary_page_query_count_does_not_grow_with_findings_or_people(
    personas: Any, client_for: Any
) -> None:
    cycle = closed_cycle(personas)
    summary = summary_submitted(personas, cycle)
    finding_record(
        user=personas["hr"], summary=summary, text="一", needs_rectification=True, due=dt.date(2026, 12, 1)
    )
    url = reverse("cycles:summary_detail", args=[cycle.pk, personas.department.pk])
    client = client_for("hr")
    client.get(url)
    few = _count(client, url)
    for n in range(5):
        finding_record(
            user=personas["hr"],
            summary=summary,
            text=f"发现 {n}",
            needs_rectification=n % 2 == 0,
            due=dt.date(2026, 12, 1),
        )
    add_people(cycle, 6)
    assert _count(client, url) == few


def test_the_rectifications_page_query_count_does_not_grow_with_items(personas: Any, client_for: Any) -> None:
    cycle = closed_cycle(personas)
    summary = summary_submitted(personas, cycle)
    finding_record(
        user=personas["hr"], summary=summary, text="一", needs_rectification=True, due=dt.date(2026, 12, 1)
    )
    url = reverse("cycles:rectifications")
    for name in ("hr", "head"):
        client = client_for(name)
        client.get(url)
        few = _count(client, url)
        for n in range(4):
            finding_record(
                user=personas["hr"],
                summary=summary,
                text=f"{name} {n}",
                needs_rectification=True,
                due=dt.date(2026, 12, 1),
            )
        assert _count(client, url) == few, name
