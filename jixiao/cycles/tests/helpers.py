"""Cycles for the persona company: a cycle opened for the sales department's published plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jixiao.cycles.lifecycle import services
from jixiao.cycles.lifecycle.models import Cycle, CycleMember


def open_cycle(personas: Any, label: str = "2026-10") -> Cycle:
    """Return the persona cycle ``label``, creating and opening it on first use."""
    existing = Cycle.objects.filter(label=label).first()
    if existing is not None:
        return existing
    hr = personas["hr"]
    cycle = services.cycle_create(
        user=hr,
        label=label,
        kind="month",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 31),
        departments=[personas.department],
    )
    return services.cycle_open(user=hr, cycle=cycle)


def member_of(personas: Any, cycle: Cycle, name: str = "employee") -> CycleMember:
    return CycleMember.objects.select_related("snapshot", "cycle").get(
        cycle=cycle, employee=personas.employees[name]
    )


def closed_cycle(personas: Any, label: str = "2026-10") -> Cycle:
    """A persona cycle with scores and actuals for the employee, closed for scoring."""
    from jixiao.cycles.entry.services import actual_set, score_set

    cycle = open_cycle(personas, label)
    if not cycle.is_open:
        return cycle
    member = member_of(personas, cycle)
    for key, value in {
        "orders": "30",
        "inquiries": "100",
        "satisfaction": "92",
        "response_seconds": "40",
    }.items():
        actual_set(user=personas["hr"], member=member, measure_key=key, value=value)
    score_set(
        user=personas["head"], member=member, indicator_key="teamwork", rater_kind="manager", value="good"
    )
    score_set(
        user=personas["head"],
        member=member,
        indicator_key="attitude",
        rater_kind="manager",
        value="excellent",
    )
    score_set(
        user=personas["employee"], member=member, indicator_key="attitude", rater_kind="self", value="good"
    )
    score_set(
        user=personas["colleague"], member=member, indicator_key="teamwork", rater_kind="peer", value="90"
    )
    return services.cycle_close_scoring(user=personas["hr"], cycle=cycle)


def summary_submitted(personas: Any, cycle: Cycle) -> Any:
    """The sales head's department summary (部门汇总), written briefly and submitted to HR."""
    from jixiao.cycles.review.services import summary_save, summary_submit

    summary = summary_save(
        user=personas["head"],
        cycle=cycle,
        department=personas.department,
        work_done="完成",
        problems="",
        next_steps="",
    )
    return summary_submit(user=personas["head"], summary=summary)


def summaries_checked(personas: Any, cycle: Cycle) -> None:
    """The sales head submits the department summary (部门汇总) and HR checks it."""
    from jixiao.cycles.review.services import summary_check, summary_save, summary_submit

    summary = summary_save(
        user=personas["head"],
        cycle=cycle,
        department=personas.department,
        work_done="完成本月销售任务",
        problems="回款偏慢",
        next_steps="加强回款跟进",
    )
    summary_check(user=personas["hr"], summary=summary_submit(user=personas["head"], summary=summary))


def published_cycle(personas: Any, label: str = "2026-10") -> Cycle:
    """The persona cycle taken through summaries, HR's check and the committee to published."""
    cycle = closed_cycle(personas, label)
    if cycle.state != "scoring_closed":
        return cycle
    summaries_checked(personas, cycle)
    for action in ("submit_summaries", "hr_check"):
        cycle = services.cycle_transition(user=personas["hr"], cycle=cycle, action=action)
    cycle = services.cycle_verify(user=personas["leader"], cycle=cycle)
    return services.cycle_publish(user=personas["hr"], cycle=cycle)
