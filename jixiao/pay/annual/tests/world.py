"""Pay rows for the test personas: a pay plan for their sales department, an approved profit
and a released run with a line for ``employee`` (built directly: test scaffolding)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jixiao.demo.plans import _table
from jixiao.pay.annual.models import AnnualBonusLine, AnnualBonusRun
from jixiao.pay.structures.models import NetProfit, PayStructure
from jixiao.plans.models import Plan


def pay_world(p: Any) -> dict[str, Any]:
    """Create (once per personas) and return the pay rows the access tests point at."""
    cached: dict[str, Any] | None = getattr(p, "_pay_world", None)
    if cached is not None:
        return cached
    plan = Plan.objects.create(
        code="p-pay",
        name="销售部薪酬方案",
        department=p.department,
        framework=p.plans["framework"],
        kind=Plan.Kind.PAY,
        content=_table("pay_marketing.toml", "pay"),
        author=p["head"],
        status="returned",
    )
    structure = PayStructure.objects.create(
        position=p.position,
        base_salary=400000,
        monthly_bonus_base=100000,
        travel_per_day=20000,
        annual_bonus_role="manager",
        effective_from=dt.date(2024, 1, 1),
    )
    profit = NetProfit.objects.create(
        year=2025, amount_fen=300_000_000, entered_by=p["finance"], status="approved"
    )
    run = AnnualBonusRun.objects.create(
        year=2025,
        department=p.department,
        net_profit=profit,
        plan=plan,
        plan_number=1,
        plan_status="returned",
        mode="bracket",
        total_fen=3_000_000,
        computed_by=p["hr"],
        status="released",
    )
    line = AnnualBonusLine.objects.create(
        run=run,
        employee=p.employees["employee"],
        role="manager",
        rate="0.01",
        full_fen=3_000_000,
        months_eligible=12,
        proration="12/12",
        amount_fen=3_000_000,
        inputs={},
    )
    world = {"plan": plan, "structure": structure, "profit": profit, "run": run, "line": line}
    p._pay_world = world
    return world
