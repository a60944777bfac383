"""The pure part of the preview (jixiao.engine.impact): two versions on the same columns, by the
batch functions the close uses; the indicator that moved a person, read from the two traces."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

from jixiao.engine.batch import CycleInputs, score_batch
from jixiao.engine.grading import grade_batch
from jixiao.engine.impact import indicator_points, largest_mover, monthly_bonus, preview_batch
from jixiao.engine.pay import MonthlyInputs, compile_monthly_formula, monthly_line
from jixiao.engine.pay_types import PayStructure
from jixiao.engine.tests.samples import cs_plan, framework
from jixiao.engine.types import MissingData, Plan, Rater

FW = framework(missing_data=MissingData.ZERO)
PEOPLE = ["seller", "helper", "leaker"]
INPUTS = CycleInputs(
    persons=PEOPLE,
    measures={
        "orders": [D(30), D(10), D(25)],
        "inquiries": [D(100), D(100), D(100)],
        "satisfaction": [D(82), D(97), D(96)],
        "response_seconds": [D(60), D(25), D(30)],
        "costly_errors": [D(0), D(1), None],
        "praise": [D(2), None, D(0)],
        "data_leak": [None, None, D(1)],
    },
    ratings={
        ("teamwork", Rater.MANAGER): ["good", "excellent", "good"],
        ("teamwork", Rater.PEER): [("good", D(90)), None, "fair"],
        ("attitude", Rater.MANAGER): ["excellent", "good", "good"],
        ("attitude", Rater.SELF): ["good", "good", None],
    },
)


def weighted(plan: Plan, **weights: str) -> Plan:
    indicators = tuple(
        dataclasses.replace(i, weight=D(weights[i.key])) if i.key in weights else i for i in plan.indicators
    )
    return dataclasses.replace(plan, indicators=indicators)


def test_the_same_version_changes_nothing_and_equals_the_batch() -> None:
    plan = cs_plan()
    batch = score_batch(FW, plan, INPUTS)
    grades = grade_batch(FW, batch.total, batch.grade_caps)
    people = preview_batch(FW, plan, plan, INPUTS)
    assert [p.old.total_milli for p in people] == batch.total
    assert [p.old.grade for p in people] == grades.grade
    assert all(p.old == p.new and p.mover is None for p in people)


def test_a_weight_moved_from_conversion_to_satisfaction_moves_the_seller_down_and_names_it() -> None:
    old, new = cs_plan(), weighted(cs_plan(), conversion="10", satisfaction="40")
    seller, helper, leaker = preview_batch(FW, old, new, INPUTS)
    assert seller.grade_changed and seller.mover is not None
    assert seller.mover.key == "conversion" and seller.mover.change < 0
    assert helper.grade_changed and helper.mover is not None and helper.mover.key == "satisfaction"
    # The veto caps the leaker at D under both versions: no change, however the points move.
    assert leaker.old.grade == leaker.new.grade == "D" and leaker.mover is None
    assert leaker.new.bonus_void


def test_indicator_points_replay_the_weighted_total_and_count_events() -> None:
    plan = cs_plan()
    batch = score_batch(FW, plan, INPUTS, with_trace=True)
    assert batch.traces is not None
    points = indicator_points(batch.traces[0])
    weighted_sum = sum(v for k, v in points.items() if k != "praise")
    assert weighted_sum * 1000 == batch.weighted[0]
    assert points["praise"] == D(2)  # two praises at one point each, under the cap of 3
    helper = indicator_points(batch.traces[1])
    assert helper["errors"] == D(5)  # a weighted deduction: 10 − one error × 5


def test_nothing_moved_gives_no_mover() -> None:
    trace = score_batch(FW, cs_plan(), INPUTS, with_trace=True).traces
    assert trace is not None
    assert largest_mover(trace[0], trace[0]) is None


def test_a_new_indicator_without_data_scores_as_the_framework_says_missing_data() -> None:
    extra = dataclasses.replace(cs_plan().indicators[2], key="callback", name_zh="回访", measure="callbacks")
    new = dataclasses.replace(cs_plan(), indicators=(*cs_plan().indicators, extra))
    people = preview_batch(FW, cs_plan(), new, INPUTS)
    assert all("callback" in p.new.missing for p in people)
    assert [p.new.total for p in people] == [p.old.total for p in people]  # zero: 0 points added
    excluding = framework(missing_data=MissingData.EXCLUDE)
    rescaled = preview_batch(excluding, cs_plan(), new, INPUTS)
    # exclude: left out, and the weights with data are scaled up to the whole (110 over 100)
    assert all(p.new.total > p.old.total and "callback" in p.new.missing for p in rescaled)


def test_the_monthly_bonus_is_the_pay_engine_with_another_coefficient() -> None:
    inputs = MonthlyInputs(
        month="2026-10",
        department="客服部",
        structure=PayStructure("CS-03", "客服专员", 400_000, 100_000, 20_000),
        structure_from="2024-01-01",
        completion=D("0.95"),
        coefficient=D("1.0"),
        sanctions=((5_000, "表扬"),),
    )
    paid = monthly_line(inputs, compile_monthly_formula(inputs.formula))[0].monthly_bonus
    assert monthly_bonus(inputs, D("1.0"), False) == paid == 95_000
    assert monthly_bonus(inputs, D("1.2"), False) == 114_000
    assert monthly_bonus(inputs, D("1.2"), True) == 0
