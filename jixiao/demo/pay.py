"""The demo's pay (issue 6), dated from the day the demo is loaded: a structure for every
position (marketing exactly as the source writes it), last year's net profit entered by
``finance`` and approved by ``leader``, and the marketing department's annual bonus for that
year computed and released by ``hr`` from its approved (corrected, published) pay plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from jixiao.engine.money import parse_yuan
from jixiao.org.models import Department, Employee, Position
from jixiao.pay.annual import services as annual
from jixiao.pay.monthly import sanctions
from jixiao.pay.monthly import services as monthly
from jixiao.pay.monthly.models import MonthlyPayRun
from jixiao.pay.structures import services

from .story import PAID, PUBLISHED, Story

# position code → (base salary, monthly bonus base, travel per day, annual bonus role), yuan.
STRUCTURES: dict[str, tuple[str, str, str, str]] = {
    "GM-01": ("15000", "5000", "300", ""), "GM-02": ("12000", "4000", "300", ""),
    "GM-03": ("7000", "1500", "150", ""), "GM-04": ("4500", "800", "100", ""),
    "HR-01": ("9000", "2500", "150", ""), "HR-02": ("7000", "1500", "120", ""),
    "HR-03": ("5500", "1200", "100", ""), "HR-04": ("4500", "800", "100", ""),
    "MKT-01": ("4000", "1000", "200", "director"),  # 1、市场总监 4000元+1000元+200元（每天）+年度奖金
    "MKT-02": ("2000", "500", "100", "manager"),  # 2、市场经理 2000元+500元+100元（每天）+年度奖金
    "MKT-03": ("2000", "500", "100", "manager"),
    "CS-01": ("7000", "2000", "120", ""), "CS-02": ("5000", "1200", "100", ""), "CS-03": ("3800", "1000", "80", ""),
    "PRD-01": ("8000", "2500", "150", ""), "PRD-02": ("5500", "1500", "100", ""),
    "PRD-03": ("4200", "1200", "80", ""), "PRD-04": ("4500", "1000", "80", ""),
    "FIN-01": ("9000", "2500", "150", ""), "FIN-02": ("5500", "1200", "100", ""), "FIN-03": ("4500", "800", "100", ""),
    "TECH-01": ("10000", "3000", "200", ""), "TECH-02": ("8000", "2000", "150", ""),
}  # fmt: skip
PROFIT = "3260000"  # last year's net profit, yuan


def load_pay(day: Story) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["hr", "finance", "leader"])}
    for position in Position.objects.all():
        base, bonus, travel, role = STRUCTURES.get(position.code, ("4000", "800", "100", ""))
        services.pay_structure_set(
            user=users["hr"],
            position=position,
            effective_from=dt.date(day.profit_year - 1, 1, 1),
            base_salary=parse_yuan(base),
            monthly_bonus_base=parse_yuan(bonus),
            travel_per_day=parse_yuan(travel),
            annual_bonus_role=role,
        )
    year = day.profit_year
    profit = services.net_profit_enter(user=users["finance"], year=year, amount_fen=parse_yuan(PROFIT))
    profit = services.net_profit_transition(user=users["finance"], profit=profit, action="submit")
    services.net_profit_transition(user=users["leader"], profit=profit, action="approve")
    run = annual.annual_bonus_run_compute(
        user=users["hr"], department=Department.objects.get(code="MKT"), year=year
    )
    annual.annual_bonus_run_release(user=users["hr"], run=run)


# Monthly pay (issue 6): the locked months. Completion per department and month (recorded by
# the committee member), a raise for the agents from the month four back (the trace names the
# structure in force), travel days, sanctions, and the runs of the four oldest months released —
# the third, customer service at 100 % completion, goes over its bonus pool, so the committee
# leader released it with a reason. The month two back is locked with its inputs entered and
# its pay not yet computed: HR computes and releases it (the browser journey does).
COMPLETION = {  # month offset → completion of customer service, marketing, production
    -6: ("92%", "82%", "96%"),
    -5: ("95%", "80%", "94%"),
    -4: ("100%", "83%", "95%"),
    -3: ("90%", "81%", "93%"),
    -2: ("90%", "80%", "90%"),
}
AGENT_RAISE = -4


def load_monthly_pay(day: Story) -> None:
    names = ["hr", "hrsup", "member", "leader", "cs_agent"]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    services.pay_structure_set(
        user=users["hr"],
        position=Position.objects.get(code="CS-03"),
        effective_from=day.first(AGENT_RAISE),
        base_salary=parse_yuan("4000"),
        monthly_bonus_base=parse_yuan("1000"),
        travel_per_day=parse_yuan("80"),
        annual_bonus_role="",
    )
    departments = [Department.objects.get(code=code) for code in ("CS", "MKT", "PRD")]
    first = day.label(PAID[0])
    people = list(
        Employee.objects.filter(cycle_members__cycle__label=first, department=departments[0]).order_by(
            "number"
        )
    )
    for index, (offset, rates) in enumerate(COMPLETION.items()):
        month = day.label(offset)
        for department, rate in zip(departments, rates, strict=True):
            monthly.completion_record(
                user=users["member"],
                department=department,
                month=month,
                rate=rate,
                note="按部门月度工作计划完成情况核定",
            )
        for n, person in enumerate(people):
            if (n + index) % 4 == 0:
                monthly.travel_days_set(
                    user=users["hr"], employee=person, month=month, days=str(1 + (n + index) % 3)
                )
    agent = Employee.objects.get(user=users["cs_agent"])
    _sanctions(users, day, agent, people)
    _runs(users, day, people[0])


def _sanctions(users: dict[str, Any], day: Story, agent: Employee, people: list[Employee]) -> None:
    _sanction(users, agent, day.label(-3), "reward", "200", "客户来信表扬，处理投诉及时", "hrsup")
    _sanction(
        users, people[-1], day.label(-5), "penalty", "100", "差错导致客户重复退款", "leader", by="member"
    )
    _sanction(users, agent, day.label(-2), "reward", "300", "当月满意度全组第一", "hrsup")
    sanctions.sanction_propose(
        user=users["hr"],
        employee=people[1],
        month=day.label(PUBLISHED),
        kind="reward",
        amount_fen=parse_yuan("150"),
        reason="协助新员工培训（待审批）",
    )


def _runs(users: dict[str, Any], day: Story, corrected: Employee) -> None:
    for offset in PAID:
        run = monthly.monthly_pay_run_compute(user=users["hr"], month=day.label(offset))
        if run.over_budget_fen:
            monthly.monthly_pay_run_release(
                user=users["leader"],
                run=run,
                over_budget_reason="考核小组会议决定：当月客服部工作完成率 100%，超出部分照发",
            )
        else:
            monthly.monthly_pay_run_release(user=users["hr"], run=run)
    run = MonthlyPayRun.objects.get(month=day.label(-3), status="released")
    monthly.pay_adjustment_record(
        user=users["hr"],
        run=run,
        employee=corrected,
        amount_fen=parse_yuan("80"),
        reason=f"{day.first(-3).month} 月出差 1 天漏录，补发出差补贴",
        month=day.label(PUBLISHED),
    )


def _sanction(
    users: dict[str, Any],
    employee: Employee,
    month: str,
    kind: str,
    yuan: str,
    reason: str,
    approver: str,
    by: str = "hr",
) -> None:
    proposed = sanctions.sanction_propose(
        user=users[by], employee=employee, month=month, kind=kind, amount_fen=parse_yuan(yuan), reason=reason
    )
    sanctions.sanction_decide(user=users[approver], sanction=proposed, action="approve")
