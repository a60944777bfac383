"""A published cycle for recheck tests: the sales department (with extra clerks) and the plant,
every member with actuals and ratings (two peers on some), computed by the real close.

Test scaffolding: actuals and scores are written as rows (no audit events), the cycle is closed
through ``cycle_close_scoring`` and its state then set to published, as the personas do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jixiao.cycles.entry.models import Actual, Score
from jixiao.cycles.lifecycle import services
from jixiao.cycles.lifecycle.models import Cycle, CycleMember, State
from jixiao.cycles.results.models import Result
from jixiao.org.models import Employee

LEVELS = ("excellent", "good", "fair", "poor")
LABEL = "2026-11"


def recheck_cycle(personas: Any, extra: int = 6, label: str = LABEL) -> Cycle:
    hr, head = personas["hr"], personas.employees["head"]
    for n in range(extra):
        Employee.objects.create(
            number=f"RC{n:02d}",
            name=f"复核{n}",
            department=personas.department,
            position=personas.position,
            manager=head,
            hire_date=dt.date(2022, 1, 1),
        )
    cycle = services.cycle_create(
        user=hr,
        label=label,
        kind="month",
        start=dt.date(2026, 11, 1),
        end=dt.date(2026, 11, 30),
        departments=[personas.department, personas.other_department],
    )
    cycle = services.cycle_open(user=hr, cycle=cycle)
    peers = list(Employee.objects.filter(department=personas.department).order_by("pk")[:2])
    for i, member in enumerate(CycleMember.objects.filter(cycle=cycle).order_by("pk")):
        _inputs(member, i, head, peers)
    services.cycle_close_scoring(user=hr, cycle=cycle)
    Cycle.objects.filter(pk=cycle.pk).update(state=State.PUBLISHED)
    cycle.refresh_from_db()
    return cycle


def _inputs(member: CycleMember, i: int, head: Employee, peers: list[Employee]) -> None:
    measures = {
        "orders": str(18 + 3 * (i % 5)),
        "inquiries": "100",
        "satisfaction": str(78 + 4 * (i % 6)),
        "response_seconds": str(25 + 7 * (i % 4)),
        "costly_errors": "1" if i % 3 == 2 else "0",
        "praise": str(i % 4),
        "data_leak": "0",
    }
    for key, value in measures.items():
        Actual.objects.create(member=member, measure_key=key, value=value)
    rows = [
        ("teamwork", "manager", head, LEVELS[i % 4]),
        ("attitude", "manager", head, LEVELS[(i + 1) % 4]),
        ("attitude", "self", member.employee, LEVELS[(i + 2) % 4]),
        ("teamwork", "peer", peers[0], str(70 + 5 * (i % 5))),
    ]
    if i % 2 == 0:
        rows.append(("teamwork", "peer", peers[1], "good"))  # two peers: the engine averages them
    for indicator, kind, rater, value in rows:
        Score.objects.create(
            member=member, indicator_key=indicator, rater_kind=kind, rater=rater, value=value
        )


def result_of(personas: Any, cycle: Cycle, name: str = "employee") -> Result:
    return Result.objects.select_related("member__snapshot", "member__department", "cycle").get(
        cycle=cycle, member__employee=personas.employees[name]
    )
