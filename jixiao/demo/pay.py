"""The demo's pay (issue 6): a structure for every position (marketing exactly as the source
writes it), the 2025 net profit entered by ``finance`` and approved by ``leader``, and the
marketing department's 2025 annual bonus computed and released by ``hr`` from its pay plan as
written (the plan is still "returned": the run records which version and state it used)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from jixiao.engine.money import parse_yuan
from jixiao.org.models import Department, Position
from jixiao.pay import services

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
            user=users["hr"], position=position, effective_from=EFFECTIVE, base_salary=parse_yuan(base),
            monthly_bonus_base=parse_yuan(bonus), travel_per_day=parse_yuan(travel), annual_bonus_role=role,
        )  # fmt: skip
    profit = services.net_profit_enter(user=users["finance"], year=2025, amount_fen=parse_yuan(PROFIT_2025))
    profit = services.net_profit_transition(user=users["finance"], profit=profit, action="submit")
    services.net_profit_transition(user=users["leader"], profit=profit, action="approve")
    run = services.annual_bonus_run_compute(
        user=users["hr"], department=Department.objects.get(code="MKT"), year=2025
    )
    services.annual_bonus_run_release(user=users["hr"], run=run)
