"""The annual bonus of a department: proration and sums to the fen (no database)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from jixiao.demo.plans import DATA
from jixiao.engine.pay_annual import Person
from jixiao.engine.pay_types import AnnualBonusPlan
from jixiao.engine.toml_format import load_pay
from jixiao.pay.annual.calculation import compute, months_eligible

_ANNUAL = load_pay((DATA / "pay_marketing.toml").read_text("utf-8")).annual_bonus
assert _ANNUAL is not None
PLAN: AnnualBonusPlan = _ANNUAL


def test_a_person_who_joined_in_march_is_eligible_for_ten_months() -> None:
    assert months_eligible(2025, dt.date(2025, 3, 15)) == 10
    assert months_eligible(2025, dt.date(2019, 7, 1)) == 12
    assert months_eligible(2025, dt.date(2026, 1, 1)) == 0
    assert months_eligible(2025, dt.date(2020, 1, 1), has_left=True) == 0


def test_director_joining_in_september_gets_four_twelfths_half_up() -> None:
    people = [Person("1", "总监", "director", dt.date(2025, 9, 9))]
    result = compute(PLAN, 299_999_900, 2025, people, [])
    assert result.lines[0].full_fen == 11_999_996  # 2,999,999 × 4 %
    assert result.lines[0].amount_fen == 3_999_999  # 119,999.96 × 4/12 = 39,999.9866… → 39,999.99
    assert "4 个月" in result.lines[0].trace.steps[-2].render("zh")


people_strategy = st.lists(
    st.tuples(
        st.sampled_from(["director", "manager"]),
        st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2026, 6, 30))),
        st.booleans(),
    ),
    min_size=1,
    max_size=8,
)


@given(people=people_strategy, profit=st.integers(min_value=0, max_value=2_000_000_000))
def test_lines_sum_to_the_department_total_to_the_fen(
    people: list[tuple[str, dt.date | None, bool]], profit: int
) -> None:
    persons = [Person(str(i), f"p{i}", role, hired, left) for i, (role, hired, left) in enumerate(people)]
    result = compute(PLAN, profit, 2025, persons, [])
    assert result.total_fen == sum(line.amount_fen for line in result.lines)
    for role in PLAN.roles:
        lines = [ln for ln in result.lines if ln.role == role.key]
        if not lines:
            continue
        full = result.bonus.role(role.key)
        counted = min(sum(ln.months for ln in lines), 12 * role.headcount)
        pool = (full * counted * 2 + 12) // 24  # half-up of full × counted / 12
        assert sum(ln.amount_fen for ln in lines) == pool
        if len(lines) <= role.headcount:
            for ln in lines:
                assert abs(ln.amount_fen * 12 - full * ln.months) <= 12
