"""Every demo pay line re-derives from its stored inputs: the engine, run again on what the line
kept, gives the stored figures to the fen, and the trace replays the amount paid (issue 10)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from jixiao.engine import ENGINE_VERSION
from jixiao.engine.pay import MonthlyInputs, monthly_line
from jixiao.engine.pay_annual import LineInputs, annual_line
from jixiao.pay.annual.models import AnnualBonusLine
from jixiao.pay.monthly.models import MonthlyPayLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any) -> None:
    call_command("demo", verbosity=0)


def test_every_demo_pay_line_re_derives_from_its_inputs_to_the_fen(demo: None) -> None:
    annual = list(AnnualBonusLine.objects.all())
    monthly = list(MonthlyPayLine.objects.all())
    assert annual and monthly
    for line in annual:
        again = annual_line(LineInputs.from_json(line.inputs))
        assert line.engine_version == ENGINE_VERSION
        assert (again.amount, again.full, again.months, again.rate, again.proration) == (
            line.amount_fen,
            line.full_fen,
            line.months_eligible,
            line.rate,
            line.proration,
        )
        assert line.trace.replay() * 100 == line.amount_fen == again.trace.result * 100
    for row in monthly:
        figures, trace = monthly_line(MonthlyInputs.from_json(row.inputs))
        assert row.engine_version == ENGINE_VERSION
        assert (
            figures.base_salary,
            figures.monthly_bonus,
            figures.travel,
            figures.reward,
            figures.penalty,
            figures.adjustment,
            figures.total,
        ) == (
            row.base_salary_fen,
            row.monthly_bonus_fen,
            row.travel_fen,
            row.reward_fen,
            row.penalty_fen,
            row.adjustment_fen,
            row.total_fen,
        )
        assert trace.replay() * 100 == row.total_fen == row.trace.replay() * 100
        assert row.trace.render("zh") == trace.render("zh")
