"""The demo's cycles, dated from the day the demo is loaded (``story``): six closed months for
customer service, marketing and production (the last one published and in its appeal window,
the others locked) and the current month open for scoring. Two months ago the committee leader
moved two grades in calibration (校准), with their reasons. Every closed month has each head's
department summary (部门汇总), checked by HR; the last two carry findings for customer service
(one rectification verified, one still open). The heads held feedback interviews (绩效面谈) for
the months three and two back (the agent acknowledged the later one); last month waits for its
interviews, and shows the rank to employees only as a band (the default release).

Actuals come in through the real import service and every stage goes through the cycle
services (``entry`` seeds the data; see there for the one shortcut).
"""

from __future__ import annotations

import random
from typing import Any

from django.contrib.auth import get_user_model

from jixiao.access.policy import scope
from jixiao.cycles.calibration.services import calibration_move
from jixiao.cycles.lifecycle import services
from jixiao.cycles.lifecycle.models import Cycle, CycleMember
from jixiao.cycles.results.models import Result
from jixiao.cycles.review import services as summaries
from jixiao.cycles.review.services import interview_acknowledge, interview_record
from jixiao.org.models import Department, Employee

from .entry import actuals_enter, backdate, cs_scores, plan_scores, scores_seed
from .story import CALIBRATED, CLOSED, INTERVIEWED, PUBLISHED, Story

HEADS = {"CS": "cs_head", "MKT": "mkt_director", "PRD": "prd_head"}
SKILL = {"CS": (0.75, 1.15), "MKT": (0.8, 1.1), "PRD": (0.7, 1.05)}  # how well people do, by department
NAMES = ["hr", "leader", "member", *HEADS.values(), "cs_agent", "mkt_manager"]


def load_cycles(day: Story, seed: int = 20261101) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=NAMES)}
    departments = {code: Department.objects.get(code=code) for code in HEADS}
    rngs = {code: random.Random(seed + n) for n, code in enumerate(HEADS)}
    committee_id = Employee.objects.get(user=users["member"]).pk
    skill: dict[int, float] = {}
    for offset in (*CLOSED, 0):
        cycle = _open(users["hr"], list(departments.values()), day, offset)
        for code, department in departments.items():
            members = list(
                CycleMember.objects.filter(cycle=cycle, department=department).select_related(
                    "employee", "department", "snapshot"
                )
            )
            rng = rngs[code]
            low, high = SKILL[code]
            for m in members:
                skill.setdefault(m.employee_id, rng.uniform(low, high))
            partial = offset == 0
            actuals_enter(users["hr"], cycle, code, members, skill, rng, partial)
            scores = (
                cs_scores(members, skill, rng, partial)
                if code == "CS"
                else plan_scores(members, skill, rng, partial, committee_id)
            )
            scores_seed(users["hr"], cycle, code, scores)
        if offset != 0:
            backdate(cycle, day, offset)
            _close(users, cycle, departments, day, offset)
    _interviews(users, day)


def _close(
    users: dict[str, Any], cycle: Cycle, departments: dict[str, Department], day: Story, offset: int
) -> None:
    services.cycle_close_scoring(user=users["hr"], cycle=cycle)
    for code, department in departments.items():
        _summary(users, cycle, code, department, day, offset)
    for action in ("submit_summaries", "hr_check"):
        services.cycle_transition(user=users["hr"], cycle=cycle, action=action)
    if offset == CALIBRATED:
        _calibrate(users["leader"], cycle, departments["CS"])
    services.cycle_verify(user=users["leader"], cycle=cycle)
    services.cycle_publish(user=users["hr"], cycle=cycle)
    if offset != PUBLISHED:
        services.cycle_lock(user=users["hr"], cycle=cycle)


