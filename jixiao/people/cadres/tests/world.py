"""Cadre review for the persona company: quarterly results written directly (test scaffolding:
the cycle workflow has its own tests), a rule for the sales lead's level (3), and nominations
taken as far as a test needs through the real services.

The employee (sales clerk, level 1) is nominated by their head for the sales lead post (P-LEAD,
level 3, quota 1, held by the head). The committee: leader, deputy, member (office department).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jixiao.cycles.lifecycle.models import Cycle, CycleMember, CyclePlan, State
from jixiao.cycles.results.models import Result
from jixiao.org.models import Position
from jixiao.people.cadres import services
from jixiao.people.cadres.models import EligibilityRule, Nomination

QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
GOOD = {"2025-Q4": "B", "2026-Q1": "A", "2026-Q2": "B", "2026-Q3": "B"}
POINTS = {"integrity": "18", "ability": "16", "diligence": "17", "performance": "19", "probity": "20"}


def lead() -> Position:
    return Position.objects.get(code="P-LEAD")


def quarter_result(p: Any, name: str, label: str, grade: str, *, veto: bool = False) -> Result:
    """A locked quarterly cycle ``label`` (2026-Q1) with ``name``'s result at ``grade``."""
    year, q = int(label[:4]), int(label[-1])
    month, day = QUARTER_ENDS[q]
    cycle, _ = Cycle.objects.get_or_create(
        label=label,
        defaults={
            "kind": "quarter",
            "start": dt.date(year, month - 2, 1),
            "end": dt.date(year, month, day),
            "state": State.LOCKED,
        },
    )
    snapshot = CyclePlan.objects.filter(cycle__label="2026-08").order_by("pk")[0]
    employee = p.employees[name]
    member = CycleMember.objects.create(
        cycle=cycle,
        employee=employee,
        snapshot=snapshot,
        department=employee.department,
        position=employee.position,
        manager=employee.manager,
    )
    return Result.objects.create(
        member=member,
        cycle=cycle,
        total_milli=80_000,
        weighted_milli=80_000,
        bonus_milli=0,
        deduction_milli=0,
        grade=grade,
        coefficient="1.0",
        rank_department=1,
        rank_company=1,
        vetoes=["safety"] if veto else [],
        inputs={},
        engine_version="test",
        computed_at=timezone.now(),
    )


def history(p: Any, name: str = "employee", grades: dict[str, str] | None = None) -> None:
    for label, grade in (grades or GOOD).items():
        quarter_result(p, name, label, grade)


def rule(p: Any, **overrides: Any) -> EligibilityRule:
    """Level 3: the last 4 quarters at B or better, 24 months in post, no veto, no open plan."""
    data = {
        "cycle_kind": "quarter",
        "cycle_count": "4",
        "min_grade": "B",
        "min_months_in_post": "24",
        "no_veto": True,
        "no_open_plan": True,
    }
    data.update(overrides)
    return services.eligibility_rule_save(user=p["hr"], level=3, data=data)


def nominated(p: Any, *, eligible: bool = True) -> Nomination:
    """The head nominates the employee for the lead post (eligible: with a good history); once."""
    existing = Nomination.objects.filter(nominee=p.employees["employee"], target=lead()).first()
    if existing is not None:
        return existing
    if eligible:
        history(p)
    rule(p)
    return services.nomination_create(
        user=p["head"],
        employee=p.employees["employee"],
        target=lead(),
        reason="业绩稳定，带教新人，可担任销售经理。",
        override_reason="" if eligible else "虽未满两年，但承担了经理的实际工作。",
    )


def scored(p: Any, *who: str) -> Nomination:
    nomination = nominated(p)
    for name in who or ("leader", "deputy", "member"):
        services.nomination_score(
            user=p[name], nomination=nomination, points=POINTS, comment=f"{name} 的评语"
        )
    nomination.refresh_from_db()
    return nomination


def evaluated(p: Any) -> Nomination:
    nomination = scored(p, "deputy", "member")
    return services.nomination_close(user=p["hr"], nomination=nomination, version=nomination.version)
