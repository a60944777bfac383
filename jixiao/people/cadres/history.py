"""What the eligibility engine reads of people, loaded in a fixed number of queries: their released
results (grade, the framework's grades, veto), when their current post began (the last position
change in force, else the hire date) and whether an improvement plan is open. No access check:
selectors and services check who may read it before calling."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from jixiao.cycles.lifecycle.models import RELEASED, CyclePlan
from jixiao.cycles.results.models import Result
from jixiao.engine import eligibility as engine
from jixiao.engine.text import Text
from jixiao.org.models import Employee, PositionChange
from jixiao.people.improvement.selectors import open_plan_employee_ids


def _grade_orders(snapshot_ids: set[int]) -> dict[int, tuple[str, ...]]:
    orders: dict[int, tuple[str, ...]] = {}
    for pk, content in CyclePlan.objects.filter(pk__in=snapshot_ids).values_list("pk", "framework_content"):
        grades = content.get("grades", []) if isinstance(content, dict) else []
        orders[pk] = tuple(str(g.get("key", "")) for g in grades if isinstance(g, dict))
    return orders


def records_for(employee_ids: Iterable[int]) -> dict[int, list[engine.Record]]:
    """Each employee's released results as engine records, oldest first."""
    rows = list(
        Result.objects.filter(member__employee_id__in=set(employee_ids), cycle__state__in=RELEASED)
        .order_by("cycle__end", "cycle__label")
        .values(
            "member__employee_id",
            "cycle__label",
            "cycle__kind",
            "cycle__end",
            "grade",
            "vetoes",
            "member__snapshot_id",
        )
    )
    orders = _grade_orders({r["member__snapshot_id"] for r in rows})
    found: dict[int, list[engine.Record]] = {}
    for r in rows:
        found.setdefault(r["member__employee_id"], []).append(
            engine.Record(
                label=r["cycle__label"],
                kind=r["cycle__kind"],
                end=r["cycle__end"],
                grade=r["grade"],
                grades=orders.get(r["member__snapshot_id"], ()),
                veto=bool(r["vetoes"]),
            )
        )
    return found


def post_since(employees: Iterable[Employee], day: dt.date) -> dict[int, tuple[dt.date | None, bool]]:
    """When each employee's post in force on ``day`` began: (date, from the hire date?)."""
    people = list(employees)
    changed: dict[int, dt.date] = {}
    for employee_id, effective in (
        PositionChange.objects.filter(employee_id__in={e.pk for e in people}, effective__lte=day)
        .order_by("employee_id", "effective", "pk")
        .values_list("employee_id", "effective")
    ):
        changed[employee_id] = effective
    return {
        e.pk: (changed[e.pk], False) if e.pk in changed else (e.hire_date, e.hire_date is not None)
        for e in people
    }


def candidates_for(employees: Iterable[Employee], day: dt.date) -> dict[int, engine.Candidate]:
    """The engine's view of each employee on ``day`` (four queries whatever their number)."""
    people = list(employees)
    records = records_for(e.pk for e in people)
    since = post_since(people, day)
    open_plans = open_plan_employee_ids()
    return {
        e.pk: engine.Candidate(
            records=tuple(records.get(e.pk, ())),
            since=since[e.pk][0],
            since_hire=since[e.pk][1],
            open_plan=e.pk in open_plans,
        )
        for e in people
    }


def no_rule(level: int) -> engine.Eligibility:
    """The answer for a level HR has set no conditions for: not eligible, saying why."""
    return engine.Eligibility(
        (
            engine.Condition(
                "rule",
                Text(f"职级 {level} 的任职条件", f"conditions for level {level}"),
                Text("人力资源部尚未设置 → 不符合", "not set by HR yet → not met"),
                False,
            ),
        )
    )


def eligibility_of(rule: Any, level: int, candidate: engine.Candidate, day: dt.date) -> engine.Eligibility:
    """``candidate`` against the rule of ``level`` (None: no rule set)."""
    if rule is None:
        return no_rule(level)
    return engine.eligibility(rule.as_engine(), candidate, day)
