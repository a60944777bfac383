"""The demo's cycles: six closed months for the customer-service team (2026-05 … 2026-10, the
last one published and in its appeal window, the others locked) and 2026-11 open for scoring.
In 2026-09 the committee leader moved two grades in calibration (校准), with their reasons.
Every closed month has the head's department summary (部门汇总), checked by HR; 2026-09 and
2026-10 carry findings (one rectification verified, one still open). The head held feedback
interviews (绩效面谈) for 2026-08 and 2026-09 (the agent acknowledged 2026-09's); 2026-10 waits
for its interviews, and shows the rank to employees only as a band (the default release).

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
from jixiao.cycles.calibration.services import calibration_move
from jixiao.cycles.entry import imports
from jixiao.cycles.entry.models import Score
from jixiao.cycles.lifecycle import services
from jixiao.cycles.lifecycle.models import Cycle, CycleMember
from jixiao.cycles.results.models import Result
from jixiao.cycles.review import services as summaries
from jixiao.cycles.review.services import interview_acknowledge, interview_record
from jixiao.org.models import Department

MONTHS = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
CURRENT = "2026-11"
CALIBRATED = "2026-09"  # the committee moved two grades in calibration (校准) this month
LEVELS = ["excellent", "good", "good", "good", "fair", "fair", "poor"]


def load_cycles(seed: int = 20261101) -> None:
    rng = random.Random(seed)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["hr", "leader", "cs_head", "cs_agent"])
    }
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
        _summary(users, cycle, department, label)
        for action in ("submit_summaries", "hr_check"):
            services.cycle_transition(user=users["hr"], cycle=cycle, action=action)
        if label == CALIBRATED:
            _calibrate(users["leader"], cycle)
        services.cycle_verify(user=users["leader"], cycle=cycle)
        services.cycle_publish(user=users["hr"], cycle=cycle)
        if label != MONTHS[-1]:
            services.cycle_lock(user=users["hr"], cycle=cycle)
    _interviews(users, ["2026-08", "2026-09"])


# (finding, needs rectification, due, the head's answer or "", verified by HR)
FINDINGS: dict[str, list[tuple[str, bool, str, str, bool]]] = {
    "2026-09": [
        ("汇总中的差错件数与系统数据一致。", False, "", "", False),
        ("两名新员工未参加服务规范培训。", True, "2026-10-15", "已于 10 月 12 日补训并考核合格。", True),
    ],
    "2026-10": [("客户回访记录有 3 天缺失，需补录并说明原因。", True, "2026-12-15", "", False)],
}


def _summary(users: dict[str, Any], cycle: Cycle, department: Department, label: str) -> None:
    """The head writes and submits the month's summary; HR records findings and checks it."""
    summary = summaries.summary_save(
        user=users["cs_head"],
        cycle=cycle,
        department=department,
        work_done=f"{label} 完成咨询接待与回访任务，客户满意度总体稳定。",
        problems="高峰时段响应偏慢；个别员工差错率偏高。",
        next_steps="高峰时段增加排班，差错件逐件复盘。",
    )
    summary = summaries.summary_submit(user=users["cs_head"], summary=summary)
    for text, needs, due, answer, verified in FINDINGS.get(label, []):
        finding = summaries.finding_record(
            user=users["hr"],
            summary=summary,
            text=text,
            needs_rectification=needs,
            due=dt.date.fromisoformat(due) if due else None,
        )
        if answer:
            item = summaries.rectification_answer(
                user=users["cs_head"], item=finding.rectification, response=answer
            )
            if verified:
                summaries.rectification_verify(user=users["hr"], item=item, accepted=True)
    summaries.summary_check(user=users["hr"], summary=summary)


def _interviews(users: dict[str, Any], labels: list[str]) -> None:
    """The head's feedback interviews for ``labels``; the agent acknowledges the last one."""
    for label in labels:
        year, month = (int(x) for x in label.split("-"))
        for member in CycleMember.objects.filter(cycle__label=label).select_related("employee", "cycle"):
            if member.employee.user_id == users["cs_head"].pk:
                continue  # the head is not their own interviewer
            interview = interview_record(
                user=users["cs_head"],
                member=member,
                held_on=dt.date(year, month + 1, 6),
                strengths="客户回访及时，服务态度获客户好评。",
                improvements="高峰时段响应偏慢，转化率还有提升空间。",
                goals="平均响应时间控制在 30 秒内，转化率达到 32%。",
            )
            if label == labels[-1] and member.employee.user_id == users["cs_agent"].pk:
                interview_acknowledge(
                    user=users["cs_agent"], interview=interview, comment="同意，下月重点改进高峰时段。"
                )


def _open(hr: Any, department: Department, label: str) -> Cycle:
    year, month = (int(x) for x in label.split("-"))
    last = calendar.monthrange(year, month)[1]
    cycle = services.cycle_create(
        user=hr,
        label=label,
        kind="month",
        start=dt.date(year, month, 1),
        end=dt.date(year, month, last),
        departments=[department],
        deadlines={"open": f"{label}-{min(last, 28):02d}"},
    )
    return services.cycle_open(user=hr, cycle=cycle)


def _actuals(
    hr: Any,
    cycle: Cycle,
    members: list[CycleMember],
    skill: dict[int, float],
    rng: random.Random,
    partial: bool,
) -> None:
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


def _scores(
    hr: Any,
    cycle: Cycle,
    members: list[CycleMember],
    skill: dict[int, float],
    rng: random.Random,
    partial: bool,
) -> None:
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
            Score(
                member=m,
                indicator_key="teamwork",
                rater_kind="peer",
                rater_id=peer,
                value=rng.choice(LEVELS[:5]),
            ),
            Score(member=m, indicator_key="attitude", rater_kind="manager", rater_id=head_id, value=level),
            Score(
                member=m,
                indicator_key="attitude",
                rater_kind="self",
                rater_id=m.employee_id,
                value=rng.choice(LEVELS[:3]),
            ),
        ]
    Score.objects.bulk_create(scores)
    audit_record(actor=hr, action="score.demo_seed", obj=cycle, after={"scores": len(scores)})


def _calibrate(leader: Any, cycle: Cycle) -> None:
    """Two calibration moves with reasons: the lowest-scored A down to B (the team has more A
    grades than the 20 % quota allows), the best-scored C up to B."""
    movable = scope(leader, "calibration.move", Result.objects.filter(cycle=cycle).select_related("member"))
    moves = [
        (
            "A",
            "B",
            "total_milli",
            "A 等级人数超出 20% 配额；与同组 A 等级员工比较，本月客户满意度偏低，复核后调整为 B。",
        ),
        (
            "C",
            "B",
            "-total_milli",
            "本月承接新产品线咨询量最大，转化率受新品影响；组长与副组长复核后上调一级。",
        ),
    ]
    for grade, to_grade, order, reason in moves:
        candidates = [r for r in movable.filter(grade=grade).order_by(order) if not r.vetoes]
        if candidates:
            calibration_move(
                user=leader,
                result=candidates[0],
                to_grade=to_grade,
                reason=reason,
                expected_grade=grade,
                expected_moves=0,
            )
