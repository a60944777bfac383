from decimal import Decimal as D

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jixiao.engine.money import (
    allocate,
    apply_rate,
    div_half_up,
    fen_to_yuan,
    format_rate,
    format_wan,
    format_yuan,
    parse_rate,
    parse_yuan,
    round_half_up,
    to_fen,
)


def test_round_half_up_rounds_ties_away_from_zero():
    assert round_half_up(D("0.005"), D("0.01")) == D("0.01")
    assert round_half_up(D("-0.005"), D("0.01")) == D("-0.01")
    assert round_half_up(D("2.5")) == D(3)
    assert round_half_up(D("93.375"), D("0.01")) == D("93.38")


def test_source_pay_amounts_parse_to_exact_fen():
    assert parse_yuan("4000") == 400_000
    assert parse_yuan("200万") == 200_000_000
    assert parse_yuan("1,000.50元") == 100_050
    assert parse_rate("0.05%") == D("0.0005")
    assert parse_rate("4%") == D("0.04")
    assert format_rate(D("0.0005")) == "0.05%"
    assert format_yuan(11_999_996) == "119,999.96"
    assert format_wan(200_000_000) == "200万"


def test_parse_yuan_refuses_fractions_of_a_fen():
    with pytest.raises(ValueError):
        parse_yuan("1.005")
    with pytest.raises(ValueError):
        parse_yuan("abc")


def test_director_bonus_at_source_numbers():
    assert apply_rate(parse_yuan("2999999"), D("0.04")) == 11_999_996
    assert apply_rate(parse_yuan("3000000"), D("0.06")) == 18_000_000


def test_allocate_gives_leftover_fen_to_largest_remainders_then_earlier_parts():
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(-100, [1, 1, 1]) == [-34, -33, -33]
    assert allocate(10, [D("0.5"), D("0.25"), D("0.25")]) == [5, 3, 2]
    assert allocate(0, [1, 2]) == [0, 0]


def test_allocate_rejects_bad_weights():
    with pytest.raises(ValueError):
        allocate(10, [])
    with pytest.raises(ValueError):
        allocate(10, [0, 0])
    with pytest.raises(ValueError):
        allocate(10, [1, -1])


weights = st.lists(st.decimals(min_value=0, max_value=1000, places=3), min_size=1, max_size=12).filter(
    lambda ws: sum(ws) > 0
)


@given(st.integers(min_value=-(10**12), max_value=10**12), weights)
@example(1, [D(1), D(1), D(1)])
@example(100_000_00, [D("0.04"), D("0.0005"), D("0.0005")])
def test_allocate_parts_always_sum_to_the_total(total, ws):
    parts = allocate(total, ws)
    assert sum(parts) == total
    whole = sum(ws)
    for part, w in zip(parts, ws, strict=True):
        assert abs(D(part) - D(total) * w / whole) < 1  # each part within a fen of its exact share
    assert allocate(total, ws) == parts


@given(st.integers(min_value=-(10**15), max_value=10**15), st.integers(min_value=1, max_value=10**6))
@example(5, 10)
@example(-5, 10)
@example(15, 10)
def test_integer_rounding_agrees_with_decimal_rounding(n, d):
    assert div_half_up(n, d) == int(round_half_up(D(n) / d))


@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=6))
@example(D("0.005"))
@example(D("-2.675"))
def test_rounding_is_stable(value):
    once = round_half_up(value, D("0.01"))
    assert round_half_up(once, D("0.01")) == once
    assert to_fen(fen_to_yuan(to_fen(value))) == to_fen(value)
    assert abs(once - value) <= D("0.005")
