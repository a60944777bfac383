from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jixiao.engine.batch import CycleInputs, score_batch, score_person
from jixiao.engine.indicators import RatingCell, ScoringError, score_inverse_ratio, score_ratio
from jixiao.engine.types import Band, Indicator, Kind, Plan, Rater, Source

from .samples import RUBRIC, cs_plan, framework

GOOD_MONTH = {
    "orders": D(30),
    "inquiries": D(100),
    "satisfaction": D(92),
    "response_seconds": D(45),
    "costly_errors": D(1),
    "praise": D(5),
    "data_leak": None,
}
RATINGS: dict[tuple[str, Rater], RatingCell] = {
    ("teamwork", Rater.PEER): ("good", "excellent"),
    ("teamwork", Rater.MANAGER): "good",
    ("attitude", Rater.MANAGER): "excellent",
}


def test_customer_service_month_scores_and_explains_itself():
    result = score_person(framework(), cs_plan(), "e1", GOOD_MONTH, RATINGS)
    # 36 (conversion 120 % × 30) + 17 (satisfaction band 85 × 20) + 10 (response 66.667 % × 15)
    # + 5 (errors: 10 − 5) + 12.375 (teamwork) + 10 (attitude) + 3 (praise, capped) = 93.375
    assert result.weighted == D("90.375")
    assert result.bonus == D(3)
    assert result.total == D("93.38")
    assert result.missing == ()
    assert result.trace is not None
    assert result.trace.replay() == result.total
    text_zh, text_en = result.trace.render("zh"), result.trace.render("en")
    assert "转化率" in text_zh and "orders / inquiries" in text_zh
    assert "缺席评分人的权重按比例分给在场评分人" in text_zh
    assert "rounded half-up to 93.38" in text_en


def test_a_missing_rater_weight_goes_proportionally_to_present_raters():
    # teamwork raters: peer (20) and manager (60); only the manager rated: 80 counts fully.
    result = score_person(framework(), cs_plan(), "e1", GOOD_MONTH, {("teamwork", Rater.MANAGER): "good"})
    assert result.achievements["teamwork"] == D(80)
    assert result.missing == ("attitude",)
    assert result.contributions["attitude"] is None


def test_veto_caps_grade_and_voids_bonus_but_keeps_the_score():
    result = score_person(framework(), cs_plan(), "e1", {**GOOD_MONTH, "data_leak": D(1)}, RATINGS)
    assert result.vetoes == ("leak",)
    assert result.grade_cap == "D"
    assert result.bonus_void
    assert result.total == D("93.38")


def test_bonus_and_deduction_caps_apply_per_indicator_then_framework():
    plan = Plan(
        "p",
        "p",
        "fw",
        indicators=(
            Indicator("q", "质量", Kind.RATIO, D(100), "performance", target=D(1), source=Source.IMPORT),
            Indicator("b1", "表扬", Kind.BONUS, source=Source.IMPORT, points_per_event=D(2), max_points=D(4)),
            Indicator("b2", "建议", Kind.BONUS, source=Source.IMPORT, points_per_event=D(1)),
            Indicator(
                "d1", "迟到", Kind.DEDUCTION, source=Source.IMPORT, points_per_event=D(3), max_points=D(6)
            ),
            Indicator("d2", "投诉", Kind.DEDUCTION, source=Source.IMPORT, points_per_event=D(5)),
        ),
    )
    r = score_person(
        framework(), plan, "x", {"q": D("0.9"), "b1": D(5), "b2": D(3), "d1": D(4), "d2": D(1)}, {}
    )
    assert r.bonus == D(5)  # min(4, 4 + 3 = 7 → framework cap 5)
    assert r.deduction == D(10)  # min(6 + 5 = 11, framework cap 10)
    assert r.total == D(85)
    assert r.trace is not None and r.trace.replay() == r.total


def test_total_never_falls_below_zero():
    plan = Plan(
        "p",
        "p",
        "fw",
        indicators=(
            Indicator("q", "质量", Kind.RATIO, D(100), target=D(1), source=Source.IMPORT),
            Indicator("d", "投诉", Kind.DEDUCTION, source=Source.IMPORT, points_per_event=D(50)),
        ),
    )
    r = score_person(framework(deduction_cap=None), plan, "x", {"q": D(0), "d": D(3)}, {})
    assert r.total == 0
    assert r.trace is not None and r.trace.replay() == 0


