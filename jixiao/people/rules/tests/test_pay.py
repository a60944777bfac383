"""An approved reward flows into the month's pay exactly once (issue 13 must-hold)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jixiao.access.actor import SYSTEM
from jixiao.cycles.results.models import Result
from jixiao.pay.monthly import services as monthly
from jixiao.pay.monthly.models import MonthlyPayLine, Sanction
from jixiao.pay.monthly.tests.world import MONTH, locked_month, ready_month, released_run
from jixiao.people.rules import services
from jixiao.people.rules.models import Proposal
from jixiao.people.rules.services import RuleInput

pytestmark = pytest.mark.django_db


def _reward_proposed(p: Any, *, ready: bool = True) -> Proposal:
    """The employee graded A in ``MONTH``; the rule "grade = A → reward 500.00" runs on it."""
    cycle = ready_month(p, MONTH) if ready else locked_month(p, MONTH)
    Result.objects.filter(cycle=cycle).update(grade="B", total_milli=85_000)
    Result.objects.filter(cycle=cycle, member__employee=p.employees["employee"]).update(
        grade="A", total_milli=95_000
    )
    services.rule_set_put_in_force(
        author=p["hr"], approver=p["hrsup"], name="奖励", rules=[RuleInput("grade = A", "reward", 50_000)],
        run_on=[cycle],
    )  # fmt: skip
    return Proposal.objects.get(employee=p.employees["employee"], cycle=cycle)


def _rewards(p: Any, run: Any) -> int:
    return MonthlyPayLine.objects.get(run=run, employee=p.employees["employee"]).reward_fen


def test_an_approved_reward_is_in_the_months_pay_once_through_recompute_and_release(personas: Any) -> None:
    proposal = _reward_proposed(personas)
    services.proposal_decide(user=personas["hrsup"], proposal=proposal, action="approve")
    first = monthly.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    assert _rewards(personas, first) == 50_000
    again = monthly.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    assert _rewards(personas, again) == 50_000  # recomputing does not double it
    released = monthly.monthly_pay_run_release(
        user=personas["leader"], run=again, over_budget_reason="测试：超出奖金池照发"
    )
    assert released.status == "released" and _rewards(personas, released) == 50_000
    assert services.proposals_run(user=SYSTEM, cycle=proposal.cycle) == 0  # running again proposes nothing
    assert Sanction.objects.filter(source=proposal.source).count() == 1
    line = MonthlyPayLine.objects.get(run=released, employee=personas.employees["employee"])
    assert proposal.reference in json.dumps(line.inputs, ensure_ascii=False)  # traced back to the proposal


def test_approved_after_the_month_is_released_it_is_paid_in_the_next_month(personas: Any) -> None:
    released_run(personas, MONTH)
    proposal = _reward_proposed(personas, ready=False)
    done = services.proposal_decide(user=personas["hrsup"], proposal=proposal, action="approve")
    assert done.sanction is not None and done.sanction.month == "2027-02"


def test_an_approval_after_the_run_was_computed_asks_for_a_recompute_before_release(personas: Any) -> None:
    proposal = _reward_proposed(personas)
    run = monthly.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    services.proposal_decide(user=personas["hrsup"], proposal=proposal, action="approve")
    from jixiao.common.errors import JixiaoError

    with pytest.raises(JixiaoError) as refused:
        monthly.monthly_pay_run_release(
            user=personas["leader"], run=run, over_budget_reason="测试：超出奖金池照发"
        )
    assert refused.value.code == "stale_run"
