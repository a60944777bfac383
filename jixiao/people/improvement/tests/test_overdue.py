"""Overdue reviews: a review date passed without a check-in is flagged on the list and the plan
page, and the daily command tells the head once per review."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from jixiao.access.actor import SYSTEM
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError
from jixiao.notifications.models import Notification
from jixiao.people.improvement import services
from jixiao.people.improvement.models import ImprovementPlan
from jixiao.people.improvement.selectors import plan_page, plans_page

from .world import drafted

pytestmark = pytest.mark.django_db
KIND = "improvement.review_overdue"


def _overdue_plan(personas: Any) -> ImprovementPlan:
    """The persona plan, agreed, started a month ago with a review date a week ago."""
    plan = drafted(personas)
    today = timezone.localdate()
    ImprovementPlan.objects.filter(pk=plan.pk).update(started_on=today - dt.timedelta(days=30))  # scaffolding
    plan = ImprovementPlan.objects.get(pk=plan.pk)
    plan = services.review_add(user=personas["head"], plan=plan, due=today - dt.timedelta(days=7))
    return services.plan_acknowledge(user=personas["employee"], plan=plan)


def test_the_list_and_the_page_flag_an_overdue_review(personas: Any) -> None:
    plan = _overdue_plan(personas)
    rows = plans_page(user=personas["head"]).rows
    assert [(r.plan.pk, r.overdue) for r in rows] == [(plan.pk, True)]
    assert [r.plan.pk for r in plans_page(user=personas["hr"], overdue=True).rows] == [plan.pk]
    assert plan_page(user=personas["employee"], pk=plan.pk).overdue
    # A check-in answering it clears the flag.
    review = plan.reviews.order_by("due").first()
    assert review is not None
    services.checkin_record(
        user=personas["head"], plan=plan, day=timezone.localdate(), note="补上复盘", progress="some",
        review_id=review.pk,
    )  # fmt: skip
    assert not plans_page(user=personas["head"]).rows[0].overdue
    assert plans_page(user=personas["hr"], overdue=True).rows == []


def test_the_head_is_reminded_once_per_overdue_review(personas: Any) -> None:
    plan = _overdue_plan(personas)
    out = StringIO()
    call_command("improvement", "remind", stdout=out)
    assert "1" in out.getvalue()
    told = Notification.objects.filter(kind=KIND)
    assert list(told.values_list("recipient_id", flat=True)) == [personas["head"].pk]
    assert "复盘" in told.get().text_zh and told.get().link == plan.link
    assert services.improvement_remind(user=SYSTEM) == 0  # once per review
    assert told.count() == 1
    assert AuditEvent.objects.filter(action="improvement.remind").count() == 1
    with pytest.raises(JixiaoError):  # a person does not run the reminder
        services.improvement_remind(user=personas["hr"])
    # A closed plan's reviews are no longer overdue.
    services.plan_outcome(user=personas["hr"], plan=plan, outcome="outcome_closed", reason="调岗")
    assert services.overdue_reviews() == []
