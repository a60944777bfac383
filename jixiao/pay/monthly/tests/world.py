"""Monthly pay rows for the test personas: the sales department's cycle of ``MONTH`` closed
and marked locked directly (test scaffolding: the cycle workflow has its own tests), pay
structures for its positions, the department's completion and a released monthly run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jixiao.cycles.lifecycle import services as cycles
from jixiao.cycles.lifecycle.models import Cycle, State
from jixiao.pay.monthly import services as monthly_services
from jixiao.pay.monthly.models import MonthlyPayRun
from jixiao.pay.structures.models import PayStructure

MONTH = "2027-01"


def locked_month(p: Any, month: str = MONTH, *, lock: bool = True) -> Cycle:
    """The persona sales cycle ``month`` (January-like dates), scored-closed and locked."""
    existing = Cycle.objects.filter(label=month).first()
    if existing is not None:
        return existing
    year, mon = (int(x) for x in month.split("-"))
    cycle = cycles.cycle_create(
        user=p["hr"],
        label=month,
        kind="month",
        start=dt.date(year, mon, 1),
        end=dt.date(year, mon, 28),
        departments=[p.department],
    )
    cycle = cycles.cycle_open(user=p["hr"], cycle=cycle)
    cycle = cycles.cycle_close_scoring(user=p["hr"], cycle=cycle, reason="测试：提前截止 (a future month)")
    if lock:
        Cycle.objects.filter(pk=cycle.pk).update(state=State.LOCKED)
        cycle.refresh_from_db()
    return cycle


def structures(p: Any) -> None:
    """Clerk 4000 + 1000 + 200/day; lead 6000 + 2000 + 300/day (yuan), from 2024."""
    for position, amounts in (
        (p.position, (400_000, 100_000, 20_000)),
        (p.employees["head"].position, (600_000, 200_000, 30_000)),
    ):
        PayStructure.objects.get_or_create(
            position=position,
            effective_from=dt.date(2024, 1, 1),
            defaults=dict(zip(("base_salary", "monthly_bonus_base", "travel_per_day"), amounts, strict=True)),
        )


def ready_month(p: Any, month: str = MONTH, completion: str = "90%") -> Cycle:
    """A locked month with structures and the department's completion recorded."""
    cycle = locked_month(p, month)
    structures(p)
    monthly_services.completion_record(
        user=p["member"], department=p.department, month=month, rate=completion
    )
    return cycle


def released_run(p: Any, month: str = MONTH) -> MonthlyPayRun:
    """Create (once per personas) a released monthly run for ``month``."""
    run = MonthlyPayRun.objects.filter(month=month, status="released").first()
    if run is not None:
        return run
    ready_month(p, month)
    run = monthly_services.monthly_pay_run_compute(user=p["hr"], month=month)
    return monthly_services.monthly_pay_run_release(
        user=p["leader"], run=run, over_budget_reason="测试：超出奖金池照发"
    )
