"""The demo has every people decision of issue 13: rule-made proposals approved and pending (an
approved reward in the pay of the month HR releases, traced to its proposal), an improvement plan
under way, an eligible and an ineligible nominee with their traces, a promotion done, a training
with attendance, a work plan for the year and a handbook page with two versions. One load."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from jixiao.access.actor import SYSTEM
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.demo.story import CLOSED, story
from jixiao.org.models import PositionChange
from jixiao.org.selectors import positions_on
from jixiao.pay.monthly.models import MonthlyPayLine, Sanction
from jixiao.pay.monthly.services import monthly_pay_run_compute
from jixiao.people.cadres.history import candidates_for, eligibility_of
from jixiao.people.cadres.models import EligibilityRule, Nomination, PotentialRating
from jixiao.people.handbook.models import PolicyAcknowledgement, PolicyPage
from jixiao.people.improvement.models import OPEN as PLAN_OPEN
from jixiao.people.improvement.models import ImprovementPlan
from jixiao.people.rules.models import Proposal, RuleSet
from jixiao.people.rules.services import proposals_run
from jixiao.people.training.models import TrainingSession
from jixiao.people.workplans.models import WorkPlan

pytestmark = pytest.mark.django_db

WAITING = CLOSED[-2]  # the locked month whose pay HR computes and releases (the pay journey)


@pytest.fixture
def demo(settings: Any) -> None:
    call_command("demo", verbosity=0)


def _proposals_and_pay() -> None:
    day = story()
    assert RuleSet.objects.get(state="active").rules.count() == 3
    states = set(Proposal.objects.values_list("state", flat=True))
    assert {"proposed", "approved", "rejected", "done"} <= states
    for cycle in Cycle.objects.filter(state="locked"):
        assert proposals_run(user=SYSTEM, cycle=cycle) == 0  # each locked month already ran: nothing twice
    rewards = list(Proposal.objects.filter(kind="reward", state="approved").select_related("employee"))
    assert len(rewards) == 2
    run = monthly_pay_run_compute(user=SYSTEM, month=day.label(WAITING))
    assert run.over_budget_fen == 0  # HR may still release it
    for proposal in rewards:
        sanction = Sanction.objects.get(source=proposal.source)
        assert (sanction.status, sanction.month, sanction.origin) == ("approved", day.label(WAITING), "rule")
        line = MonthlyPayLine.objects.get(run=run, employee=proposal.employee)
        assert line.reward_fen == proposal.amount_fen == 30_000
        assert proposal.reference in json.dumps(line.inputs, ensure_ascii=False)
    agent_rewards = Proposal.objects.filter(kind="reward", employee__user__username="cs_agent")
    assert set(agent_rewards.values_list("state", flat=True)) == {"proposed"}  # the pay journey reads her pay
    talk = Proposal.objects.get(state="done")
    assert talk.kind == "talk" and talk.talk_note and talk.head is not None and talk.head.user_id


def _improvement_plan() -> None:
    plan = ImprovementPlan.objects.get(source__startswith="proposal:")
    proposal = Proposal.objects.get(kind="improvement", state="approved")
    assert plan.source == proposal.source and plan.state in PLAN_OPEN
    assert plan.goals.count() == 2 and plan.reviews.count() == 2 and plan.supports.count() == 2
    assert set(plan.results.values_list("pk", flat=True)) == set(proposal.result_ids)
    assert plan.comments.exists()
    # One under way, seen by a demo login: agreed by the employee, the first review held.
    under_way = ImprovementPlan.objects.get(employee__user__username="mkt_manager")
    assert under_way.state == "in_review" and under_way.checkins.count() == 1 and under_way.goals.exists()


def _cadres() -> None:
    day = story()
    promoted = Nomination.objects.get(state="approved")
    pending = Nomination.objects.get(state="evaluating")
    assert promoted.eligible and not pending.eligible and pending.override_reason
    assert promoted.evaluations.count() == 2 and pending.evaluations.count() == 1
    assert promoted.over_quota and promoted.quota_reason and promoted.effective == day.first(0)
    change = PositionChange.objects.get(source=promoted.source)
    nominee = promoted.nominee
    nominee.refresh_from_db()
    assert nominee.position_id == change.to_position_id == promoted.target_id
    assert positions_on([nominee.pk], day.last(-1))[nominee.pk] == change.from_position_id
    assert positions_on([nominee.pk], day.first(0))[nominee.pk] == promoted.target_id
    # Their traces, as the eligibility page re-runs them today: met by one, not by the other.
    today = timezone.localdate()
    rule = EligibilityRule.objects.get(level=promoted.target.level)
    pending_now = candidates_for([pending.nominee], today)[pending.nominee_id]
    trace = eligibility_of(rule, rule.level, pending_now, today)
    assert not trace.eligible and [c.key for c in trace.unmet] == ["grades"]
    assert {c.key for c in trace.conditions} == {"grades", "tenure", "veto", "plan"}
    assert PotentialRating.objects.filter(year=day.today.year).count() == 3


def _training_workplan_handbook() -> None:
    day = story()
    held = TrainingSession.objects.get(state="closed")
    assert (
        held.attendances.filter(present=True).count() > 10
        and held.attendances.filter(present=False).count() == 2
    )
    assert held.materials.count() == 1 and held.invitations.exclude(acknowledged_at=None).count() == 2
    assert TrainingSession.objects.filter(state="planned").exists()
    plan = WorkPlan.objects.get(kind="year", period=str(day.today.year))
    assert plan.state == "approved" and plan.author_id != plan.approved_by_id
    assert {"planned", "in_progress", "done"} <= set(plan.items.values_list("state", flat=True))
    page = PolicyPage.objects.get()
    versions = dict(page.versions.values_list("number", "state"))
    assert versions == {1: "superseded", 2: "published"} and page.current is not None
    assert page.current.number == 2
    assert PolicyAcknowledgement.objects.filter(version=page.current).count() == 3


def test_the_demo_has_every_people_decision(demo: None) -> None:
    _proposals_and_pay()
    _improvement_plan()
    _cadres()
    _training_workplan_handbook()
