"""我的考核与薪酬规则: the rules a person is appraised and paid by, with their own last released
month worked through — the same figures and steps as their pay line (never recomputed apart)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from jixiao.common.text import say
from jixiao.demo.plans import _table
from jixiao.pay.monthly.models import MonthlyPayLine
from jixiao.pay.monthly.tests.world import released_run, structures
from jixiao.pay.structures.models import PayStructure
from jixiao.people.training.selectors import formula_words, my_rules_page
from jixiao.plans.models import Plan

pytestmark = pytest.mark.django_db

FORMULA = "base * min(completion, 1) * coefficient"


def text_of(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert match, element_id
    return match.group(1).strip()


def sales_pay_plan(p: Any) -> Plan:
    """A published pay plan for the persona sales department with a formula of its own and the
    corrected marketing tiers (the clerk's post shares in the annual bonus as a manager)."""
    content = {**_table("pay_marketing_corrected.toml", "pay"), "monthly_bonus_formula": FORMULA}
    plan = Plan.objects.create(
        code="p-sales-pay", name="销售部薪酬方案", department=p.department, framework=p.plans["framework"],
        kind=Plan.Kind.PAY, content=content, author=p["head"], status="published",
    )  # fmt: skip
    structures(p)
    PayStructure.objects.filter(position=p.position).update(annual_bonus_role="manager")
    return plan


def test_the_page_shows_my_plan_grades_structure_and_my_last_month(personas: Any, client_for: Any) -> None:
    sales_pay_plan(personas)
    run = released_run(personas)
    line = MonthlyPayLine.objects.get(run=run, employee=personas.employees["employee"])
    html = client_for("employee").get(reverse("training:my_rules")).content.decode()
    # How I am appraised: the plan plans:my_plan shows, and the framework's grade bands.
    assert "销售部考核细则" in html and "转化率" in html and "团队协作" in html
    assert re.search(r'data-grade="A">.*?90</td><td class="num">1.2<', html, re.S)
    # My pay structure in force today.
    assert (text_of(html, "base-salary"), text_of(html, "bonus-base"), text_of(html, "travel-rate")) == (
        "4,000.00", "1,000.00", "200.00",
    )  # fmt: skip
    # The department's own formula, in words, and my role's tiers.
    assert FORMULA in html and "月度奖金基数 × min(部门工作完成情况, 1) × 本人考核系数" in html
    tiers = html[html.index('id="annual-tiers"') :]
    assert "0.5%" in tiers and "1.5%" in tiers and "超过200万（不含本数）" in tiers
    # The worked example is my released line: its figures and its trace, to the fen.
    assert text_of(html, "example-total") == f"{line.total_fen // 100:,}.{line.total_fen % 100:02d}"
    assert f"{line.monthly_bonus_fen // 100:,}.{line.monthly_bonus_fen % 100:02d}" in html
    steps = [say(step) for step in line.trace.steps]
    assert steps and all(step.replace('"', "&quot;") in html or step in html for step in steps)
    assert FORMULA in " ".join(steps)  # the run paid by the same formula the page states


def test_without_pay_the_page_says_so_and_another_persons_pay_never_shows(
    personas: Any, client_for: Any
) -> None:
    released_run(personas)
    page = my_rules_page(user=personas["other_head"])  # no post: no structure, no line
    assert (page.position, page.structure, page.line, page.annual) == (None, None, None, None)
    html = client_for("other_head").get(reverse("training:my_rules")).content.decode()
    assert 'id="no-structure"' in html and 'id="no-example"' in html and "4,000.00" not in html
    assert "生产部考核细则" in html  # their own department's plan
    finance = client_for("finance").get(reverse("training:my_rules")).content.decode()
    assert 'id="no-plan"' in finance and "4,000.00" not in finance
    assert client_for("anonymous").get(reverse("training:my_rules")).status_code == 302


def test_the_structure_is_the_one_in_force_today(personas: Any) -> None:
    structures(personas)
    today = timezone.localdate()
    PayStructure.objects.filter(position=personas.position).update(effective_to=today - dt.timedelta(days=1))
    PayStructure.objects.create(
        position=personas.position, base_salary=450_000, monthly_bonus_base=120_000, travel_per_day=20_000,
        effective_from=today,
    )  # fmt: skip
    PayStructure.objects.create(
        position=personas.position, base_salary=999_900, monthly_bonus_base=0, travel_per_day=0,
        effective_from=today + dt.timedelta(days=30),
    )  # fmt: skip
    page = my_rules_page(user=personas["employee"])
    assert page.structure is not None and page.structure.base_salary == 450_000


def test_a_pay_plan_is_never_shown_as_how_i_am_appraised(personas: Any) -> None:
    plan = sales_pay_plan(personas)
    Plan.objects.filter(pk=personas.plans["published"].pk).update(status="superseded")
    page = my_rules_page(user=personas["employee"])
    assert page.plan is None and page.pay_plan == plan


def test_formula_words() -> None:
    words = formula_words("base * completion * coefficient")
    assert (words.zh, words.en) == (
        "月度奖金基数 × 部门工作完成情况 × 本人考核系数", "monthly bonus base × department completion × my coefficient",
    )  # fmt: skip
    assert formula_words("base*completion/2").zh == "月度奖金基数×部门工作完成情况÷2"
