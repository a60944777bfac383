"""The plan and framework pages read in a number of queries that does not grow with their
indicators, comments, revisions or history."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.audit.services import audit_record
from jixiao.plans.models import Plan, ReviewComment, Revision

pytestmark = pytest.mark.django_db


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _grow_plan(personas: Any, plan: Plan, rows: int, comments: int) -> None:
    indicators = plan.content["indicators"]
    extra = [{**indicators[i % len(indicators)], "key": f"k{len(indicators) + i}"} for i in range(rows)]
    Plan.objects.filter(pk=plan.pk).update(content={**plan.content, "indicators": indicators + extra})
    plan.refresh_from_db()
    for i in range(comments):
        key = plan.content["indicators"][i % len(plan.content["indicators"])]["key"]
        ReviewComment.objects.create(plan=plan, round=1, indicator_key=key, text="x", author=personas["hr"])
        Revision.objects.create(plan=plan, round=i + 1, content=plan.content, submitted_by=personas["head"])
        audit_record(actor=personas["head"], action="plan.edit", obj=plan, reason=f"r{i}")


@pytest.mark.parametrize("who", ["head", "hr", "deputy"])
def test_the_plan_page_reads_the_same_number_of_queries_for_more_rows_and_comments(
    personas: Any, client_for: Any, who: str
) -> None:
    plan = personas.plans["draft"]
    client = client_for(who)
    url = reverse("plans:plan_detail", args=[plan.pk])
    client.get(url)
    _grow_plan(personas, plan, rows=1, comments=2)
    small = _queries(client, url)
    _grow_plan(personas, plan, rows=12, comments=20)
    assert _queries(client, url) == small
    assert small <= 14


def test_the_framework_page_reads_the_same_number_of_queries_for_more_history(
    personas: Any, client_for: Any
) -> None:
    framework = personas.plans["framework"]
    client = client_for("hr")
    url = reverse("plans:framework_detail", args=[framework.pk])
    client.get(url)
    small = _queries(client, url)
    for i in range(15):
        Revision.objects.create(framework=framework, round=i + 1, content={}, submitted_by=personas["hr"])
        audit_record(actor=personas["hr"], action="framework.edit", obj=framework, reason=f"r{i}")
    assert _queries(client, url) == small
    assert small <= 10
