"""The case inbox and escalation with a real appeal (the appeals wing's own selectors decide who
sees it): HR sees it to accept, the appellant follows it, others see nothing; once late, the
daily command tells the deputy once, and the deputy's inbox marks it overdue and escalated."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from jixiao.cases.appeals.models import Appeal
from jixiao.cases.appeals.tests.world import filed_appeal
from jixiao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def inbox(client_for: Any, who: str, query: str = "") -> str:
    response = client_for(who).get(f"/cases/{query}")
    assert response.status_code == 200
    return str(response.text)


def test_the_inbox_shows_an_appeal_only_to_those_the_wing_lets_see_it(personas: Any, client_for: Any) -> None:
    appeal = filed_appeal(personas)
    link = f'href="{appeal.link}"'
    hr = inbox(client_for, "hr")
    assert link in hr and appeal.reference in hr and "人力资源部" in hr  # HR's hat, by its label
    assert link in inbox(client_for, "employee")  # the appellant follows it
    assert "申诉人" in inbox(client_for, "employee")
    for who in ("colleague", "other_head", "finance", "auditor"):
        assert link not in inbox(client_for, who), who
    assert link not in inbox(client_for, "hr", "?kind=complaint")
    assert link not in inbox(client_for, "hr", "?overdue=1")  # not late yet


def test_a_late_appeal_is_escalated_once_and_marked_in_the_deputys_inbox(
    personas: Any, client_for: Any
) -> None:
    appeal = filed_appeal(personas)
    Appeal.objects.filter(pk=appeal.pk).update(step_began=timezone.localdate() - dt.timedelta(days=30))
    Notification.objects.filter(kind="case.escalated").delete()
    out = StringIO()
    call_command("cases", "escalate", stdout=out)
    assert "本次上报副组长 1 个" in out.getvalue()
    [told] = Notification.objects.filter(kind="case.escalated")
    assert told.recipient_id == personas["deputy"].pk and told.link == appeal.link
    assert appeal.reference in told.text_zh and "已逾期" in told.text_zh
    call_command("cases", "escalate", stdout=StringIO())
    assert Notification.objects.filter(kind="case.escalated").count() == 1
    deputy = inbox(client_for, "deputy", "?overdue=1")
    assert f'href="{appeal.link}"' in deputy and "已逾期" in deputy and "已上报副组长" in deputy
    assert appeal.link not in inbox(client_for, "colleague")
