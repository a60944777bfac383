"""The demo's cycles: six closed months for the customer-service team (2026-05 … 2026-10, the
last one published and in its appeal window, the others locked) and 2026-11 open for scoring.
In 2026-09 the committee leader moved two grades in calibration (校准), with their reasons.

Actuals come in through the real import service and every stage goes through the cycle
services. Scores are seeded in bulk with one audit event per cycle (``score.demo_seed``):
going cell by cell through ``score_set`` would write a few hundred audit events for nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model

from jixiao.access.policy import scope
from jixiao.audit.services import audit_record
from jixiao.cycles import imports, services
from jixiao.cycles.calibration import calibration_move
from jixiao.cycles.models import Cycle, CycleMember, Result, Score
from jixiao.org.models import Department

MONTHS = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
CURRENT = "2026-11"
CALIBRATED = "2026-09"  # the committee moved two grades in calibration (校准) this month
LEVELS = ["excellent", "good", "good", "good", "fair", "fair", "poor"]


def load_cycles(seed: int = 20261101) -> None:
    rng = random.Random(seed)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["hr", "leader", "cs_head"])}
    department = Department.objects.get(name="客服部")
    skill: dict[int, float] = {}
    for label in [*MONTHS, CURRENT]:
        cycle = _open(users["hr"], department, label)
        members = list(CycleMember.objects.filter(cycle=cycle).select_related("employee"))
        for m in members:
            skill.setdefault(m.employee_id, rng.uniform(0.75, 1.15))
        current = label == CURRENT
        _actuals(users["hr"], cycle, members, skill, rng, partial=current)
        _scores(users["hr"], cycle, members, skill, rng, partial=current)
        if current:
            continue
        services.cycle_close_scoring(user=users["hr"], cycle=cycle)
        for action in ("submit_summaries", "hr_check"):
            services.cycle_transition(user=users["hr"], cycle=cycle, action=action)
        if label == CALIBRATED:
            _calibrate(users["leader"], cycle)
        services.cycle_verify(user=users["leader"], cycle=cycle)
        services.cycle_publish(user=users["hr"], cycle=cycle)
        if label != MONTHS[-1]:
            services.cycle_lock(user=users["hr"], cycle=cycle)


def _open(hr: Any, department: Department, label: str) -> Cycle:
    year, month = (int(x) for x in label.split("-"))
    last = calendar.monthrange(year, month)[1]
    cycle = services.cycle_create(
        user=hr, label=label, kind="month", start=dt.date(year, month, 1), end=dt.date(year, month, last),
        departments=[department], deadlines={"open": f"{label}-{min(last, 28):02d}"},
    )  # fmt: skip
    return services.cycle_open(user=hr, cycle=cycle)


def _actuals(hr: Any, cycle: Cycle, members: list[CycleMember], skill: dict[int, float], rng: random.Random, partial: bool) -> None:  # fmt: skip
    rows: list[list[Any]] = [["工号", "数据项", "实际值"]]
    for i, m in enumerate(members):
        if partial and i % 3 == 0:
            continue  # the current month: some data still to come
        s = skill[m.employee_id] * rng.uniform(0.9, 1.1)
        inquiries = rng.randint(180, 320)
        rows += [
            [m.employee.number, "inquiries", inquiries],
            [m.employee.number, "orders", int(inquiries * 0.3 * s)],
            [m.employee.number, "satisfaction", f"{min(99.5, 78 + 17 * s):.1f}"],
            [m.employee.number, "response_seconds", int(30 / s + rng.randint(-4, 6))],
            [m.employee.number, "costly_errors", 1 if rng.random() < 0.12 else 0],
            [m.employee.number, "praise", rng.choice([0, 0, 1, 1, 2, 3])],
            [m.employee.number, "data_leak", 0],
        ]
    imports.actuals_import(user=hr, cycle=cycle, rows=rows)


def _scores(hr: Any, cycle: Cycle, members: list[CycleMember], skill: dict[int, float], rng: random.Random, partial: bool) -> None:  # fmt: skip
    head_id = members[0].department.head_id if members else None
    if head_id is None:
        return
    scores: list[Score] = []
    for i, m in enumerate(members):
        if partial and i % 2 == 1:
            continue  # the current month: the head is half-way through the team
        level = LEVELS[
            max(0, min(len(LEVELS) - 1, int((1.15 - skill[m.employee_id]) * 12 + rng.randint(-1, 1))))
        ]
        peer = members[(i + 1) % len(members)].employee_id
        scores += [
            Score(member=m, indicator_key="teamwork", rater_kind="manager", rater_id=head_id, value=level),
            Score(member=m, indicator_key="teamwork", rater_kind="peer", rater_id=peer, value=rng.choice(LEVELS[:5])),
            Score(member=m, indicator_key="attitude", rater_kind="manager", rater_id=head_id, value=level),
            Score(member=m, indicator_key="attitude", rater_kind="self", rater_id=m.employee_id, value=rng.choice(LEVELS[:3])),
        ]  # fmt: skip
    Score.objects.bulk_create(scores)
    audit_record(actor=hr, action="score.demo_seed", obj=cycle, after={"scores": len(scores)})


def _calibrate(leader: Any, cycle: Cycle) -> None:
    """Two calibration moves with reasons: the lowest-scored A down to B (the team has more A
    grades than the 20 % quota allows), the best-scored C up to B."""
    movable = scope(leader, "calibration.move", Result.objects.filter(cycle=cycle).select_related("member"))
    moves = [
        ("A", "B", "total_milli", "A 等级人数超出 20% 配额；与同组 A 等级员工比较，本月客户满意度偏低，复核后调整为 B。"),
        ("C", "B", "-total_milli", "本月承接新产品线咨询量最大，转化率受新品影响；组长与副组长复核后上调一级。"),
    ]  # fmt: skip
    for grade, to_grade, order, reason in moves:
        candidates = [r for r in movable.filter(grade=grade).order_by(order) if not r.vetoes]
        if candidates:
            calibration_move(user=leader, result=candidates[0], to_grade=to_grade, reason=reason,
                             expected_grade=grade, expected_moves=0)  # fmt: skip
