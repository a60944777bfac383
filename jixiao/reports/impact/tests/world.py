"""The impact preview's test world on the persona company: the sales cycle 2026-10 with varied
actuals and scores for three people, closed through the real service, locked, and paid (a
computed monthly run); and version 2 of the sales plan, as its head would start it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jixiao.cycles.entry.services import actual_set, score_set
from jixiao.cycles.lifecycle import services as cycles
from jixiao.cycles.lifecycle.models import Cycle, CycleMember, State
from jixiao.pay.monthly import services as monthly
from jixiao.pay.monthly.tests.world import structures
from jixiao.plans import services as plans
from jixiao.plans.models import Plan

LABEL = "2026-10"
# Per person: actuals, then (indicator, rater, value) scores. The employee sells well and is
# slow to answer; the colleague is the other way round; the head has actuals and no scores.
DATA: dict[str, tuple[dict[str, str], list[tuple[str, str, str]]]] = {
    "employee": (
        {"orders": "30", "inquiries": "100", "satisfaction": "82", "response_seconds": "60"},
        [("teamwork", "manager", "good"), ("attitude", "manager", "excellent")],
    ),
    "colleague": (
        {"orders": "12", "inquiries": "100", "satisfaction": "97", "response_seconds": "25"},
        [("teamwork", "manager", "excellent"), ("attitude", "manager", "good")],
    ),
    "head": ({"orders": "5", "inquiries": "50", "satisfaction": "88", "response_seconds": "45"}, []),
}


def paid_cycle(p: Any) -> Cycle:
    """The sales cycle 2026-10: scored, closed by the service, locked, with a computed pay run."""
    existing = Cycle.objects.filter(label=LABEL).first()
    if existing is not None:
        return existing
    hr = p["hr"]
    cycle = cycles.cycle_create(
        user=hr, label=LABEL, kind="month", start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31),
        departments=[p.department],
    )  # fmt: skip
    cycle = cycles.cycle_open(user=hr, cycle=cycle)
    for name, (actuals, scores) in DATA.items():
        member = CycleMember.objects.get(cycle=cycle, employee=p.employees[name])
        for key, value in actuals.items():
            actual_set(user=hr, member=member, measure_key=key, value=value)
        for indicator, rater, value in scores:
            score_set(user=p["head"], member=member, indicator_key=indicator, rater_kind=rater, value=value)
    cycle = cycles.cycle_close_scoring(user=hr, cycle=cycle)
    Cycle.objects.filter(pk=cycle.pk).update(state=State.LOCKED)
    cycle.refresh_from_db()
    structures(p)
    monthly.completion_record(user=p["member"], department=p.department, month=LABEL, rate="95%")
    monthly.monthly_pay_run_compute(user=hr, month=LABEL)
    return cycle


def new_version(p: Any, weights: dict[str, str] | None = None) -> Plan:
    """Version 2 of the sales plan (same code), with ``weights`` changed, by the sales head."""
    draft: Plan = plans.document_new_version(user=p["head"], document=p.plans["published"])
    for key, weight in (weights or {}).items():
        draft.refresh_from_db()
        index = next(i for i, ind in enumerate(draft.content["indicators"]) if ind["key"] == key)
        indicator = {**draft.content["indicators"][index], "weight": weight}
        draft = plans.plan_indicator_save(
            user=p["head"], plan=draft, index=index, indicator=indicator, version=draft.version
        )
    draft.refresh_from_db()
    return draft
