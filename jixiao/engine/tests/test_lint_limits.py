"""A plan states what happens at its limits (issue 11 item 8): a deduction that can use up its
weight states its floor; a formula that divides by a measure that can be 0 states the rule."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.engine.batch import score_person
from jixiao.engine.findings import Finding
from jixiao.engine.lint import lint_plan
from jixiao.engine.lint_limits import zero_divisors
from jixiao.engine.toml_format import FormatError, load_framework, load_plan
from jixiao.engine.types import Indicator, Measure, MeasureKind, Plan, Severity, ZeroRule

from .samples import cs_plan, framework

DATA = Path(__file__).resolve().parents[2] / "plans" / "data"


def lint_with(*changes: Indicator, measures: tuple[Measure, ...] | None = None) -> list[Finding]:
    """The sample plan with some indicators replaced (by key), linted."""
    plan = cs_plan()
    by_key = {ind.key: ind for ind in changes}
    indicators = tuple(by_key.get(ind.key, ind) for ind in plan.indicators)
    plan = dataclasses.replace(plan, indicators=indicators, measures=measures or plan.measures)
    return lint_plan(plan, framework())


def coded(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def errors() -> Indicator:
    return cs_plan().indicator("errors")  # weight 10, 5 points an incident, no floor stated


def conversion() -> Indicator:
    return cs_plan().indicator("conversion")  # orders / inquiries


# -- a deduction's floor --------------------------------------------------------------------


def test_a_deduction_that_can_use_up_its_weight_with_no_floor_is_flagged_at_its_floor() -> None:
    [finding] = coded(lint_with(errors()), "plan.floor_unstated")
    assert finding.severity is Severity.WARNING
    assert finding.where == "indicators[3].floor" and finding.item == "errors"
    assert "2 次即扣完权重 10 分" in finding.message.zh and "no max" in finding.message.render("en")
    assert finding.fix.zh.startswith("设定扣分下限（如最多扣 10 分")
    assert finding.fix.render("en").startswith("State a floor")


def test_a_stated_floor_or_a_count_that_cannot_exceed_the_points_is_clean() -> None:
    assert not coded(lint_with(dataclasses.replace(errors(), floor=D(0))), "plan.floor_unstated")
    two = Measure("costly_errors", "失误", kind=MeasureKind.COUNT, max=D(2))
    measures = tuple(two if m.key == two.key else m for m in cs_plan().measures)
    assert not coded(lint_with(errors(), measures=measures), "plan.floor_unstated")
    # three incidents of 5 points can exceed the weight of 10
    three = dataclasses.replace(two, max=D(3))
    measures = tuple(three if m.key == two.key else m for m in cs_plan().measures)
    [finding] = coded(lint_with(errors(), measures=measures), "plan.floor_unstated")
    assert "最多可达 3 次" in finding.message.zh


def test_a_deduction_outside_the_weights_is_limited_by_its_max_points_not_a_floor() -> None:
    off = dataclasses.replace(errors(), weight=D(0), category="", max_points=D(5))
    assert not coded(lint_with(off), "plan.floor_unstated")


def test_an_unstated_floor_scores_as_zero_as_before() -> None:
    fw = framework()
    stated = dataclasses.replace(cs_plan(), indicators=(dataclasses.replace(errors(), floor=D(0)),))
    unstated = dataclasses.replace(cs_plan(), indicators=(errors(),))
    assert errors().floor is None and errors().effective_floor == 0
    for count in (0, 1, 2, 5):
        results = [
            score_person(fw, plan, "p", {"costly_errors": D(count)}, {}) for plan in (stated, unstated)
        ]
        assert results[0].weighted == results[1].weighted == max(D(0), D(10) - 5 * count)


def test_the_toml_floor_is_none_when_not_written() -> None:
    plan = load_plan((DATA / "plan_production.toml").read_text(encoding="utf-8"))
    assert plan.indicator("safety").floor == 0
    text = (DATA / "plan_production.toml").read_text(encoding="utf-8").replace("floor = 0\n", "")
    assert load_plan(text).indicator("safety").floor is None


# -- a zero divisor -------------------------------------------------------------------------


def test_dividing_by_a_measure_that_can_be_zero_with_no_rule_blocks_at_the_formula() -> None:
    [finding] = coded(lint_with(dataclasses.replace(conversion(), on_zero=None)), "plan.zero_divisor")
    assert finding.severity is Severity.BLOCKING
    assert finding.where == "indicators[0].formula" and finding.item == "conversion"
    assert "咨询数" in finding.message.zh and "'inquiries'" in finding.message.render("en")
    assert 'on_zero = "missing"' in finding.fix.zh and "if(inquiries > 0" in finding.fix.render("en")


@pytest.mark.parametrize(
    "formula",
    [
        "if(inquiries > 0, orders / inquiries, 1)",
        "orders / max(inquiries, 1)",
        "orders / (inquiries + 1)",
        "orders * 2",
    ],
)
def test_a_guard_in_the_formula_is_a_stated_rule(formula: str) -> None:
    ind = dataclasses.replace(conversion(), on_zero=None, formula=formula)
    assert not coded(lint_with(ind), "plan.zero_divisor")


def test_a_measure_that_cannot_be_zero_needs_no_rule() -> None:
    ind = dataclasses.replace(conversion(), on_zero=None)
    at_least_one = Measure("inquiries", "咨询数", kind=MeasureKind.COUNT, min=D(1))
    measures = tuple(at_least_one if m.key == "inquiries" else m for m in cs_plan().measures)
    assert not coded(lint_with(ind, measures=measures), "plan.zero_divisor")
    zero_ok = dataclasses.replace(at_least_one, min=D(0))
    measures = tuple(zero_ok if m.key == "inquiries" else m for m in cs_plan().measures)
    assert coded(lint_with(ind, measures=measures), "plan.zero_divisor")


def test_on_zero_missing_is_the_stated_rule() -> None:
    assert conversion().on_zero is ZeroRule.MISSING
    assert not coded(lint_with(conversion()), "plan.zero_divisor")


def test_zero_divisors_reads_the_formula_shape() -> None:
    assert zero_divisors("orders / inquiries") == ["inquiries"]
    assert zero_divisors("a / b + c ÷ b - d / e") == ["b", "e"]
    assert zero_divisors("if(b > 0, a / b, 0) + c / d") == ["d"]
    assert zero_divisors("a / max(b, 1)") == []
    assert zero_divisors("a / $") == []  # a broken formula is plan.formula's finding


def test_on_zero_in_toml_and_its_refusal_names_the_key() -> None:
    text = (DATA / "plan_customer_service.toml").read_text(encoding="utf-8")
    plan = load_plan(text)
    assert plan.indicator("conversion").on_zero is ZeroRule.MISSING
    fw = load_framework((DATA / "framework.toml").read_text(encoding="utf-8"))
    assert lint_plan(plan, fw) == []
    bare = load_plan(text.replace('on_zero = "missing"', ""))
    assert [f.code for f in lint_plan(bare, fw)] == ["plan.zero_divisor"]
    with pytest.raises(FormatError) as err:
        load_plan(text.replace('on_zero = "missing"', 'on_zero = "1"'))
    assert err.value.path == "plan.indicators[0].on_zero" and "if(inquiries > 0" in err.value.message_zh


def test_the_shipped_templates_lint_with_no_findings() -> None:
    fw = load_framework((DATA / "framework.toml").read_text(encoding="utf-8"))
    for name in ("plan_customer_service.toml", "plan_marketing.toml", "plan_production.toml"):
        plan: Plan = load_plan((DATA / name).read_text(encoding="utf-8"))
        assert lint_plan(plan, fw) == [], name
