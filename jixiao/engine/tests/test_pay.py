"""Pay in the engine: monthly lines, the bonus pool, the annual bonus's proration; every trace
replays its total and every line re-derives from its stored inputs to the fen."""

import datetime as dt
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.engine.money import parse_yuan
from jixiao.engine.pay import MonthlyFigures, MonthlyInputs, bonus_pool, monthly_line
from jixiao.engine.pay_annual import (
    LineInputs,
    Person,
    annual_line,
    annual_lines,
    months_eligible,
    plan_from_json,
    plan_json,
)
from jixiao.engine.text import Text
from jixiao.engine.types import BonusMode

from .samples import DIRECTOR, MANAGER, marketing_bonus


def _inputs(**changes: object) -> MonthlyInputs:
    base: dict[str, object] = {
        "month": "2026-09",
        "department": "市场部",
        "structure": MANAGER,
        "structure_from": "2026-01",
        "completion": D("0.9"),
        "coefficient": D("1.2"),
        "travel_days": D("2.5"),
    }
    return MonthlyInputs(**{**base, **changes})  # type: ignore[arg-type]


def test_a_month_is_base_plus_bonus_plus_travel_plus_rewards_minus_penalties_plus_adjustments():
    inputs = _inputs(
        sanctions=((30_000, "表扬"), (-10_000, "迟到")),
        adjustments=((-2_000, "多录"),),
    )
    figures, trace = monthly_line(inputs)
    # 500 × 0.9 × 1.2 = 540; 2.5 days × 100 = 250
    assert figures == MonthlyFigures(200_000, 54_000, 25_000, 30_000, 10_000, -2_000)
    assert figures.total == 200_000 + 54_000 + 25_000 + 30_000 - 10_000 - 2_000
    assert trace.replay() == trace.result == D(figures.total) / 100
    text = trace.render("zh")
    assert "奖励 +300.00：表扬" in text and "处罚 −100.00：迟到" in text and "更正调整 −20.00：多录" in text
    assert trace.lines("zh")[-1].startswith("8. 应发合计 = ") and "2,970.00 元" in text


def test_a_veto_voids_the_monthly_bonus_and_says_so():
    figures, trace = monthly_line(_inputs(bonus_void=True))
    assert figures.monthly_bonus == 0
    assert "一票否决：取消奖金" in trace.render("zh") and "veto: bonus void" in trace.render("en")


def test_monthly_inputs_survive_json():
    inputs = _inputs(grade="A", bonus_void=True, sanctions=((100, "x"),), formula_source="（部门设置）")
    assert MonthlyInputs.from_json(inputs.as_json()) == _drop_names(inputs)
    assert monthly_line(MonthlyInputs.from_json(inputs.as_json())) == monthly_line(inputs)


def _drop_names(inputs: MonthlyInputs) -> MonthlyInputs:
    from dataclasses import replace

    s = inputs.structure
    return replace(inputs, structure=replace(s, annual_bonus_role="", name_en=""))


def test_the_pool_is_the_sum_of_bonus_bases_and_the_check_counts_bonuses_and_rewards():
    lines = [
        (i, monthly_line(i)[0])
        for i in (
            _inputs(structure=DIRECTOR, coefficient=D("1.5"), completion=D(1)),
            _inputs(sanctions=((5_000, "好"),)),
        )
    ]
    pool = bonus_pool(lines)
    assert pool.pool == 100_000 + 50_000
    assert pool.bonus == 150_000 + 54_000 + 5_000
    assert pool.over == 59_000


money = st.integers(min_value=0, max_value=5_000_000)
person = st.builds(
    lambda dept, base, bonus_base, travel, completion, coefficient, days, sanction, void: (
        dept,
        _inputs(
            structure=MANAGER.__class__("p", "岗位", base, bonus_base, travel),
            completion=completion, coefficient=coefficient, travel_days=days, bonus_void=void,
            sanctions=((sanction, "s"),) if sanction else (),
        ),
    ),
    st.integers(0, 3), money, money, st.integers(0, 100_000),
    st.decimals(min_value=0, max_value=2, places=3), st.decimals(min_value=0, max_value=3, places=2),
    st.decimals(min_value=0, max_value=31, places=1), st.integers(-100_000, 100_000), st.booleans(),
)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.lists(person, max_size=12))
def test_department_and_company_totals_equal_the_sum_of_lines_to_the_fen(people):
    computed = [(dept, monthly_line(inputs)) for dept, inputs in people]
    for _, (figures, trace) in computed:
        assert trace.replay() * 100 == figures.total
    departments = {dept: sum(f.total for d, (f, _) in computed if d == dept) for dept, _ in computed}
    company = sum(f.total for _, (f, _) in computed)
    assert sum(departments.values()) == company
    assert sum(trace.replay() for _, (_, trace) in computed) * 100 == company


def test_months_eligible_counts_from_the_month_of_joining():
    assert months_eligible(2025, dt.date(2025, 3, 15)) == 10
    assert months_eligible(2025, dt.date(2024, 12, 1)) == 12
    assert months_eligible(2025, dt.date(2026, 1, 1)) == 0
    assert months_eligible(2025, None, has_left=True) == 0


def test_annual_lines_prorate_by_months_and_the_trace_says_so():
    plan = marketing_bonus()
    people = [
        Person("1", "总监", "director", dt.date(2025, 9, 1)),
        Person("2", "经理甲", "manager", dt.date(2020, 1, 1)),
        Person("3", "经理乙", "manager", dt.date(2025, 7, 1)),
        Person("4", "外人", "nobody", None),
    ]
    computed = annual_lines(plan, parse_yuan("250万"), 2025, people, [Text("头", "head")])
    director, first, second = computed.lines
    assert director.full == 10_000_000 and director.months == 4 and director.amount == 3_333_333
    assert "4 个月" in director.trace.lines("zh")[-2]
    assert first.amount + second.amount == round(125_000 * 18 / 12)  # pool 1,250 × 18/12
    assert [n.zh for n in computed.notes] == ["外人 的岗位年度奖金角色“nobody”不在方案中，未计发。"]
    for line in computed.lines:
        assert line.trace.replay() * 100 == line.amount
        assert line.trace.steps[0].label == Text("头", "head")


def test_the_plan_survives_json():
    for mode in BonusMode:
        plan = marketing_bonus(mode)
        assert plan_from_json(plan_json(plan)) == plan


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=-100, max_value=800).map(lambda wan: wan * 1_000_000 + 37),
    st.lists(st.tuples(st.sampled_from(["director", "manager"]), st.integers(1, 12)), min_size=1, max_size=6),
    st.sampled_from(list(BonusMode)),
)
def test_every_annual_line_re_derives_from_its_stored_inputs_and_lines_sum_to_role_pools(profit, rows, mode):
    plan = marketing_bonus(mode)
    people = [Person(str(i), f"p{i}", role, dt.date(2025, 13 - m, 1)) for i, (role, m) in enumerate(rows)]
    computed = annual_lines(plan, profit, 2025, people)
    for line in computed.lines:
        again = annual_line(LineInputs.from_json(line.inputs.as_json()))
        assert (again.amount, again.full, again.months, again.rate) == (
            line.amount,
            line.full,
            line.months,
            line.rate,
        )
        assert again.trace.render("en") == line.trace.render("en")
        assert again.trace.replay() * 100 == line.amount
    for role in plan.roles:
        holders = [line for line in computed.lines if line.person.role == role.key]
        months = sum(line.months for line in holders)
        pool = (computed.bonus.role(role.key) * min(months, 12 * role.headcount) * 2 + 12) // 24
        assert sum(line.amount for line in holders) == (pool if holders else 0)
