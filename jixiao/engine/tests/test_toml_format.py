from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.engine.bonus import annual_bonus
from jixiao.engine.lint import has_blocking, lint_framework, lint_plan
from jixiao.engine.lint_bonus import lint_bonus_plan
from jixiao.engine.money import parse_yuan
from jixiao.engine.toml_format import (
    FormatError,
    load_document,
    load_framework,
    load_pay,
    load_plan,
    parse_bound,
)
from jixiao.engine.types import Kind, Rater

from .samples import marketing_bonus

DATA = Path(__file__).resolve().parents[2] / "plans" / "data"
DEMO = Path(__file__).resolve().parents[2] / "demo" / "data"


def read(name: str) -> str:
    return (DATA / name if (DATA / name).exists() else DEMO / name).read_text(encoding="utf-8")


def test_demo_framework_and_plans_lint_clean_of_blocking_findings():
    fw = load_framework(read("framework.toml"))
    assert lint_framework(fw) == []
    for name in ("plan_customer_service.toml", "plan_production.toml"):
        plan = load_plan(read(name))
        findings = lint_plan(plan, fw)
        assert not has_blocking(findings), [f.render() for f in findings]


def test_customer_service_plan_has_every_indicator_the_source_asks_for():
    plan = load_plan(read("plan_customer_service.toml"))
    kinds = {ind.key: ind.kind for ind in plan.indicators}
    assert kinds == {
        "conversion": Kind.DERIVED,
        "satisfaction": Kind.BANDS,
        "response": Kind.INVERSE_RATIO,
        "errors": Kind.DEDUCTION,
        "teamwork": Kind.RUBRIC,
        "attitude": Kind.RUBRIC,
        "praise": Kind.BONUS,
        "leak": Kind.VETO,
    }
    assert plan.indicator("conversion").formula == "orders / inquiries"
    assert Rater.PEER in plan.indicator("teamwork").raters
    assert plan.indicator("leak").veto_voids_bonus


def test_marketing_pay_file_is_the_source_exactly():
    pay = load_pay(read("pay_marketing.toml"))
    director, manager = pay.structures
    assert (director.base_salary, director.monthly_bonus_base, director.travel_per_day) == (
        400_000,
        100_000,
        20_000,
    )
    assert (manager.base_salary, manager.monthly_bonus_base, manager.travel_per_day) == (
        200_000,
        50_000,
        10_000,
    )
    assert pay.annual_bonus is not None
    assert [(t.lower, t.upper) for t in pay.annual_bonus.tiers] == [
        (b.lower, b.upper) for b in marketing_bonus().tiers
    ]
    assert [t.rates for t in pay.annual_bonus.tiers] == [t.rates for t in marketing_bonus().tiers]
    assert pay.annual_bonus.tiers[1].rate("manager") == D("0.0005")
    found = {f.code for f in lint_bonus_plan(pay.annual_bonus)}
    assert {"bonus.rates_sum", "bonus.bound_ambiguous", "bonus.cliff"} <= found
    assert annual_bonus(pay.annual_bonus, parse_yuan("2999999")).role("director") == parse_yuan("119999.96")


@pytest.mark.parametrize(
    ("text", "inclusive"),
    [
        ("200万以内", True),
        ("500万以上", True),
        ("300万以下", True),
        ("不满300万", False),
        ("300万不满", False),
        ("超过200万", False),
        ("至少100万", True),
        ("300万", None),
        ("200万之间", None),
        ("1,000,000元以外", False),
        ("100万（含）", True),
    ],
)
def test_bound_wording_follows_the_legal_convention(text, inclusive):
    assert parse_bound(text, "x").inclusive is inclusive


def test_words_before_the_number_are_understood_in_tiers():
    pay = load_pay("""
[pay]
key = "p"
name_zh = "p"
[pay.annual_bonus]
key = "b"
name_zh = "b"
roles = [{ key = "a", name_zh = "甲" }]
[[pay.annual_bonus.tiers]]
upper = "不满200万"
[[pay.annual_bonus.tiers]]
lower = "200万以上"
rates = { a = "1%" }
""")
    assert pay.annual_bonus is not None
    assert pay.annual_bonus.tiers[0].upper is not None and pay.annual_bonus.tiers[0].upper.inclusive is False
    assert lint_bonus_plan(pay.annual_bonus)[0].code == "bonus.cliff"


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (
            "[plan]\nkey = 'x'\nname_zh = 'x'\n[[plan.indicators]]\nkey = 'a'\nname_zh = 'a'\nkind = 'ratioo'\n",
            "plan.indicators[0].kind",
        ),
        (
            "[plan]\nkey = 'x'\nname_zh = 'x'\n[[plan.indicators]]\nkey = 'a'\nname_zh = 'a'\nkind = 'ratio'\nweight = 'lots'\n",
            "plan.indicators[0].weight",
        ),
        (
            "[pay]\nkey = 'x'\nname_zh = 'x'\nmonthly_bonus_formula = 'base * bogus'\n",
            "pay.monthly_bonus_formula",
        ),
        (
            "[pay]\nkey = 'x'\nname_zh = 'x'\n[[pay.structures]]\nposition = 'a'\nname_zh = 'a'\nbase_salary = '1.001'\n"
            "monthly_bonus_base = 1\ntravel_per_day = 1\n",
            "pay.structures[0].base_salary",
        ),
        (
            "[framework]\nkey = 'x'\nname_zh = 'x'\n[framework.rater_weights]\nboss = 1\n",
            "framework.rater_weights.boss",
        ),
        ("nonsense = = 1", ""),
        ("[other]\n", ""),
    ],
)
def test_format_errors_name_the_path(text, path):
    with pytest.raises(FormatError) as err:
        load_document(text)
    assert err.value.path == path
    assert err.value.message_zh and err.value.message_en
