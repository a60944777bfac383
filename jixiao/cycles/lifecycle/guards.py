"""Complete data before results (§3): who lacks what in a cycle, and the close guards.

A gap is one person's missing input: a measure no one entered (measured data) or a rater kind
that gave no score. Measured gaps block closing when the framework's ``missing_data`` policy is
``block`` (the default); under ``exclude`` or ``zero`` the policy applies and the trace says so.
Rater gaps are listed for HR to chase; a rated indicator with no rater at all counts as missing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from jixiao.common.errors import JixiaoError
from jixiao.cycles.entry.models import Actual, Score
from jixiao.engine.explain import RATER_NAMES
from jixiao.engine.formula import compile_formula
from jixiao.engine.text import Text
from jixiao.engine.types import Framework, Kind, MissingData, Plan, Rater

from .models import Cycle, CycleMember, CyclePlan
from .snapshot import rules

SHOWN = 12  # gaps named in a refusal; the close page lists them all

POLICY_NAMES = {
    MissingData.BLOCK: Text("缺数据不得截止", "no closing while data is missing"),
    MissingData.EXCLUDE: Text("剔除缺数据指标并重新分配权重", "leave the indicator out and re-weight"),
    MissingData.ZERO: Text("缺数据按 0 分计", "missing data scores 0"),
}


@dataclass(frozen=True)
class Gap:
    """One missing input: whose, which indicator, and what is missing (a measure or a rater)."""

    department: str
    person: str
    number: str
    indicator: Text  # the indicator's name in both languages
    missing: Text  # the measure's name, or the rater kind
    blocking: bool  # refuses the close under the framework's policy


def _needs(plan: Plan) -> list[tuple[str, Text, list[str], list[str]]]:
    """Per weighted indicator: (key, name, measures it reads, rater kinds that rate it)."""
    out: list[tuple[str, Text, list[str], list[str]]] = []
    for ind in plan.indicators:
        if not ind.is_weighted or ind.kind in (Kind.DEDUCTION, Kind.BONUS, Kind.VETO):
            continue
        name = Text(ind.name_zh, ind.name_en or ind.name_zh)
        if ind.is_rated:
            out.append((ind.key, name, [], [str(r) for r in ind.raters]))
        elif ind.kind is Kind.DERIVED:
            names = compile_formula(ind.formula, [m.key for m in plan.measures] or None).names
            out.append((ind.key, name, sorted(names), []))
        else:
            out.append((ind.key, name, [ind.measure_key], []))
    return out


def _rater_name(rater: str) -> Text:
    """A rater kind as a table cell reads it (自评 / Self)."""
    name = RATER_NAMES[Rater(rater)]
    return Text(name.zh, name.en.capitalize())


@dataclass(frozen=True)
class _Rules:
    """What one plan snapshot asks of each member, worked out once per snapshot, not per person."""

    needs: list[tuple[str, Text, list[str], list[str]]]
    measure_names: dict[str, Text]
    counted_raters: frozenset[str]  # rater kinds with a weight in the framework
    blocks: bool


def _rules_of(plan: Plan, fw: Framework) -> _Rules:
    names = {m.key: Text(m.name_zh, m.name_en or m.name_zh) for m in plan.measures}
    counted = frozenset(str(r) for r, w in fw.rater_weights if w > 0)
    return _Rules(_needs(plan), names, counted, fw.missing_data is MissingData.BLOCK)


def _member_gaps(
    where: tuple[str, str, str], r: _Rules, entered: set[str], rated: set[tuple[str, str]]
) -> list[Gap]:
    out = []
    for key, name, measures, raters in r.needs:
        for measure in measures:
            if measure not in entered:
                out.append(Gap(*where, name, r.measure_names.get(measure, Text(measure, measure)), r.blocks))
        counted = [kind for kind in raters if kind in r.counted_raters]
        present = [kind for kind in counted if (key, kind) in rated]
        for rater in counted:
            if (key, rater) not in rated:
                out.append(Gap(*where, name, _rater_name(rater), r.blocks and not present))
    return out


def data_gaps(cycle: Cycle) -> list[Gap]:
    """Every member's missing inputs, in department and employee order (four queries)."""
    plans = {s.pk: _rules_of(*rules(s)) for s in CyclePlan.objects.filter(cycle=cycle)}
    entered: dict[int, set[str]] = defaultdict(set)
    for member_id, key in Actual.objects.filter(member__cycle=cycle).values_list("member_id", "measure_key"):
        entered[member_id].add(key)
    rated: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for member_id, key, kind in Score.objects.filter(member__cycle=cycle).values_list(
        "member_id", "indicator_key", "rater_kind"
    ):
        rated[member_id].add((key, kind))
    members = (
        CycleMember.objects.filter(cycle=cycle)
        .order_by("department__sort_order", "department_id", "employee__number")
        .values_list(
            "pk",
            "snapshot_id",
            "department__name",
            "employee__name",
            "employee__number",
        )
    )
    out: list[Gap] = []
    for pk, snapshot_id, department, person, number in members.iterator(chunk_size=5000):
        out.extend(_member_gaps((department, person, number), plans[snapshot_id], entered[pk], rated[pk]))
    return out


def measured_data_complete(cycle: Cycle, user: Any) -> None:
    """Guard: refuse to close while data is missing that the framework says blocks the close."""
    blocking = [g for g in data_gaps(cycle) if g.blocking]
    if not blocking:
        return
    people = len({(g.department, g.number) for g in blocking})
    shown = blocking[:SHOWN]
    zh = "；".join(f"{g.department} {g.person}：{g.indicator.zh}（缺{g.missing.zh}）" for g in shown)
    en = "; ".join(f"{g.department} {g.person}: {g.indicator.en} (no {g.missing.en})" for g in shown)
    more = len(blocking) - len(shown)
    raise JixiaoError(
        zh=f"还有 {people} 人缺少考核数据，不能截止评分：{zh}{f' 等 {more} 项' if more else ''}。"
        "请补齐数据（手工录入或导入实际值）后再截止；完整清单见“截止评分”页。",
        en=f"{people} people still lack data; scoring cannot close: {en}{f' and {more} more' if more else ''}. "
        "Enter or import the missing actuals, then close; the close page lists every gap.",
        code="missing_data",
        status=409,
    )


def period_over(cycle: Cycle, today: dt.date | None = None) -> bool:
    return (today or timezone.localdate()) > cycle.end


def period_ended(cycle: Cycle, user: Any) -> None:
    """Guard: the ordinary close waits for the end of the period (an early close says why)."""
    if not period_over(cycle):
        raise JixiaoError(
            zh=f"周期 {cycle.label} 到 {cycle.end:%Y-%m-%d} 才结束。如需提前截止评分，请选择“提前截止评分”并说明原因。",
            en=f"Cycle {cycle.label} runs until {cycle.end:%Y-%m-%d}. To close scoring early, choose "
            "“Close scoring early” and state the reason.",
            code="period_not_ended",
            status=409,
        )


def period_not_ended(cycle: Cycle, user: Any) -> None:
    """Guard: an early close is for a period still running (otherwise close it the ordinary way)."""
    if period_over(cycle):
        raise JixiaoError(
            zh=f"周期 {cycle.label} 已于 {cycle.end:%Y-%m-%d} 结束，请直接截止评分，无需说明提前的原因。",
            en=f"Cycle {cycle.label} ended on {cycle.end:%Y-%m-%d}; close scoring the ordinary way.",
            code="period_ended",
            status=409,
        )
