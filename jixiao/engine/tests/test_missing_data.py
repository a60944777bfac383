"""The framework's missing-data policy (缺数据规则): block, exclude and re-weight, score 0 — each
stated on the person's trace; and measures' kinds and ranges."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.engine.batch import score_person
from jixiao.engine.toml_format import FormatError, framework_from_dict, plan_from_dict
from jixiao.engine.types import Indicator, Kind, Measure, MeasureKind, MissingData, Plan, Source

from .samples import framework

PLAN = Plan(
    key="p",
    name_zh="细则",
    framework="fw",
    indicators=(
        Indicator("sales", "销售额", Kind.RATIO, D(60), target=D(100), source=Source.IMPORT),
        Indicator("orders", "订单", Kind.RATIO, D(40), target=D(100), source=Source.IMPORT),
    ),
)


def _score(policy: MissingData):  # type: ignore[no-untyped-def]
    fw = framework(missing_data=policy)
    return score_person(fw, PLAN, "e1", {"sales": D(100), "orders": None}, {})


def test_zero_scores_the_missing_indicator_0_and_says_so() -> None:
    result = _score(MissingData.ZERO)
    assert result.total == D("60.00")
    assert result.missing == ("orders",)
    assert result.trace is not None and result.trace.replay() == result.total
    assert "按框架的缺数据规则计 0 分" in result.trace.render("zh")
    assert "scores 0 under the framework's missing-data rule" in result.trace.render("en")


def test_exclude_reweights_the_indicators_with_data() -> None:
    result = _score(MissingData.EXCLUDE)
    assert result.total == D("100.00")  # 60 points of the 60 weight present, scaled to 100
    assert result.trace is not None and result.trace.replay() == result.total
    text = result.trace.render("zh")
    assert "剔除该指标" in text and "重新分配权重" in text
    assert "re-shared" in result.trace.render("en")


def test_block_still_states_what_the_zero_is() -> None:
    result = _score(MissingData.BLOCK)
    assert result.total == D("60.00")
    assert result.trace is not None
    assert "测量数据须在截止前补齐" in result.trace.render("zh")


def test_nothing_missing_is_the_same_under_every_policy() -> None:
    totals = {
        score_person(framework(missing_data=p), PLAN, "e1", {"sales": D(90), "orders": D(50)}, {}).total
        for p in MissingData
    }
    assert totals == {D("74.00")}


def test_measure_kinds_bound_their_values() -> None:
    assert Measure("n", "次数", kind=MeasureKind.COUNT).bounds() == (D(0), D(10) ** 9, True)
    assert Measure("s", "满意度", kind=MeasureKind.PERCENT).bounds() == (D(0), D(100), False)
    assert Measure("s", "满意度", kind=MeasureKind.PERCENT, min=D(1), max=D(5)).bounds()[:2] == (D(1), D(5))
    low, high, _ = Measure("x", "数").bounds()
    assert low == -high and high == D(10) ** 12


def test_toml_reads_kind_range_and_policy_and_defaults_from_the_unit() -> None:
    plan = plan_from_dict(
        {
            "plan": {
                "key": "p",
                "name_zh": "细则",
                "measures": [
                    {"key": "orders", "name_zh": "单数", "unit": "单"},
                    {"key": "sat", "name_zh": "满意度", "kind": "percent", "min": "1", "max": "5"},
                ],
                "indicators": [],
            }
        }
    )
    assert plan.measure("orders").kind is MeasureKind.COUNT  # from the unit 单
    assert plan.measure("sat").bounds()[:2] == (D(1), D(5))
    grades = [{"key": "A", "min_score": 0, "coefficient": 1}]
    table = {"key": "f", "name_zh": "框架", "rater_weights": {"manager": 100}, "grades": grades}
    assert framework_from_dict({"framework": table}).missing_data is MissingData.BLOCK
    fw = framework_from_dict({"framework": {**table, "missing_data": "exclude"}})
    assert fw.missing_data is MissingData.EXCLUDE
    with pytest.raises(FormatError) as refused:
        framework_from_dict({"framework": {**table, "missing_data": "guess"}})
    assert refused.value.path == "framework.missing_data"


def test_an_undeclared_event_measure_is_a_count() -> None:
    plan = Plan(
        key="p",
        name_zh="细则",
        framework="fw",
        indicators=(Indicator("err", "失误", Kind.DEDUCTION, D(0), points_per_event=D(1)),),
    )
    assert plan.measure("err").kind is MeasureKind.COUNT
    with pytest.raises(KeyError):
        plan.measure("nothing")
