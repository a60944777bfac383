"""One check for every value of a measure, wherever it comes from (手工录入, import, API):
a finite number within the range the plan declares for the measure (its kind, narrowed by
``min``/``max``), a whole number for counts. Refusals name the measure, the range and the fix.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.common.errors import JixiaoError
from jixiao.cycles.lifecycle.snapshot import decimal_or_none
from jixiao.engine.money import plain
from jixiao.engine.text import Text
from jixiao.engine.types import MAGNITUDE, Measure, MeasureKind

MAX_TEXT = 40  # the longest value text stored (Actual.value)

KIND_NAMES = {
    MeasureKind.COUNT: Text("次数（非负整数）", "count (a whole number ≥ 0)"),
    MeasureKind.PERCENT: Text("百分数", "percentage"),
    MeasureKind.RATIO: Text("比率", "ratio"),
    MeasureKind.AMOUNT: Text("金额", "amount"),
    MeasureKind.DURATION: Text("时长", "duration"),
    MeasureKind.NUMBER: Text("数值", "number"),
}


def parse_number(text: str) -> Decimal | None:
    """A finite decimal from user text (``"1,234.5"``, ``" 97 "``); None when it is not one or is
    longer than any number anyone types (20,000 characters are refused before Decimal sees them)."""
    if len(text.strip()) > MAX_TEXT:
        return None
    return decimal_or_none(text)


def measure_range(measure: Measure) -> Text:
    """The allowed values of ``measure`` as people read them: ``0–100``, ``≥ 0 的整数``."""
    low, high, whole = measure.bounds()
    unit = f" {measure.unit}" if measure.unit else ""
    if high >= MAGNITUDE and low <= -MAGNITUDE:
        span = Text("任意数值", "any number")
    elif high >= MAGNITUDE or (measure.max is None and measure.kind is not MeasureKind.PERCENT):
        span = Text(f"不小于 {plain(low)}{unit}", f"at least {plain(low)}{unit}")
    else:
        span = Text(f"{plain(low)}–{plain(high)}{unit}", f"{plain(low)}–{plain(high)}{unit}")
    if whole:
        return Text(f"{span.zh} 的整数", f"a whole number, {span.en}")
    return span


def _refusal(measure: Measure, text: str, zh: str, en: str) -> JixiaoError:
    allowed = measure_range(measure)
    shown = text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"
    return JixiaoError(
        zh=f"“{measure.name_zh}”的值“{shown}”{zh}；应填写 {allowed.zh}。",
        en=f"{measure.name_en or measure.name_zh}: {shown!r} {en}; enter {allowed.en}.",
        code="measure_value",
    )


def measure_value_check(measure: Measure, text: str) -> Decimal:
    """The value ``text`` as an exact Decimal, refused (JixiaoError 400, both languages) unless it
    is a finite number within the measure's declared range (a whole number for a count)."""
    value = parse_number(str(text))
    if value is None:
        raise _refusal(measure, str(text).strip(), "不是数字", "is not a number")
    low, high, whole = measure.bounds()
    if whole and value != value.to_integral_value():
        raise _refusal(measure, str(text).strip(), "不是整数", "is not a whole number")
    if value < low:
        raise _refusal(measure, str(text).strip(), f"小于 {plain(low)}", f"is below {plain(low)}")
    if value > high:
        raise _refusal(measure, str(text).strip(), f"大于 {plain(high)}", f"is above {plain(high)}")
    return value
