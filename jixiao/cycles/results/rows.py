"""The result page's table, one row per indicator like a payslip (issue 11 item 5):
指标, 目标, 实际, 完成度, 权重, 得分 — built from the result's stored inputs and the engine's
re-computation (``result_explain``), never from a query per row.

Figures are rounded for display only (two decimals); the exact values stay in the engine's
result and in the trace shown under the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.common.labels import LABELS, label, quantity
from jixiao.common.text import english, named
from jixiao.engine.batch import PersonResult
from jixiao.engine.money import plain, round_half_up
from jixiao.engine.trace import TraceStep
from jixiao.engine.types import QUANTITATIVE, Indicator, Kind

SHOWN = Decimal("0.01")
DASH = "—"


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator as the employee reads it; every figure already rounded and labelled."""

    key: str
    name: str
    kind: str  # the kind's label in the page's language
    target: str
    actual: str
    achievement: str
    capped: bool  # the achievement was held at the indicator's cap (封顶)
    weight: str
    points: str
    missing: bool


def _figure(value: Decimal | None, suffix: str = "") -> str:
    if value is None:
        return DASH
    return f"{plain(round_half_up(value, SHOWN))}{suffix}"


def _level(key: str, name: str, has_english: bool) -> str:
    """A rubric level's name; on English pages a level without an English name is called by
    the common label of its key (good → Good) when there is one."""
    if has_english or not english() or key not in LABELS["flag"]:
        return name
    return label(key, "flag")


def _rated(ind: Indicator, ratings: Iterable[Any]) -> str:
    """The raters' marks for a rated indicator, a rubric level by its name (优/Excellent)."""
    levels = {lv.key: _level(lv.key, named(lv, "name_zh"), bool(lv.name_en)) for lv in ind.levels}
    parts: list[str] = []
    for key, rater, cell in ratings:
        if key != ind.key or cell is None:
            continue
        cells = cell if isinstance(cell, list) else [cell]
        marks = "/".join(levels.get(str(c), str(c)) for c in cells)
        parts.append(f"{label(rater, 'rater')} {marks}")
    return ("；" if not english() else "; ").join(parts) or DASH


def _actual(ind: Indicator, measures: Mapping[str, Any], ratings: list[Any], steps: list[TraceStep]) -> str:
    if ind.kind is Kind.DERIVED:
        value = next((s.value for s in steps if s.code == "derived"), None)
        return quantity(value, ind.unit) if value is not None else DASH
    if ind.kind in QUANTITATIVE:
        raw = measures.get(ind.measure_key)
        return quantity(raw, ind.unit) if raw not in (None, "") else DASH
    if ind.raters or ind.kind is Kind.RUBRIC:
        return _rated(ind, ratings)
    raw = measures.get(ind.measure_key)
    return quantity(raw, ind.unit) if raw not in (None, "") else DASH


def _capped(ind: Indicator, steps: list[TraceStep]) -> bool:
    step = next((s for s in steps if s.code == "achievement"), None)
    if step is None or step.value is None or ind.kind not in (Kind.RATIO, Kind.INVERSE_RATIO, Kind.DERIVED):
        return False
    return step.value > ind.effective_cap * 100


def _points(ind: Indicator, person: PersonResult, steps: list[TraceStep]) -> str:
    if ind.key in person.contributions:
        return _figure(person.contributions[ind.key])
    events = [s.limited for s in steps if s.code == ind.kind.value and s.limited is not None]
    if not events:
        return DASH
    total = sum(events, Decimal(0))
    sign = "+" if ind.kind is Kind.BONUS else "−"
    return f"{sign}{_figure(total)}" if total else "0"


def indicator_rows(plan: Any, person: PersonResult, inputs: Mapping[str, Any]) -> list[IndicatorRow]:
    """One row per indicator of ``plan`` (the engine plan the result was computed with)."""
    steps_of: dict[str, list[TraceStep]] = {}
    for step in person.trace.steps if person.trace else ():
        steps_of.setdefault(step.item, []).append(step)
    measures = inputs.get("measures", {})
    ratings = list(inputs.get("ratings", []))
    rows = []
    for ind in plan.indicators:
        steps = steps_of.get(ind.key, [])
        achievement = person.achievements.get(ind.key)
        rows.append(
            IndicatorRow(
                key=ind.key,
                name=named(ind, "name_zh"),
                kind=label(ind.kind.value, "kind"),
                target=quantity(ind.target, ind.unit) if ind.target is not None else DASH,
                actual=_actual(ind, measures, ratings, steps),
                achievement=_figure(achievement, " %"),
                capped=_capped(ind, steps),
                weight=plain(ind.weight) if ind.weight else DASH,
                points=_points(ind, person, steps),
                missing=ind.key in person.missing,
            )
        )
    return rows
