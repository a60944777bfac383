"""Complete data before results: under the framework's ``block`` policy a cycle does not close
while measured data is missing, the close page lists who lacks what, and a cycle whose period
has not ended closes only with a stated reason (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError
from jixiao.cycles.entry.services import actual_set
from jixiao.cycles.lifecycle import services
from jixiao.cycles.lifecycle.guards import data_gaps
from jixiao.cycles.lifecycle.models import Cycle, CyclePlan
from jixiao.cycles.results.models import Result
from jixiao.cycles.tests.helpers import member_of, open_cycle

pytestmark = pytest.mark.django_db


def blocking(cycle: Cycle) -> Cycle:
    """The cycle's frameworks say ``missing_data = "block"`` (the default)."""
    for snapshot in CyclePlan.objects.filter(cycle=cycle):
        snapshot.framework_content = {**snapshot.framework_content, "missing_data": "block"}
        snapshot.save()
    return cycle


def test_close_is_refused_while_measured_data_is_missing(personas: Any) -> None:
    cycle = blocking(open_cycle(personas))
    with pytest.raises(JixiaoError) as refused:
        services.cycle_close_scoring(user=personas["hr"], cycle=cycle)
    assert refused.value.code == "missing_data" and refused.value.status == 409
    assert personas.employees["employee"].name in refused.value.zh
    cycle.refresh_from_db()
    assert cycle.state == "open" and not Result.objects.filter(cycle=cycle).exists()


def test_the_gaps_name_department_person_indicator_and_measure_or_rater(personas: Any) -> None:
    cycle = blocking(open_cycle(personas))
    member = member_of(personas, cycle)
    actual_set(user=personas["hr"], member=member, measure_key="orders", value="30")
    gaps = [g for g in data_gaps(cycle) if g.number == personas.employees["employee"].number]
    missing = {(g.indicator.zh, g.missing.zh) for g in gaps}
    assert ("转化率", "咨询人数") in missing  # the derived indicator lacks one of its two measures
    assert not any(g.missing.zh == "成交单数" for g in gaps)
    assert any(g.missing.zh == "上级" and g.blocking for g in gaps)  # no rater at all: blocks
    assert all(g.department for g in gaps)


def test_a_zero_policy_closes_and_says_so(personas: Any) -> None:
    cycle = open_cycle(personas)  # the persona framework says missing_data = "zero"
    cycle = services.cycle_close_scoring(user=personas["hr"], cycle=cycle)
    assert cycle.state == "scoring_closed"


def test_an_unended_period_closes_only_with_a_reason(personas: Any) -> None:
    cycle = open_cycle(personas, "2099-01")
    Cycle.objects.filter(pk=cycle.pk).update(start=dt.date(2099, 1, 1), end=dt.date(2099, 1, 31))
    cycle.refresh_from_db()
    with pytest.raises(JixiaoError) as refused:
        services.cycle_close_scoring(user=personas["hr"], cycle=cycle)
    assert refused.value.code == "reason_required"
    closed = services.cycle_close_scoring(user=personas["hr"], cycle=cycle, reason="部门撤并，提前结算")
    assert closed.state == "scoring_closed"
    event = AuditEvent.objects.get(action="cycle.close_scoring_early", object_id=str(cycle.pk))
    assert "部门撤并，提前结算" in event.body


def test_the_close_page_lists_the_gaps_and_a_refused_close_shows_them(personas: Any, client_for: Any) -> None:
    cycle = blocking(open_cycle(personas))
    client = client_for("hr")
    answer = client.post(reverse("cycles:close_start", args=[cycle.pk]))
    html = answer.content.decode()
    assert answer.status_code == 409
    assert 'id="close-refused"' in html and 'id="gap-list"' in html
    assert personas.employees["employee"].name in html and "须补齐" in html
    cycle.refresh_from_db()
    assert cycle.state == "open"


def test_the_close_page_queries_do_not_grow_with_members(personas: Any, client_for: Any) -> None:
    from jixiao.cycles.entry.tests.test_entry import grow_team

    cycle = blocking(open_cycle(personas))
    client = client_for("hr")
    url = reverse("cycles:close_progress", args=[cycle.pk])

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = count()
    grow_team(personas, cycle, 15)
    assert count() == before
