"""Access sits below the apps whose states its rules read, so it names those states itself; these
tests keep its names equal to the apps' own state sets."""

from __future__ import annotations

from jixiao.access.rules import cycles, pay, plans
from jixiao.cycles.lifecycle.models import RELEASED as CYCLE_RELEASED
from jixiao.pay.annual.models import RUN_RELEASED as ANNUAL_RUN_RELEASED
from jixiao.pay.monthly.models import MonthlyPayRun
from jixiao.pay.structures.models import NetProfit
from jixiao.plans.models import RELEASED as PLAN_RELEASED


def test_access_names_the_same_released_states_as_the_apps() -> None:
    assert {str(s) for s in CYCLE_RELEASED} == cycles.RELEASED
    assert {str(s) for s in PLAN_RELEASED} == plans.PLAN_RELEASED
    assert {pay.PAY_RUN_RELEASED} == {str(s) for s in ANNUAL_RUN_RELEASED}
    assert pay.PAY_RUN_RELEASED == MonthlyPayRun.Status.RELEASED
    assert pay.PROFIT_DRAFT == NetProfit.Status.DRAFT