def test_rubric_accepts_level_keys_chinese_names_and_points_in_range():
    plan = Plan(
        "p",
        "p",
        "fw",
        indicators=(
            Indicator(
                "a", "态度", Kind.RUBRIC, D(100), raters=(Rater.MANAGER,), levels=RUBRIC, source=Source.MANUAL
            ),
        ),
    )
    assert score_person(framework(), plan, "x", {}, {("a", Rater.MANAGER): "良"}).total == 80
    assert score_person(framework(), plan, "x", {}, {("a", Rater.MANAGER): D("87.5")}).total == D("87.5")
    with pytest.raises(ScoringError):
        score_person(framework(), plan, "x", {}, {("a", Rater.MANAGER): "superb"})
    with pytest.raises(ScoringError):
        score_person(framework(), plan, "x", {}, {("a", Rater.MANAGER): D(120)})


def test_inverse_ratio_rewards_lower_values_and_zero_earns_the_cap():
    ind = Indicator("r", "响应", Kind.INVERSE_RATIO, D(10), target=D(30), cap=D("1.1"))
    assert score_inverse_ratio(ind, [D(15), D(30), D(60), D(0), None]) == [
        110_000,
        100_000,
        50_000,
        110_000,
        None,
    ]


def test_conversion_with_no_inquiries_is_missing_not_an_error():
    r = score_person(framework(), cs_plan(), "e1", {**GOOD_MONTH, "inquiries": D(0)}, RATINGS)
    assert "conversion" in r.missing
    assert r.trace is not None and "除数为零" in r.trace.render()


ratio_ind = Indicator("r", "回款率", Kind.RATIO, D(20), target=D("0.95"), cap=D("1.2"))


@given(st.decimals(min_value=-100, max_value=100, places=4), st.decimals(min_value=0, max_value=50, places=4))
@example(D("0.95"), D("0.0001"))
@example(D(-1), D(1))
def test_a_ratio_score_never_falls_as_the_actual_rises(actual, more):
    low, high = score_ratio(ratio_ind, [actual, actual + more])
    assert low is not None and high is not None
    assert low <= high
    assert 0 <= low <= 120_000


rubric_keys = st.sampled_from([lv.key for lv in RUBRIC])
maybe = st.none() | st.decimals(min_value=0, max_value=500, places=2)


@st.composite
def cycle(draw):
    n = draw(st.integers(min_value=1, max_value=8))

    def col(strategy: st.SearchStrategy[Any]) -> list[Any]:
        return [draw(strategy) for _ in range(n)]

    measures = {
        "orders": col(maybe),
        "inquiries": col(maybe),
        "satisfaction": col(maybe),
        "response_seconds": col(maybe),
        "costly_errors": col(st.none() | st.integers(0, 5).map(D)),
        "praise": col(st.none() | st.integers(0, 9).map(D)),
        "data_leak": col(st.none() | st.integers(0, 1).map(D)),
    }
    cell = (
        st.none()
        | rubric_keys
        | st.tuples(rubric_keys, rubric_keys)
        | st.decimals(min_value=40, max_value=100, places=1)
    )
    ratings = {
        (key, rater): col(cell)
        for key, rater in [
            ("teamwork", Rater.PEER),
            ("teamwork", Rater.MANAGER),
            ("attitude", Rater.SELF),
            ("attitude", Rater.MANAGER),
        ]
    }
    return CycleInputs([f"p{i}" for i in range(n)], measures, ratings)


@settings(max_examples=60, deadline=None)
@given(cycle())
def test_one_person_is_the_same_as_their_row_of_the_batch_and_traces_reproduce_totals(inputs):
    fw, plan = framework(), cs_plan()
    batch = score_batch(fw, plan, inputs)
    assert batch.traces is None
    for i, person in enumerate(inputs.persons):
        alone = score_person(
            fw,
            plan,
            person,
            {k: v[i] for k, v in inputs.measures.items()},
            {k: v[i] for k, v in inputs.ratings.items()},
        )
        row = batch.person(i)
        assert alone.total == row.total
        assert alone.contributions == row.contributions
        assert (alone.vetoes, alone.missing, alone.bonus_void) == (row.vetoes, row.missing, row.bonus_void)
        assert alone.trace is not None
        assert alone.trace.replay() == alone.total
        assert alone.total >= 0


def test_columns_must_have_one_row_per_person():
    with pytest.raises(ValueError):
        score_batch(framework(), cs_plan(), CycleInputs(["a", "b"], {"orders": [D(1)]}))


def test_bands_with_no_matching_band_score_zero():
    ind = Indicator(
        "s", "满意度", Kind.BANDS, D(10), bands=(Band(D(80), D(90), D(60)), Band(D(90), None, D(100)))
    )
    plan = Plan("p", "p", "fw", indicators=(ind,))
    assert score_person(framework(), plan, "x", {"s": D(70)}, {}).total == 0
