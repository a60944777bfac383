"""The demo tells the whole story, dated from the day it is loaded (issue 11, item 9): every
department with a plan has appraisal history, nothing looks like a late edit, and the
marketing pay plan goes returned → corrected → approved before its annual bonus is computed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from jixiao.audit.models import AuditEvent
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.cycles.results.models import Result
from jixiao.demo.story import CLOSED, Story, story
from jixiao.integrity.selectors import cycle_flags
from jixiao.pay.annual.models import AnnualBonusRun
from jixiao.plans.models import Plan, Revision

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any) -> None:
    call_command("demo", verbosity=0)


def test_months_are_counted_from_the_load_day() -> None:
    day = Story(dt.date(2027, 1, 31))
    assert [day.label(o) for o in (-6, -1, 0, 1)] == ["2026-07", "2026-12", "2027-01", "2027-02"]
    assert day.day(1, 31) == dt.date(2027, 2, 28) and day.profit_year == 2026
    assert day.moment(-1, 25).tzinfo is not None


def test_the_cycles_are_the_last_six_months_and_this_one(demo: None) -> None:
    day = story()
    states = dict(Cycle.objects.values_list("label", "state"))
    assert states == {
        **{day.label(o): "locked" for o in CLOSED[:-1]},
        day.label(-1): "published",
        day.label(0): "open",
    }


def test_every_department_with_a_plan_has_results_for_every_closed_month(demo: None) -> None:
    day = story()
    with_plans = set(
        Plan.objects.filter(kind=Plan.Kind.APPRAISAL, status="published").values_list(
            "department__code", flat=True
        )
    )
    assert with_plans == {"CS", "MKT", "PRD"}
    for offset in CLOSED:
        have = set(
            Result.objects.filter(cycle__label=day.label(offset)).values_list(
                "member__department__code", flat=True
            )
        )
        assert have == with_plans, day.label(offset)


def test_no_integrity_flag_says_the_demo_edited_late(demo: None) -> None:
    from django.contrib.auth import get_user_model

    hr = get_user_model().objects.get(username="hr")
    for cycle in Cycle.objects.all():
        report = cycle_flags(user=hr, cycle=cycle)
        late = [g for g in report.groups if g.kind == "late"]
        assert late and not late[0].flags, cycle.label


def test_the_marketing_pay_plan_is_returned_corrected_and_approved_then_pays_the_bonus(demo: None) -> None:
    plan = Plan.objects.get(code="MKT-PAY")
    assert plan.status == "published" and plan.content["annual_bonus"]["mode"] == "progressive"
    rounds = list(Revision.objects.filter(plan=plan).order_by("round").values_list("round", flat=True))
    assert rounds == [1, 2]  # the source's plan (returned), the corrected one
    actions = list(
        AuditEvent.objects.filter(object_type="plans.plan", object_id=str(plan.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions.index("plan.demo_seed") < actions.index("plan.edit") < actions.index("plan.leader_approve")
    run = AnnualBonusRun.objects.get(department__code="MKT", year=story().profit_year)
    assert run.status == "released"
    assert run.lines.count() == 3 and run.total_fen > 0
