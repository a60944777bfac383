"""A plan from its draft to its outcome through the services: each step a row of the table,
audited once; each version acknowledged once; refusals write nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError
from jixiao.notifications.models import Notification
from jixiao.people.improvement import services
from jixiao.people.improvement.models import Acknowledgement, ImprovementPlan
from jixiao.people.improvement.selectors import open_plan_employee_ids, plan_page
from jixiao.people.improvement.workflow import IMPROVEMENT

from .world import drafted

pytestmark = pytest.mark.django_db


def _events(plan: ImprovementPlan) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="improvement.improvementplan", object_id=str(plan.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def _fresh(plan: ImprovementPlan) -> ImprovementPlan:
    return ImprovementPlan.objects.get(pk=plan.pk)


def test_draft_agreed_review_extend_improved(personas: Any) -> None:
    head, employee = personas["head"], personas["employee"]
    plan = drafted(personas)
    assert plan.state == "draft" and plan.revision == 1
    # Nobody but the employee acknowledges; the employee cannot write their own plan.
    with pytest.raises(JixiaoError):
        services.plan_acknowledge(user=head, plan=plan)
    with pytest.raises(JixiaoError):
        services.goal_add(user=employee, plan=plan, text="x", measure="y", target_date="2027-01-01")
    plan = services.plan_acknowledge(user=employee, plan=plan)
    assert plan.state == "agreed"
    assert list(Acknowledgement.objects.filter(plan=plan).values_list("revision", flat=True)) == [1]
    assert Notification.objects.filter(kind="improvement.acknowledged", recipient=head).count() == 1
    # An agreed plan is not changed under the employee: reopened first, with a reason, as a new version.
    with pytest.raises(JixiaoError) as refused:
        services.goal_add(user=head, plan=plan, text="x", measure="y", target_date="2027-01-01")
    assert refused.value.status == 409
    with pytest.raises(JixiaoError):
        services.plan_revise(user=head, plan=plan, reason="")
    plan = services.plan_revise(user=head, plan=plan, reason="补充一个目标")
    assert plan.state == "draft" and plan.revision == 2
    plan = services.plan_acknowledge(user=employee, plan=plan)
    assert plan.state == "agreed"
    # The first check-in begins the reviews and answers the review date.
    review = plan.reviews.get()
    services.checkin_record(
        user=head,
        plan=plan,
        day=timezone.localdate(),
        note="谈了回访计划",
        progress="some",
        review_id=review.pk,
    )
    plan = _fresh(plan)
    assert plan.state == "in_review" and review.__class__.objects.get(pk=review.pk).checkin is not None
    # A change during the reviews is a new version the employee acknowledges once.
    plan = services.goal_add(user=head, plan=plan, text="新目标", measure="记录", target_date="2027-02-01")
    assert plan.revision == 3
    page = plan_page(user=employee, pk=plan.pk)
    assert page.action_names == {"acknowledge_update"}
    plan = services.plan_acknowledge(user=employee, plan=plan)
    assert plan.state == "in_review"
    assert "acknowledge_update" not in plan_page(user=employee, pk=plan.pk).action_names
    with pytest.raises(JixiaoError):
        services.plan_acknowledge(user=employee, plan=plan)
    # Extended: a new review date after today, a new version, still in review.
    with pytest.raises(JixiaoError):
        services.plan_outcome(
            user=head, plan=plan, outcome="outcome_extended", reason="再给一个月", new_review=None
        )
    later = timezone.localdate() + dt.timedelta(days=30)
    plan = services.plan_outcome(
        user=head, plan=plan, outcome="outcome_extended", reason="再给一个月", new_review=later
    )
    assert plan.state == "in_review" and plan.revision == 4 and plan.reviews.filter(due=later).exists()
    plan = services.plan_outcome(user=head, plan=plan, outcome="outcome_improved", reason="回访稳定")
    assert plan.state == "improved" and plan.finished_on == timezone.localdate()
    assert open_plan_employee_ids() == set()
    assert _events(plan) == [
        "improvement.start", "improvement.goal_add", "improvement.support_add", "improvement.review_add",
        "improvement.acknowledge", "improvement.revise", "improvement.acknowledge", "improvement.begin",
        "improvement.checkin", "improvement.goal_add", "improvement.acknowledge_update",
        "improvement.outcome_extended", "improvement.outcome_improved",
    ]  # fmt: skip
    # Finished: no more changes, no more steps.
    with pytest.raises(JixiaoError):
        services.review_add(user=head, plan=plan, due=later)
    assert IMPROVEMENT.available(head, plan) == []


def test_a_plan_is_acknowledged_only_with_a_goal_and_a_review_date(personas: Any) -> None:
    plan = services.improvement_plan_start(
        user=personas["hr"], employee_id=personas.employees["colleague"].pk, result_ids=[], reason="成长"
    )
    with pytest.raises(JixiaoError) as refused:
        services.plan_acknowledge(user=personas["colleague"], plan=plan)
    assert refused.value.code == "plan_empty"
    assert _fresh(plan).state == "draft" and _events(plan) == ["improvement.start"]


def test_closing_says_why_and_tells_the_employee(personas: Any) -> None:
    plan = drafted(personas)
    with pytest.raises(JixiaoError):
        services.plan_outcome(user=personas["hr"], plan=plan, outcome="outcome_closed", reason="  ")
    with pytest.raises(JixiaoError):
        services.plan_outcome(user=personas["hr"], plan=plan, outcome="no_such_step", reason="x")
    plan = services.plan_outcome(user=personas["hr"], plan=plan, outcome="outcome_closed", reason="调岗")
    assert plan.state == "closed" and plan.outcome_note == "调岗"
    told = Notification.objects.filter(kind="improvement.outcome").values_list("recipient_id", flat=True)
    assert set(told) == {personas["employee"].pk, personas["head"].pk}


def test_items_are_removed_but_an_answered_review_date_stays(personas: Any) -> None:
    head, plan = personas["head"], drafted(personas)
    goal = plan.goals.get()
    plan = services.item_remove(user=head, plan=plan, kind="goal", pk=goal.pk, version=plan.version)
    assert not plan.goals.exists()
    with pytest.raises(JixiaoError) as stale:  # the version the user saw is gone
        services.item_remove(user=head, plan=plan, kind="support", pk=plan.supports.get().pk, version=1)
    assert stale.value.status == 409
    with pytest.raises(JixiaoError):
        services.item_remove(user=head, plan=plan, kind="nothing", pk=1)
    services.goal_add(user=head, plan=plan, text="g", measure="m", target_date="2027-03-01")
    plan = services.plan_acknowledge(user=personas["employee"], plan=_fresh(plan))
    review = plan.reviews.get()
    services.checkin_record(
        user=head, plan=plan, day=timezone.localdate(), note="n", progress="on_track", review_id=review.pk
    )
    with pytest.raises(JixiaoError) as answered:
        services.item_remove(user=head, plan=_fresh(plan), kind="review", pk=review.pk)
    assert answered.value.code == "review_answered"


def test_check_ins_and_comments_refuse_what_does_not_fit(personas: Any) -> None:
    head, employee, plan = personas["head"], personas["employee"], drafted(personas)
    today = timezone.localdate()
    with pytest.raises(JixiaoError):  # a draft is not reviewed yet
        services.checkin_record(user=head, plan=plan, day=today, note="n", progress="some")
    plan = services.plan_acknowledge(user=employee, plan=plan)
    for day, note, progress in (
        (today + dt.timedelta(days=1), "n", "some"),  # the future
        (today - dt.timedelta(days=400), "n", "some"),  # before the plan
        ("2026-02-30", "n", "some"),
        (today, "x" * 20_000, "some"),
        (today, "n", "great"),
    ):
        with pytest.raises(JixiaoError):
            services.checkin_record(user=head, plan=plan, day=day, note=note, progress=progress)
    with pytest.raises(JixiaoError):  # the employee comments but does not record check-ins
        services.checkin_record(user=employee, plan=plan, day=today, note="n", progress="some")
    assert _fresh(plan).state == "agreed" and not plan.checkins.exists()
    services.comment_add(user=employee, plan=plan, text="我希望多一些辅导")
    with pytest.raises(JixiaoError):
        services.comment_add(user=personas["colleague"], plan=plan, text="x")
    with pytest.raises(JixiaoError):
        services.comment_add(user=employee, plan=plan, text="x" * 20_000)
    assert Notification.objects.filter(kind="improvement.comment", recipient=head).count() == 1
