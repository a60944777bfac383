"""The demo's pay (issue 6): a structure for every position (marketing exactly as the source
writes it), the 2025 net profit entered by ``finance`` and approved by ``leader``, and the
marketing department's 2025 annual bonus computed and released by ``hr`` from its pay plan as
written (the plan is still "returned": the run records which version and state it used)."""

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
EFFECTIVE = dt.date(2024, 1, 1)
PROFIT_2025 = "3260000"


def load_pay() -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["hr", "finance", "leader"])}
    for position in Position.objects.all():
        base, bonus, travel, role = STRUCTURES.get(position.code, ("4000", "800", "100", ""))
        services.pay_structure_set(
            user=users["hr"],
            position=position,
            effective_from=EFFECTIVE,
            base_salary=parse_yuan(base),
            monthly_bonus_base=parse_yuan(bonus),
            travel_per_day=parse_yuan(travel),
            annual_bonus_role=role,
        )
    profit = services.net_profit_enter(user=users["finance"], year=2025, amount_fen=parse_yuan(PROFIT_2025))
    profit = services.net_profit_transition(user=users["finance"], profit=profit, action="submit")
    services.net_profit_transition(user=users["leader"], profit=profit, action="approve")
    run = annual.annual_bonus_run_compute(
        user=users["hr"], department=Department.objects.get(code="MKT"), year=2025
    )
    annual.annual_bonus_run_release(user=users["hr"], run=run)


# Monthly pay (issue 6): customer service's locked months. Completion per month (recorded by
# the committee member), a raise for the agents from July (the trace names the structure in
# force), travel days, sanctions, and the runs of May–August released — July at 100 %
# completion goes over the department's bonus pool, so the committee leader released it with
# a reason. September is locked with its inputs entered and its pay not yet computed: HR
# computes and releases it (the browser journey does).
COMPLETION = {"2026-05": "92%", "2026-06": "95%", "2026-07": "100%", "2026-08": "90%", "2026-09": "90%"}
RELEASED_MONTHS = ["2026-05", "2026-06", "2026-07", "2026-08"]
AGENT_RAISE = dt.date(2026, 7, 1)


def load_monthly_pay() -> None:
    names = ["hr", "hrsup", "member", "leader", "cs_agent"]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    services.pay_structure_set(
        user=users["hr"],
        position=Position.objects.get(code="CS-03"),
        effective_from=AGENT_RAISE,
        base_salary=parse_yuan("4000"),
        monthly_bonus_base=parse_yuan("1000"),
        travel_per_day=parse_yuan("80"),
        annual_bonus_role="",
    )
    service = Department.objects.get(code="CS")
    people = list(Employee.objects.filter(cycle_members__cycle__label="2026-05").order_by("number"))
    agent = Employee.objects.get(user=users["cs_agent"])
    for index, (month, rate) in enumerate(COMPLETION.items()):
        monthly.completion_record(
            user=users["member"],
            department=service,
            month=month,
            rate=rate,
            note="按部门月度工作计划完成情况核定",
        )
        for n, person in enumerate(people):
            if (n + index) % 4 == 0:
                monthly.travel_days_set(
                    user=users["hr"], employee=person, month=month, days=str(1 + (n + index) % 3)
                )
    _sanction(users, agent, "2026-08", "reward", "200", "客户来信表扬，处理投诉及时", "hrsup")
    _sanction(users, people[-1], "2026-06", "penalty", "100", "差错导致客户重复退款", "leader", by="member")
    _sanction(users, agent, "2026-09", "reward", "300", "当月满意度全组第一", "hrsup")
    sanctions.sanction_propose(
        user=users["hr"],
        employee=people[1],
        month="2026-10",
        kind="reward",
        amount_fen=parse_yuan("150"),
        reason="协助新员工培训（待审批）",
    )
    for month in RELEASED_MONTHS:
        run = monthly.monthly_pay_run_compute(user=users["hr"], month=month)
        if run.over_budget_fen:
            monthly.monthly_pay_run_release(
                user=users["leader"],
                run=run,
                over_budget_reason="考核小组会议决定：当月客服部工作完成率 100%，超出部分照发",
            )
        else:
            monthly.monthly_pay_run_release(user=users["hr"], run=run)
    august = MonthlyPayRun.objects.get(month="2026-08", status="released")
    monthly.pay_adjustment_record(
        user=users["hr"],
        run=august,
        employee=people[0],
        amount_fen=parse_yuan("80"),
        reason="8 月出差 1 天漏录，补发出差补贴",
        month="2026-10",
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
