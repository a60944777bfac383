"""Escalation (逾期上报): each overdue case step is told to the deputy once (same page, same due
date), audited; the daily command prints how many."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from jixiao.access.actor import SYSTEM
from jixiao.access.models import RoleGrant
from jixiao.audit.models import AuditEvent
from jixiao.cases.inbox import InboxItem
from jixiao.cases.services import cases_escalate
from jixiao.common.errors import PermissionRefused
from jixiao.engine.text import Text
from jixiao.notifications.models import Notification

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def late(ref: str, days_late: int = 2, kind: str = "appeal") -> InboxItem:
    return InboxItem(
        kind=kind,
        reference=ref,
        title=Text("对结果的申诉", "Appeal of a result"),
        step=Text("待受理", "Awaiting acceptance"),
        role="hr",
        link=f"/cases/appeals/{ref}/",
        due=TODAY - dt.timedelta(days=days_late),
    )


def escalated() -> list[Notification]:
    return list(Notification.objects.filter(kind="case.escalated").order_by("pk"))


def test_each_late_step_is_told_to_the_deputy_once(personas: Any) -> None:
    items = [late("1"), late("2", kind="complaint")]
    assert cases_escalate(user=SYSTEM, items=items) == 2
    told = escalated()
    assert {n.recipient_id for n in told} == {personas["deputy"].pk} and len(told) == 2
    first = told[0]
    assert first.link == "/cases/appeals/1/" and "申诉 1" in first.text_zh and "已逾期" in first.text_zh
    assert "Appeal 1" in first.text_en and "overdue" in first.text_en
    # The next day's run finds the same steps late: nobody is told again.
    assert cases_escalate(user=SYSTEM, items=items) == 0
    assert len(escalated()) == 2
    # The step began again (a new due date) and is late again: told once more.
    assert cases_escalate(user=SYSTEM, items=[late("1", days_late=1)]) == 1
    assert len(escalated()) == 3


def test_a_step_not_yet_late_is_not_escalated(personas: Any) -> None:
    due_today = late("3", days_late=0)
    no_due = InboxItem("appeal", "4", Text("x"), Text("x"), "hr", "/cases/appeals/4/", None)
    assert cases_escalate(user=SYSTEM, items=[due_today, no_due]) == 0
    assert escalated() == []


def test_each_escalation_is_audited(personas: Any) -> None:
    cases_escalate(user=SYSTEM, items=[late("5")])
    [event] = AuditEvent.objects.filter(action="notification.escalate")
    after = json.loads(event.body)["after"]
    assert after["link"] == "/cases/appeals/5/" and after["to"] == [personas["deputy"].pk]
    assert event.actor_name == "system"


def test_without_a_deputy_the_leader_is_told(personas: Any) -> None:
    RoleGrant.objects.filter(role="committee_deputy").delete()
    cases_escalate(user=SYSTEM, items=[late("6")])
    assert {n.recipient_id for n in escalated()} == {personas["leader"].pk}


@pytest.mark.parametrize("who", ["hr", "deputy", "leader", "admin"])
def test_only_the_system_escalates(personas: Any, who: str) -> None:
    with pytest.raises(PermissionRefused):
        cases_escalate(user=personas[who], items=[late("7")])


def test_the_command_prints_how_many(personas: Any) -> None:
    out = StringIO()
    call_command("cases", "escalate", stdout=out)
    assert "本次上报副组长 0 个" in out.getvalue() and "0 escalated" in out.getvalue()
