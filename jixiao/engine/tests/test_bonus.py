from decimal import Decimal as D

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jixiao.engine.bonus import (
    DEPARTMENT,
    annual_bonus,
    cliffs,
    profit_range,
    render_bound_en,
    render_bound_zh,
    resolve_tiers,
    what_if,
)
from jixiao.engine.money import parse_yuan
from jixiao.engine.pay import compile_monthly_formula, monthly_pay, travel_allowance
from jixiao.engine.pay_types import AnnualBonusPlan, BonusRole, BonusTier, Bound
from jixiao.engine.types import BonusMode

from .samples import DIRECTOR, MANAGER, WAN, marketing_bonus

Y = parse_yuan


def test_marketing_pay_structure_as_the_source_writes_it():
    formula = compile_monthly_formula("base * completion * coefficient")
    director = monthly_pay(DIRECTOR, formula, completion=D(1), coefficient=D(1), travel_days=3)
    assert (director.base_salary, director.monthly_bonus, director.travel_allowance) == (
        Y("4000"),
        Y("1000"),
        Y("600"),
    )
    assert director.total == Y("5600")
    manager = monthly_pay(MANAGER, formula, completion=D("0.9"), coefficient=D("1.2"), travel_days=D("2.5"))
    assert (manager.base_salary, manager.monthly_bonus, manager.travel_allowance) == (
        Y("2000"),
        Y("540"),
        Y("250"),
    )
    assert manager.trace.replay() == D("2790.00")
    assert travel_allowance(10, DIRECTOR.travel_per_day) == Y("2000")


def test_a_veto_voids_the_monthly_bonus_only():
    formula = compile_monthly_formula("base * completion * coefficient")
    pay = monthly_pay(DIRECTOR, formula, completion=D(1), coefficient=D(1), travel_days=0, bonus_void=True)
    assert pay.monthly_bonus == 0 and pay.total == Y("4000")


@pytest.mark.parametrize(
    ("profit", "director", "manager", "stated"),
    [
        ("1990000", "0", "0", "0"),
        ("2000000", "0", "0", "0"),  # “200万以内” includes 2M: no bonus at exactly 2M
        ("2000000.01", "80000.00", "1000.00", "100000.00"),
        ("2500000", "100000", "1250", "125000"),
        ("2999999", "119999.96", "1500.00", "149999.95"),
        ("3000000", "180000", "30000", "240000"),  # unstated “之间” read as [300万, 500万)
        ("4000000", "240000", "40000", "320000"),
        ("4999999.99", "300000.00", "50000.00", "400000.00"),
        ("5000000", "400000", "75000", "550000"),  # “500万以上” includes 5M
        ("5000001", "400000.08", "75000.02", "550000.11"),
    ],
)
def test_annual_bonus_bracket_at_below_and_above_each_bound(profit, director, manager, stated):
    result = annual_bonus(marketing_bonus(), Y(profit))
    assert result.role("director") == Y(director)
    assert result.role("manager") == Y(manager)
    assert result.department_sum == Y(director) + 2 * Y(manager)
    assert result.department_stated == Y(stated)
    assert result.trace is not None and result.trace.replay() * 100 == result.department_sum


def test_annual_bonus_progressive_pays_each_slice_at_its_rate():
    result = annual_bonus(marketing_bonus(), Y("6000000"), BonusMode.PROGRESSIVE)
    # 4 % × 1M + 6 % × 2M + 8 % × 1M; manager 0.05 % × 1M + 1 % × 2M + 1.5 % × 1M
    assert result.role("director") == Y("40000") + Y("120000") + Y("80000")
    assert result.role("manager") == Y("500") + Y("20000") + Y("15000")


def test_bounds_render_in_the_legal_convention():
    assert render_bound_zh(Bound(200 * WAN, True), "upper") == "200万以下（含本数）"
    assert render_bound_zh(Bound(300 * WAN, False), "upper") == "不满300万（不含本数）"
    assert render_bound_zh(Bound(500 * WAN, True), "lower") == "500万以上（含本数）"
    assert render_bound_zh(Bound(200 * WAN, False), "lower") == "超过200万（不含本数）"
    assert "未说明" in render_bound_zh(Bound(200 * WAN, None, "之间"), "lower")
    assert render_bound_en(Bound(300 * WAN, False), "upper") == "less than 3,000,000.00"
    tiers = resolve_tiers(marketing_bonus())
    assert tiers[1].render_zh() == "超过200万（不含本数）、不满300万（不含本数）"
    assert tiers[2].render_zh() == "300万以上（含本数）、不满500万（不含本数）"


