"""Lint finds unreasonable plans (issue 11 item 8): each finding points at the item, blocks
where it must, and its fix fits the finding."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.engine.findings import Finding
from jixiao.engine.lint import lint_plan
from jixiao.engine.lint_bonus import lint_bonus_plan
from jixiao.engine.pay_types import Bound
from jixiao.engine.toml_format import FormatError, load_pay, load_plan
from jixiao.engine.types import Band, Indicator, Kind, RubricLevel, Severity, Source

from .samples import cs_plan, framework, marketing_bonus


def findings_of(*indicators: Indicator) -> list[Finding]:
    plan = cs_plan()
    return lint_plan(dataclasses.replace(plan, indicators=(*plan.indicators, *indicators)), framework())


def one(findings: list[Finding], code: str) -> Finding:
    hits = [f for f in findings if f.code == code]
    assert len(hits) == 1, [f.render() for f in findings]
    return hits[0]


BANDS = (Band(None, D(80), D(100)), Band(D(80), D(90), D(60)), Band(D(90), None, D(0)))


def test_a_band_table_against_the_stated_direction_blocks() -> None:
    ind = Indicator("sat", "满意度", Kind.BANDS, source=Source.IMPORT, direction="higher", bands=BANDS)
    f = one(findings_of(ind), "plan.bands_direction")
    assert f.severity is Severity.BLOCKING and f.item == "sat" and f.where.endswith(".bands")
    assert "越高越好" in f.message.zh and "倒过来" in f.fix.zh
    assert not [
        x
        for x in findings_of(dataclasses.replace(ind, direction="lower"))
        if x.code == "plan.bands_direction"
    ]


def test_rubric_levels_with_equal_points_block() -> None:
    levels = (
        RubricLevel("a", "优", D(100), description_zh="x"),
        RubricLevel("b", "良", D(80), description_zh="x"),
        RubricLevel("c", "中", D(80), description_zh="x"),
    )
    ind = Indicator("r", "协作", Kind.RUBRIC, source=Source.MANUAL, levels=levels)
    f = one(findings_of(ind), "plan.rubric_equal")
    assert f.severity is Severity.BLOCKING and f.where.endswith(".levels[2]") and "良" in f.message.zh


def test_a_veto_without_its_incident_blocks() -> None:
    ind = Indicator("v", "安全事故", Kind.VETO, source=Source.MANUAL, veto_grade="D")
    f = one(findings_of(ind), "plan.veto_incident")
    assert f.severity is Severity.BLOCKING and f.where.endswith(".description_zh") and f.item == "v"
    assert "事件" in f.fix.zh


def test_a_bonus_cap_above_the_framework_blocks() -> None:
    cap = framework().bonus_cap
    assert cap is not None
    ind = Indicator("b", "表扬2", Kind.BONUS, source=Source.MANUAL, points_per_event=D(1), max_points=cap + 1)
    f = one(findings_of(ind), "plan.cap_above_framework")
    assert f.severity is Severity.BLOCKING and f.where.endswith(".max_points")


def test_too_few_indicators_advises_adding_indicators() -> None:
    plan = cs_plan()
    f = one(
        lint_plan(dataclasses.replace(plan, indicators=plan.indicators[:1]), framework()),
        "plan.indicator_count",
    )
    assert f.fix.zh.startswith("增加指标") and f.fix.render("en").startswith("add indicators")


def test_an_unstated_bound_blocks_whatever_its_neighbour_says() -> None:
    plan = marketing_bonus()
    tiers = list(plan.tiers)
    # tier 1's upper is stated exclusive, tier 2's lower unstated: once a warning, now blocking
    upper = tiers[1].upper
    assert upper is not None
    tiers[1] = dataclasses.replace(tiers[1], upper=Bound(upper.amount, False, "不满"))
    found = lint_bonus_plan(dataclasses.replace(plan, tiers=tuple(tiers)))
    unstated = [f for f in found if f.code in ("bonus.bound_unstated", "bonus.bound_ambiguous")]
    assert unstated and all(f.severity is Severity.BLOCKING for f in unstated)
    assert any(f.where == "tiers[2].lower" for f in unstated)


PLAN = """
[plan]
key = "x"
name_zh = "测试"
{extra}
[[plan.indicators]]
key = "a"
name_zh = "甲"
kind = "ratio"
target = "10"
{inner}
"""


@pytest.mark.parametrize(
    ("extra", "inner", "path"),
    [
        ("wieght = 3", "", "plan.indicators[0].wieght"),
        ("", "foo = 1", "plan.indicators[0].foo"),
        ("[plan.extra]\nz = 1", "", "plan.extra"),
    ],
)
def test_a_key_the_format_does_not_define_is_an_error_naming_it(extra: str, inner: str, path: str) -> None:
    text = PLAN.format(extra="", inner=inner) + ("\n" + extra if extra else "")
    with pytest.raises(FormatError) as err:
        load_plan(text)
    assert err.value.path == path and path in err.value.message_zh and path in err.value.message_en


def test_the_shipped_pay_files_define_every_key() -> None:
    # Read as files: the engine (and its tests) import no app of ours.
    data = Path(__file__).resolve().parents[2] / "demo" / "data"
    for name in ("pay_marketing.toml", "pay_marketing_corrected.toml"):
        assert load_pay((data / name).read_text(encoding="utf-8")).annual_bonus is not None
