"""The cycle and result pages read once: their query count does not grow with the people."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.cycles.results.models import Result
from jixiao.cycles.tests.helpers import closed_cycle
from jixiao.cycles.tests.more_people import add_people

pytestmark = pytest.mark.django_db


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["cycles:cycle_detail", "cycles:results"])
def test_the_cycle_pages_cost_the_same_queries_with_more_people(
    personas: Any, client_for: Any, page: str
) -> None:
    cycle = closed_cycle(personas)
    url = reverse(page, args=[cycle.pk])
    client = client_for("hr")
    client.get(url)
    few = _count(client, url)
    add_people(cycle, 8)
    assert _count(client, url) == few


def test_the_result_page_costs_the_same_queries_with_more_people_in_the_cycle(
    personas: Any, client_for: Any
) -> None:
    cycle = closed_cycle(personas)
    result = Result.objects.filter(cycle=cycle).order_by("pk").first()
    assert result is not None
    url = reverse("cycles:result_detail", args=[result.pk])
    client = client_for("hr")
    client.get(url)
    few = _count(client, url)
    add_people(cycle, 8)
    assert _count(client, url) == few
