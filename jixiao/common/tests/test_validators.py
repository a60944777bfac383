"""The input parsers: whatever text arrives, they return an exact in-range value or refuse it
with a bilingual error naming the field and the range — they never crash and never give a float."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.common import fields, validators
from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text

HOSTILE = ["1e30", "nan", "NaN", "inf", "-inf", "-1", "x" * 10000, "0x1", "[]", "", " ", "1e-30", "9" * 400]
FIELD = Text("数量", "Count")
# Anything a person or a file could send: text, numbers of every size, specials.
ANYTHING = st.one_of(
    st.text(max_size=80),
    st.integers(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(),
    st.sampled_from(HOSTILE),
    st.none(),
)


def outcome(parse: Any, value: Any, **options: Any) -> Any:
    """The parsed value, or None when refused (a JixiaoError naming the field in both languages)."""
    try:
        return parse(value, field=FIELD, **options)
    except JixiaoError as error:
        assert error.zh.startswith("“数量”") and error.en.startswith("Count:"), error
        assert error.status == 400 and error.problems
        return None


@settings(max_examples=300, deadline=None)
@given(ANYTHING)
def test_money_is_exact_fen_within_the_ceiling(value: Any) -> None:
    fen = outcome(validators.parse_money, value, ceiling_yuan=100_000_000)
    assert fen is None or (type(fen) is int and 0 <= fen <= 100_000_000 * 100)


@settings(max_examples=300, deadline=None)
@given(ANYTHING)
def test_profit_is_exact_fen_within_the_profit_ceiling(value: Any) -> None:
    fen = outcome(validators.parse_profit, value)
    assert fen is None or (type(fen) is int and abs(fen) <= validators.profit_ceiling_yuan() * 100)


@settings(max_examples=300, deadline=None)
@given(ANYTHING)
def test_count_is_a_whole_number_from_zero(value: Any) -> None:
    count = outcome(validators.parse_count, value, maximum=1000)
    assert count is None or (type(count) is int and 0 <= count <= 1000)


@settings(max_examples=300, deadline=None)
@given(ANYTHING)
def test_percent_ratio_and_score_are_finite_decimals_in_range(value: Any) -> None:
    for parse, high in (
        (validators.parse_percent, 100),
        (validators.parse_ratio, validators.MAX_RATIO),
        (validators.parse_score, validators.MAX_SCORE),
    ):
        number = outcome(parse, value)
        assert number is None or (isinstance(number, Decimal) and number.is_finite() and 0 <= number <= high)


@settings(max_examples=300, deadline=None)
@given(ANYTHING)
def test_dates_labels_text_and_ids_never_crash(value: Any) -> None:
    day = outcome(validators.parse_date, value)
    assert day is None or validators.FIRST_DATE <= day <= validators.LAST_DATE
    label = outcome(validators.parse_cycle_label, value)
    assert label is None or len(label) <= 7
    text = outcome(validators.parse_text, value, max_length=50)
    assert text is None or len(text) <= 50
    pk = outcome(validators.parse_id, value)
    assert pk is None or 1 <= pk <= validators.MAX_ID


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_refused_where_not_allowed(value: str) -> None:
    assert outcome(validators.parse_money, value) is None
    assert outcome(validators.parse_count, value) is None
    assert outcome(validators.parse_id, value) is None
    assert outcome(validators.parse_cycle_label, value) is None
    assert outcome(validators.parse_date, value) is None


@pytest.mark.parametrize(
    ("parse", "text", "expected", "options"),
    [
        (validators.parse_money, "4000", 400000, {}),
        (validators.parse_money, "1,000.50", 100050, {}),
        (validators.parse_money, "300万", 300000000, {}),
        (validators.parse_money, "-20", -2000, {"negative": True}),
        (validators.parse_profit, "-5000000", -500000000, {}),
        (validators.parse_count, "12", 12, {}),
        (validators.parse_count, "12.0", 12, {}),
        (validators.parse_percent, "95%", Decimal("95"), {}),
        (validators.parse_percent, "100", Decimal("100"), {}),
        (validators.parse_ratio, "0.5", Decimal("0.5"), {}),
        (validators.parse_score, "92.5", Decimal("92.5"), {}),
        (validators.parse_date, "2026-10-31", dt.date(2026, 10, 31), {}),
        (validators.parse_cycle_label, "2026-10", "2026-10", {"kind": "month"}),
        (validators.parse_cycle_label, "2026-q4", "2026-Q4", {"kind": "quarter"}),
        (validators.parse_cycle_label, "2026", "2026", {"kind": "year"}),
        (validators.parse_text, "  说明  ", "说明", {}),
        (validators.parse_id, "42", 42, {}),
    ],
)
def test_plain_values_are_accepted(parse: Any, text: str, expected: Any, options: dict[str, Any]) -> None:
    assert parse(text, field=FIELD, **options) == expected


@pytest.mark.parametrize(
    ("parse", "text", "options", "says"),
    [
        (validators.parse_money, "100000001", {"ceiling_yuan": 100_000_000}, "100000000"),
        (validators.parse_money, "-1", {}, "0 到"),
        (validators.parse_money, "1.001", {}, "两位小数"),
        (validators.parse_percent, "250", {}, "0 到 100"),
        (validators.parse_count, "3.5", {}, "整数"),
        (validators.parse_cycle_label, "2026-13", {}, "2026-10"),
        (validators.parse_cycle_label, "2026-10", {"kind": "quarter"}, "2026-Q4"),
        (validators.parse_date, "1900-01-01", {}, "2000-01-01"),
        (validators.parse_text, "x" * 11, {"max_length": 10}, "10"),
    ],
)
def test_refusals_name_the_allowed_range(parse: Any, text: str, options: dict[str, Any], says: str) -> None:
    with pytest.raises(JixiaoError) as refused:
        parse(text, field=FIELD, **options)
    assert says in refused.value.zh and refused.value.en


class _Form(forms.Form):
    amount = fields.MoneyField(label="金额")
    count = fields.CountField(label="数量", maximum=100)
    rate = fields.PercentField(label="完成率")
    day = fields.SaneDateField(label="日期")
    note = fields.BoundedTextField(label="说明", max_length=20, required=False)


def test_form_fields_refuse_with_the_range_and_clean_to_exact_values() -> None:
    good = _Form({"amount": "1,000.50", "count": "7", "rate": "95%", "day": "2026-10-01", "note": "好"})
    assert good.is_valid(), good.errors
    assert good.cleaned_data["amount"] == 100050 and good.cleaned_data["count"] == 7
    assert good.cleaned_data["rate"] == Decimal("95")
    for value in HOSTILE:
        form = _Form({"amount": value, "count": value, "rate": value, "day": value, "note": value * 3})
        assert not form.is_valid()
        assert {"amount", "count", "rate", "day"} <= set(form.errors)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=80), st.sampled_from(HOSTILE)))
def test_form_fields_never_crash_whatever_is_typed(text: str) -> None:
    form = _Form({"amount": text, "count": text, "rate": text, "day": text, "note": text})
    form.is_valid()  # only ValidationErrors, collected on the form
    for name, value in form.cleaned_data.items():
        assert not isinstance(value, float), name
