"""The month's pay as pure calculation: money properties on generated data (no database)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from jixiao.engine.money import round_half_up, to_fen
from jixiao.engine.pay_types import PayStructure
from jixiao.pay.monthly import calculation as monthly

FEN = st.integers(min_value=0, max_value=5_000_000)
RATE = st.decimals(min_value=0, max_value=2, places=3, allow_nan=False, allow_infinity=False)
DAYS = st.integers(min_value=0, max_value=62).map(lambda half: Decimal(half) / 2)
SANCTION = st.tuples(st.integers(min_value=-500_000, max_value=500_000).filter(bool), st.just("事由"))


@st.composite
def months(draw: st.DrawFn) -> tuple[list[monthly.Department], list[monthly.Person]]:
    departments = [
        monthly.Department(i, f"部门{i}", draw(RATE)) for i in range(1, draw(st.integers(1, 4)) + 1)
    ]
    people = []
    for n in range(draw(st.integers(0, 25))):
        structure = PayStructure("P", "岗位", draw(FEN), draw(FEN), draw(st.integers(0, 50_000)))
        people.append(
            monthly.Person(
                n,
                f"员工{n}",
                draw(st.sampled_from(departments)).department_id,
                1,
                structure,
                "2024-01-01",
                draw(RATE),
                draw(st.booleans()),
                "B",
                draw(DAYS),
                tuple(draw(st.lists(SANCTION, max_size=3))),
                tuple(draw(st.lists(SANCTION, max_size=2))),
            )
        )
    return departments, people


@settings(max_examples=150, deadline=None)
@given(months())
def test_every_department_and_the_company_total_are_the_sum_of_their_lines_to_the_fen(
    data: tuple[list[monthly.Department], list[monthly.Person]],
) -> None:
    departments, people = data
    result = monthly.compute("2026-10", departments, people)
    assert len(result.lines) == len(people)
    by_department = {d.department_id: result.department_total(d.department_id) for d in departments}
    assert sum(by_department.values()) == result.total_fen
    for line in result.lines:
        assert line.total_fen == (
            line.base_salary_fen
            + line.monthly_bonus_fen
            + line.travel_fen
            + line.reward_fen
            - line.penalty_fen
            + line.adjustment_fen
        )
        assert all(isinstance(v, int) for v in (line.monthly_bonus_fen, line.travel_fen, line.total_fen))
    for budget in result.budgets:
        members = [ln for ln in result.lines if ln.department_id == budget.department_id]
        assert budget.bonus_fen == sum(ln.monthly_bonus_fen + ln.reward_fen for ln in members)


@settings(max_examples=200, deadline=None)
@given(FEN, RATE, RATE, DAYS, st.integers(0, 50_000))
@example(100_001, Decimal("0.5"), Decimal("1"), Decimal("0.5"), 1)  # 500.005 → 500.01; 0.5 fen → 1
def test_each_item_is_rounded_half_up_once_from_the_exact_amount(
    base: int, completion: Decimal, coefficient: Decimal, days: Decimal, per_day: int
) -> None:
    structure = PayStructure("P", "岗位", 300_000, base, per_day)
    person = monthly.Person(1, "甲", 1, 1, structure, "2024-01-01", coefficient, travel_days=days)
    line = monthly.compute("2026-10", [monthly.Department(1, "部", completion)], [person]).lines[0]
    exact_bonus = Decimal(base) / 100 * completion * coefficient
    assert line.monthly_bonus_fen == to_fen(exact_bonus)
    assert line.travel_fen == int(round_half_up(days * per_day))


def test_a_veto_voids_the_bonus_but_not_base_travel_or_sanctions() -> None:
    structure = PayStructure("P", "岗位", 400_000, 100_000, 20_000)
    person = monthly.Person(
        1, "甲", 1, 1, structure, "2024-01-01", Decimal("1.2"), True, "D", Decimal(1), ((-5_000, "迟到"),)
    )
    line = monthly.compute("2026-10", [monthly.Department(1, "部", Decimal(1))], [person]).lines[0]
    assert (line.monthly_bonus_fen, line.travel_fen, line.penalty_fen) == (0, 20_000, 5_000)
    assert line.total_fen == 400_000 + 20_000 - 5_000


def test_the_pool_is_the_sum_of_bonus_bases_and_rewards_count_against_it() -> None:
    structure = PayStructure("P", "岗位", 0, 100_000, 0)
    people = [
        monthly.Person(1, "甲", 1, 1, structure, "2024-01-01", Decimal("1.2")),
        monthly.Person(2, "乙", 1, 1, structure, "2024-01-01", Decimal("1.0"), sanctions=((1, "表扬"),)),
    ]
    within = monthly.compute("2026-10", [monthly.Department(1, "部", Decimal("0.9"))], people).budgets[0]
    assert (within.pool_fen, within.bonus_fen, within.over_fen) == (200_000, 198_001, 0)
    over = monthly.compute("2026-10", [monthly.Department(1, "部", Decimal("1"))], people).budgets[0]
    assert (over.pool_fen, over.bonus_fen, over.over_fen) == (200_000, 220_001, 20_001)