def test_bracket_cliffs_at_2m_3m_5m_with_their_sizes():
    found = {c.bound: c for c in cliffs(marketing_bonus())}
    assert sorted(found) == [200 * WAN, 300 * WAN, 500 * WAN]
    assert found[200 * WAN].size("director") == Y("80000")
    assert found[300 * WAN].size("director") == Y("60000")
    assert found[300 * WAN].size("manager") == Y("28500")
    assert found[300 * WAN].size(DEPARTMENT) == Y("117000")
    assert found[500 * WAN].size("director") == Y("100000")
    assert (found[300 * WAN].last, found[300 * WAN].first) == (Y("2999999.99"), Y("3000000"))
    assert (found[200 * WAN].last, found[200 * WAN].first) == (Y("2000000"), Y("2000000.01"))
    assert cliffs(marketing_bonus(), BonusMode.PROGRESSIVE) == []


def test_what_if_over_a_range():
    rows = what_if(marketing_bonus(), profit_range(Y("1990000"), Y("2010000"), Y("10000")))
    assert [r.profit for r in rows] == [Y("1990000"), Y("2000000"), Y("2010000")]
    assert [r.role("director") for r in rows] == [0, 0, Y("80400")]
    assert profit_range(0, 25, 10) == [0, 10, 20, 25]


# --- properties over random plans -------------------------------------------------------------

rates = st.decimals(min_value=0, max_value=D("0.2"), places=4)


@st.composite
def plans(draw, mode=BonusMode.BRACKET):
    cuts = sorted(draw(st.sets(st.integers(1, 10_000), min_size=1, max_size=4)))
    amounts = [c * 100_000 for c in cuts]  # bounds in fen, 1,000 yuan steps
    incl = st.sampled_from([True, False, None])
    tiers = []
    for i in range(len(amounts) + 1):
        lower = Bound(amounts[i - 1], draw(incl)) if i > 0 else None
        upper = Bound(amounts[i], draw(incl)) if i < len(amounts) else None
        tiers.append(BonusTier(lower, upper, (("a", draw(rates)), ("b", draw(rates)))))
    roles = (BonusRole("a", "甲", 1), BonusRole("b", "乙", draw(st.integers(1, 3))))
    return AnnualBonusPlan("p", "p", roles, tuple(tiers), mode)


@settings(max_examples=80, deadline=None)
@given(plans(BonusMode.PROGRESSIVE), st.integers(0, 1_100_000_000))
@example(marketing_bonus(BonusMode.PROGRESSIVE), Y("3000000") - 1)
@example(marketing_bonus(BonusMode.PROGRESSIVE), Y("2000000"))
def test_progressive_payouts_are_continuous_and_never_decrease(plan, profit):
    now, later = what_if(plan, [profit, profit + 1])
    for (_, x), (_, y) in zip(now.per_role, later.per_role, strict=True):
        assert 0 <= y - x <= 1  # one more fen of profit moves a payout by at most a fen, never down
    far = annual_bonus(plan, profit + 12_345_678, with_trace=False)
    assert all(y >= x for (_, x), (_, y) in zip(now.per_role, far.per_role, strict=True))


@settings(max_examples=80, deadline=None)
@given(plans())
@example(marketing_bonus())
def test_the_cliff_list_equals_the_jumps_the_simulator_measures(plan):
    amounts = sorted({b.amount for t in plan.tiers for b in (t.lower, t.upper) if b is not None})
    probes = sorted({p for a in amounts for p in (a - 2, a - 1, a, a + 1, a + 2)})
    rows = {r.profit: r for r in what_if(plan, probes)}
    measured = {}
    for p in probes:
        if p + 1 in rows:
            before, after = rows[p], rows[p + 1]
            jumps = [(k, x, y) for (k, x), (_, y) in zip(before.per_role, after.per_role, strict=True)]
            jumps.append((DEPARTMENT, before.department_sum, after.department_sum))
            if any(abs(y - x) > 1 for _, x, y in jumps):
                measured[(p, p + 1)] = tuple(jumps)
    assert {(c.last, c.first): c.jumps for c in cliffs(plan)} == measured
