"""A trace reads wholly in one language: English words only in the English render (data without
an English name stays as written), Chinese operator words only in the Chinese one."""

import re
from decimal import Decimal as D

from jixiao.engine.batch import score_person
from jixiao.engine.bonus import annual_bonus
from jixiao.engine.money import parse_yuan
from jixiao.engine.pay import MonthlyInputs, monthly_line
from jixiao.engine.trace import Trace
from jixiao.engine.types import BonusMode

from .samples import DIRECTOR, cs_plan, framework, marketing_bonus
from .test_scoring import GOOD_MONTH, RATINGS

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
ENGLISH_WORDS = re.compile(
    r"\b(min|max|actual|target|weight|weights|achievement|count|per event|cap|capped|floored|rounded|"
    r"limited|bands|none|mode|self|manager|peer|committee|veto|bonus|total|points|net profit|rate|"
    r"slice|days|per day|derived|missing|at|to)\b",
    re.IGNORECASE,
)


def _cs_trace(**measures: D) -> Trace:
    result = score_person(framework(), cs_plan(), "e1", {**GOOD_MONTH, **measures}, RATINGS)
    assert result.trace is not None
    return result.trace


def _without_data(text: str, data: tuple[str, ...]) -> str:
    for word in data:
        text = text.replace(word, "")
    return text


# Data the sample plan gives no English name or no Chinese one: measure keys in the derived
# formula, and the monthly formula as the department writes it.
DATA = ("orders", "inquiries", "base * completion * coefficient", "base", "completion", "coefficient")


def test_the_english_score_trace_has_no_chinese_and_the_chinese_one_no_english_operator_words():
    for trace in (_cs_trace(), _cs_trace(data_leak=D(1)), _cs_trace(inquiries=D(0), orders=D(0))):
        english = trace.render("en")
        assert not CJK.findall(english), english
        assert "rounded half-up to" in english
        chinese = _without_data(trace.render("zh"), DATA)
        assert not ENGLISH_WORDS.findall(chinese), ENGLISH_WORDS.findall(chinese)
        assert "四舍五入为" in chinese


def test_a_cap_reads_as_a_cap_and_a_floor_as_a_floor():
    chinese, english = _cs_trace().render("zh"), _cs_trace().render("en")
    assert "封顶为" in chinese and "capped at" in english  # praise points capped per indicator
    assert "按上限/下限取" not in chinese and "limited to" not in english


def test_the_veto_names_the_grade_in_each_language():
    trace = _cs_trace(data_leak=D(1))
    assert "等级最高为" in trace.render("zh") and "grade at most" in trace.render("en")


def test_annual_bonus_and_monthly_pay_traces_read_in_one_language():
    for mode in BonusMode:
        bonus = annual_bonus(marketing_bonus(mode), parse_yuan("250万"))
        assert bonus.trace is not None
        assert not CJK.findall(bonus.trace.render("en")), bonus.trace.render("en")
        assert not ENGLISH_WORDS.findall(bonus.trace.render("zh"))
    inputs = MonthlyInputs(
        "2026-09",
        "Sales",
        DIRECTOR,
        "2026-01",
        completion=D("0.9"),
        coefficient=D("1.2"),
        travel_days=D(2),
        sanctions=((30_000, "praise"), (-10_000, "late")),
        adjustments=((500, "fix"),),
    )
    _, trace = monthly_line(inputs)
    english = _without_data(trace.render("en"), DATA)
    assert not CJK.findall(english), english
    chinese = _without_data(trace.render("zh"), (*DATA, "Sales", "praise", "late", "fix"))
    assert not ENGLISH_WORDS.findall(chinese), ENGLISH_WORDS.findall(chinese)