# Customer service's findings by month offset: (finding, needs rectification, due (month
# offset, day), the head's answer or "", verified by HR).
FINDINGS: dict[int, list[tuple[str, bool, tuple[int, int] | None, str, bool]]] = {
    -2: [
        ("汇总中的差错件数与系统数据一致。", False, None, "", False),
        ("两名新员工未参加服务规范培训。", True, (-1, 15), "已于 {month} 月 12 日补训并考核合格。", True),
    ],
    -1: [("客户回访记录有 3 天缺失，需补录并说明原因。", True, (1, 15), "", False)],
}
SUMMARIES = {
    "CS": ("完成咨询接待与回访任务，客户满意度总体稳定。", "高峰时段响应偏慢；个别员工差错率偏高。",
           "高峰时段增加排班，差错件逐件复盘。"),
    "MKT": ("完成加盟商渠道与特色渠道的月度销售计划，回款按期催收。", "个别加盟商回款滞后。",
            "逐户跟进应收账款，下月走访两家新加盟意向客户。"),
    "PRD": ("按计划完成生产任务，一次合格率保持稳定，无安全事故。", "个别工位材料损耗偏高。",
            "损耗高的工位逐项复盘，开展一次安全规范培训。"),
}  # fmt: skip


def _summary(
    users: dict[str, Any], cycle: Cycle, code: str, department: Department, day: Story, offset: int
) -> None:
    """The head writes and submits the month's summary; HR records findings and checks it."""
    head = users[HEADS[code]]
    work_done, problems, next_steps = SUMMARIES[code]
    summary = summaries.summary_save(
        user=head,
        cycle=cycle,
        department=department,
        work_done=f"{cycle.label} {work_done}",
        problems=problems,
        next_steps=next_steps,
    )
    summary = summaries.summary_submit(user=head, summary=summary)
    for text, needs, due, answer, verified in FINDINGS.get(offset, []) if code == "CS" else []:
        finding = summaries.finding_record(
            user=users["hr"],
            summary=summary,
            text=text,
            needs_rectification=needs,
            due=day.day(offset + due[0], due[1]) if due else None,
        )
        if answer:
            response = answer.format(month=day.first(offset + 1).month)
            item = summaries.rectification_answer(user=head, item=finding.rectification, response=response)
            if verified:
                summaries.rectification_verify(user=users["hr"], item=item, accepted=True)
    summaries.summary_check(user=users["hr"], summary=summary)


INTERVIEW_TEXT = {
    "cs_head": (
        "客户回访及时，服务态度获客户好评。",
        "高峰时段响应偏慢，转化率还有提升空间。",
        "平均响应时间控制在 30 秒内，转化率达到 32%。",
    ),
    "mkt_director": (
        "加盟商维护到位，回款及时。",
        "新加盟商开拓数量不足。",
        "下月新签加盟商 2 家，应收账款回收率不低于 95%。",
    ),
}


ACKNOWLEDGED = {"cs_agent": "同意，下月重点改进高峰时段。", "mkt_manager": "同意，下月重点开拓新加盟商。"}


def _interviews(users: dict[str, Any], day: Story) -> None:
    """The heads' feedback interviews, on the 6th of the following month; the agent and the
    marketing manager acknowledge the later month's."""
    for offset in INTERVIEWED:
        for head, (strengths, improvements, goals) in INTERVIEW_TEXT.items():
            members = CycleMember.objects.filter(
                cycle__label=day.label(offset), department__head__user=users[head]
            ).select_related("employee", "cycle")
            for member in members:
                interview = interview_record(
                    user=users[head],
                    member=member,
                    held_on=day.day(offset + 1, 6),
                    strengths=strengths,
                    improvements=improvements,
                    goals=goals,
                )
                for name, comment in ACKNOWLEDGED.items():
                    if offset == INTERVIEWED[-1] and member.employee.user_id == users[name].pk:
                        interview_acknowledge(user=users[name], interview=interview, comment=comment)


def _open(hr: Any, departments: list[Department], day: Story, offset: int) -> Cycle:
    """The month's cycle; scoring closes on the 5th of the following month."""
    cycle = services.cycle_create(
        user=hr,
        label=day.label(offset),
        kind="month",
        start=day.first(offset),
        end=day.last(offset),
        departments=departments,
        deadlines={"open": day.day(offset + 1, 5).isoformat()},
    )
    return services.cycle_open(user=hr, cycle=cycle)


def _calibrate(leader: Any, cycle: Cycle, department: Department) -> None:
    """Two calibration moves with reasons: the lowest-scored A down to B (the team has more A
    grades than the 20 % quota allows), the best-scored C up to B."""
    movable = scope(
        leader,
        "calibration.move",
        Result.objects.filter(cycle=cycle, member__department=department).select_related("member"),
    )
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
