"""The demo company comes from the source document and every write is in the audit chain."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from jixiao.access.models import RoleGrant
from jixiao.audit.selectors import audit_chain_verify
from jixiao.demo.company import HR_OFFICER_DUTIES, LOGINS
from jixiao.demo.story import PAID, story
from jixiao.org.models import Department, Employee, Position

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any) -> None:
    call_command("demo", verbosity=0)


def test_the_company_has_about_sixty_people_in_its_departments(demo: None) -> None:
    assert 55 <= Employee.objects.count() <= 70
    names = set(Department.objects.values_list("name", flat=True))
    assert {"人力资源部", "市场部", "客服部", "生产部", "财务部"} <= names
    assert all(d.head_id for d in Department.objects.all())


def test_marketing_has_the_source_quota_and_three_posts(demo: None) -> None:
    marketing = Department.objects.get(name="市场部")
    posts = list(marketing.positions.values_list("title", "headcount_quota"))
    assert posts == [("市场部总监", 1), ("市场经理（加盟商渠道）", 1), ("市场经理（特色渠道）", 1)]
    assert sum(q for _, q in posts) == 3
    assert (
        Position.objects.get(title="市场经理（加盟商渠道）").purpose
        == "完成公司制定的加盟商的开拓与维护销售计划"
    )


def test_hr_posts_carry_the_source_duties(demo: None) -> None:
    officer = Position.objects.get(title="绩效考核员")
    assert officer.duties == HR_OFFICER_DUTIES and len(officer.duties) == 9
    assert len(Position.objects.get(title="绩效考核主管").duties) == 14


def test_every_demo_login_works_with_the_demo_password(demo: None) -> None:
    request = RequestFactory().post("/accounts/login/")
    for username in LOGINS:
        assert authenticate(request, username=username, password="jixiao-demo") is not None, username
    assert RoleGrant.objects.filter(user__username="leader", role="committee_leader").exists()
    assert Employee.objects.get(user__username="cs_head").headed_departments.get().name == "客服部"


def test_the_demo_is_written_through_the_audit_chain(demo: None) -> None:
    report = audit_chain_verify()
    assert report.ok and report.checked > Employee.objects.count()


@pytest.mark.django_db(transaction=True)
def test_reset_rebuilds_and_if_empty_skips(capsys: Any) -> None:
    # Transactional: a reset flushes every table, which PostgreSQL refuses inside a transaction.
    call_command("demo", verbosity=0)
    call_command("demo", "--if-empty")
    assert "skipped" in capsys.readouterr().out
    call_command("demo", "--reset", verbosity=0)
    assert Employee.objects.count() >= 55
    assert audit_chain_verify().ok


def test_monthly_pay_is_released_for_locked_months_and_two_months_back_waits_for_hr(demo: None) -> None:
    from jixiao.access.actor import SYSTEM
    from jixiao.pay.monthly.models import MonthlyPayRun
    from jixiao.pay.monthly.services import monthly_pay_run_compute

    day = story()
    runs = dict(MonthlyPayRun.objects.values_list("month", "status"))
    assert runs == dict.fromkeys([day.label(o) for o in PAID], "released")
    third = MonthlyPayRun.objects.get(month=day.label(-4))
    assert third.over_budget_fen > 0 and third.over_budget_reason  # released by the leader, with a reason
    waiting = monthly_pay_run_compute(user=SYSTEM, month=day.label(-2))
    assert waiting.over_budget_fen == 0  # HR may release it (the browser journey does)
    assert waiting.total_fen == sum(waiting.lines.values_list("total_fen", flat=True))
