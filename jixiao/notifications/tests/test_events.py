"""The existing events that tell someone (issue 12 item 6): a returned plan, scoring open, an
interview to acknowledge, pay released. Each is written in the step's own transaction, names no
figure, and a cycle's opening costs the same few queries however many members it has."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.common.errors import JixiaoError
from jixiao.cycles.lifecycle import services as cycles
from jixiao.cycles.review.services import interview_record
from jixiao.cycles.tests.helpers import member_of, published_cycle
from jixiao.demo.plans import _table
from jixiao.notifications.models import Notification
from jixiao.org.models import Employee
from jixiao.pay.monthly import services as monthly
from jixiao.pay.monthly.tests.world import MONTH, ready_month
from jixiao.plans import reviews, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet(personas: Any) -> None:
    Notification.objects.all().delete()


def told(kind: str) -> dict[int, Notification]:
    return {n.recipient_id: n for n in Notification.objects.filter(kind=kind)}


def test_a_plan_returned_by_hr_tells_the_head_who_submitted_it(personas: Any) -> None:
    plan = services.plan_create(
        user=personas["head"],
        department=personas.department,
        name="销售部考核细则（新）",
        framework=personas.plans["framework"],
        content=_table("plan_customer_service.toml", "plan"),
    )
    plan = reviews.document_transition(user=personas["head"], document=plan, action="submit")
    assert told("plan.returned") == {}
    with pytest.raises(JixiaoError):  # a return without a reason is refused: nobody is told
        reviews.document_transition(user=personas["hr"], document=plan, action="hr_return")
    assert told("plan.returned") == {}
    reviews.document_transition(user=personas["hr"], document=plan, action="hr_return", note="请修改")
    [(who, n)] = told("plan.returned").items()
    assert who == personas["head"].pk and n.link == f"/plans/{plan.pk}/"
    assert "已被退回修改" in n.text_zh and "returned for changes" in n.text_en


def test_a_framework_returned_by_the_deputy_tells_hr_who_submitted_it(personas: Any) -> None:
    framework = reviews.document_transition(
        user=personas["hr"],
        document=services.document_new_version(user=personas["hr"], document=personas.plans["framework"]),
        action="submit",
    )
    reviews.document_transition(
        user=personas["deputy"], document=framework, action="deputy_return", note="请修改"
    )
    [(who, n)] = told("framework.returned").items()
    assert who == personas["hr"].pk and n.link == f"/plans/frameworks/{framework.pk}/"


def _new_cycle(personas: Any, label: str) -> Any:
    return cycles.cycle_create(
        user=personas["hr"],
        label=label,
        kind="month",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 31),
        departments=[personas.department],
    )


def test_opening_a_cycle_tells_every_member_and_their_manager_once(personas: Any) -> None:
    cycle = cycles.cycle_open(user=personas["hr"], cycle=_new_cycle(personas, "2026-10"))
    members = set(cycle.members.values_list("employee__user_id", flat=True))
    managers = set(cycle.members.exclude(manager=None).values_list("manager__user_id", flat=True))
    notified = told("cycle.scoring_open")
    assert set(notified) == members | managers and len(members) >= 3
    assert Notification.objects.filter(kind="cycle.scoring_open").count() == len(notified)
    assert all(n.link == f"/cycles/{cycle.pk}/" and "2026-10" in n.text_zh for n in notified.values())


def _open_counting_notification_queries(personas: Any, label: str) -> int:
    cycle = _new_cycle(personas, label)
    with CaptureQueriesContext(connection) as queries:
        cycles.cycle_open(user=personas["hr"], cycle=cycle)
    return sum("notifications_notification" in q["sql"] for q in queries.captured_queries)


def test_opening_a_cycle_does_not_query_per_member(personas: Any) -> None:
    few = _open_counting_notification_queries(personas, "2026-10")
    User = get_user_model()
    for i in range(40):
        user = User.objects.create_user(username=f"extra{i}", password="x")
        Employee.objects.create(
            number=f"X{i:03d}",
            name=f"加{i}",
            department=personas.department,
            position=personas.position,
            user=user,
            hire_date=dt.date(2020, 1, 1),
            manager=personas.employees["head"],
        )
    many = _open_counting_notification_queries(personas, "2026-11")
    assert len(told("cycle.scoring_open")) > 40
    assert many == few <= 2


def test_a_recorded_interview_asks_the_employee_to_acknowledge_on_their_result(personas: Any) -> None:
    member = member_of(personas, published_cycle(personas))
    Notification.objects.all().delete()
    interview_record(
        user=personas["head"],
        member=member,
        held_on=dt.date(2026, 11, 5),
        strengths="a",
        improvements="b",
        goals="c",
    )
    [(who, n)] = told("interview.recorded").items()
    assert who == personas["employee"].pk  # not the head who recorded it
    assert n.link == f"/cycles/results/{member.result.pk}/"
    assert "请查看并确认" in n.text_zh and "acknowledge" in n.text_en


def test_released_pay_tells_each_person_paid_and_names_no_amount(personas: Any) -> None:
    ready_month(personas)
    run = monthly.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    Notification.objects.all().delete()
    run = monthly.monthly_pay_run_release(
        user=personas["leader"], run=run, over_budget_reason="测试：超出奖金池照发"
    )
    paid = set(run.lines.values_list("employee__user_id", flat=True))
    notified = told("pay.released")
    assert set(notified) == paid and len(paid) >= 3
    for line in run.lines.all():
        n = notified[int(line.employee.user_id or 0)]
        assert n.link == "/pay/mine/" and str(line.total_fen // 100) not in n.text_zh + n.text_en
