"""The whole appeal through its pages: a late appeal on a locked month whose pay was released,
allowed by the leader, accepted by HR, assigned, rechecked with corrected inputs, previewed
(ripple), decided — a new result version and the pay adjustment in the next month, both traced
back to the appeal; and what waits on whom in the case inbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from jixiao.audit.models import AuditEvent
from jixiao.cases.appeals import selectors
from jixiao.cases.appeals.models import Appeal
from jixiao.cycles.results.models import Result, ResultVersion
from jixiao.pay.monthly.models import PayAdjustment
from jixiao.pay.monthly.tests.world import released_run

from .world import statement_asked

pytestmark = pytest.mark.django_db

BEST = {
    "measure:orders": "40",
    "measure:satisfaction": "98",
    "measure:response_seconds": "20",
    "rating:teamwork:manager": "excellent",
    "rating:attitude:manager": "excellent",
}


def post(client: Any, url: str, data: dict[str, Any], status: int = 302) -> Any:
    response = client.post(url, data)
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def test_an_appeal_from_filing_to_an_adjusted_result_and_its_pay_adjustment(
    personas: Any, client_for: Any
) -> None:
    p = personas
    run = released_run(p)  # the month 2027-01 is locked and its pay released
    result = Result.objects.get(cycle=run.cycle, member__employee=p.employees["employee"])
    employee, hr, member, leader = (client_for(n) for n in ("employee", "hr", "member", "leader"))

    page = employee.get(reverse("appeals:file", args=[result.pk]))
    assert "逾期申诉" in page.content.decode()
    post(
        employee,
        reverse("appeals:file", args=[result.pk]),
        {"scope": "whole", "reason": "数据漏录：本月订单 40 单"},
    )
    appeal = Appeal.objects.get(result=result)
    assert appeal.state == "awaiting_leave"
    detail = reverse("appeals:detail", args=[appeal.pk])

    post(
        leader,
        reverse("appeals:step", args=[appeal.pk]),
        {"op": "grant_leave", "reason": "月末系统故障，准予", "version": 1},
    )
    post(hr, reverse("appeals:step", args=[appeal.pk]), {"op": "accept", "reason": "", "version": 2})
    assign = hr.get(reverse("appeals:assign", args=[appeal.pk])).content.decode()
    assert "测试member" in assign and "测试head" not in assign
    post(hr, reverse("appeals:assign", args=[appeal.pk]), {"rechecker": p["member"].pk, "version": 3})

    recommend = reverse("appeals:recommend", args=[appeal.pk])
    form = {"recommendation": "adjust", "reason": "核对订单系统，漏录 10 单", "version": 4, **BEST}
    preview = member.post(recommend, {**form, "preview": "1"})
    assert preview.status_code == 200 and 'id="ripple"' in preview.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).state == "rechecking"  # a preview writes nothing
    post(member, recommend, form)

    decide = leader.get(reverse("appeals:decide", args=[appeal.pk])).content.decode()
    assert 'id="ripple"' in decide and 'id="distribution"' in decide and "决定：调整结果" in decide
    post(leader, reverse("appeals:decide", args=[appeal.pk]),
         {"op": "decide_adjust", "reason": "同意复核意见", "version": 5, "revision": 1})  # fmt: skip

    appeal.refresh_from_db()
    result.refresh_from_db()
    assert appeal.state == "adjusted" and result.revision == 2
    version = ResultVersion.objects.get(result=result)
    assert appeal.replaced_version == version and version.source == f"appeal:{appeal.pk}"
    assert appeal.figures_before["total_milli"] == version.figures["total_milli"] != result.total_milli
    adjustment = PayAdjustment.objects.get(source=f"appeal:{appeal.pk}")
    assert appeal.pay_adjustment == adjustment and (adjustment.corrects_id, adjustment.month) == (
        run.pk,
        "2027-02",
    )
    assert adjustment.amount_fen != 0
    actions = list(
        AuditEvent.objects.filter(object_id=str(appeal.pk), object_type="appeals.appeal").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "appeal.file",
        "appeal.grant_leave",
        "appeal.accept",
        "appeal.assign",
        "appeal.recommend",
        "appeal.decide_adjust",
    ]
    assert AuditEvent.objects.filter(action="result.recheck", object_id=str(result.pk)).count() == 1

    mine = employee.get(detail).content.decode()
    assert 'id="before-after"' in mine and 'id="rows-after"' in mine and 'id="pay-adjustment"' in mine
    assert "同意复核意见" in mine and "2027-02" in mine
    assert 'id="ripple"' not in mine  # other people's ranks are not the appellant's to see


def test_what_waits_on_whom_and_what_is_overdue(personas: Any) -> None:
    p = personas
    statement = statement_asked(p)
    appeal = statement.appeal

    def mine(name: str) -> list[tuple[str, str]]:
        return [(i.reference, i.role) for i in selectors.inbox_items(user=p[name])]

    ref = appeal.reference
    assert mine("member") == [(ref, "rechecker")]
    assert mine("head") == [(ref, "rater")]
    assert mine("employee") == [(ref, "appellant")]
    assert mine("hr") == mine("leader") == mine("deputy") == mine("colleague") == []
    assert selectors.overdue_items() == []

    Appeal.objects.filter(pk=appeal.pk).update(step_began=timezone.localdate() - dt.timedelta(days=30))
    late = selectors.overdue_items()
    assert [(i.reference, i.role, i.escalated, i.overdue) for i in late] == [(ref, "rechecker", True, True)]
    assert mine("deputy") == [(ref, "deputy")]
