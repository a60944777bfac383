"""Plan and framework checks (找出不合理项): findings with where, why and how to fix.

:func:`lint_plan` checks a department plan against its framework (every check of SPEC §2);
:func:`lint_framework` checks a framework on its own; bonus plans are checked by
:mod:`jixiao.engine.lint_bonus`. A ``blocking`` finding stops a submit; a ``warning`` is
shown and may be accepted. ``where`` is a path into the document (``indicators[2].weight``);
``item`` names the thing people know it by (the indicator key, the tier).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from .findings import B, Collector, Finding, W, has_blocking
from .findings import p as _p
from .lint_indicators import check_indicator
from .lint_limits import check_limits
from .types import Framework, Indicator, Kind, Plan

__all__ = ["Finding", "has_blocking", "lint_framework", "lint_plan"]


def lint_framework(fw: Framework) -> list[Finding]:
    """Check a framework is self-consistent (weights, grade order, quotas, feasibility)."""
    c = Collector()
    _rater_weights(c, fw)
    _grades(c, fw)
    _ranges(c, fw)
    return c.findings


def _rater_weights(c: Collector, fw: Framework) -> None:
    total = sum((w for _, w in fw.rater_weights), Decimal(0))
    if total != 100:
        c.add(
            "framework.rater_weights",
            "rater_weights",
            B,
            f"评分人权重合计 {_p(total)}，应为 100",
            f"rater weights add up to {_p(total)}, not 100",
            "调整自评/上级/互评/小组权重使合计为 100",
            "adjust self/manager/peer/committee weights to add up to 100",
        )


def _grades(c: Collector, fw: Framework) -> None:
    mins = [g.min_score for g in fw.grades]
    if not fw.grades:
        c.add(
            "framework.grades_missing", "grades", B, "没有等级", "no grades", "至少设置一个等级", "add grades"
        )
    elif mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        c.add(
            "framework.grades_order",
            "grades",
            B,
            "等级应按最低分从高到低排列且不重复",
            "grades must be listed best first with distinct minimum scores",
            "按 A、B、C… 的顺序排列",
            "order them A, B, C, …",
        )
    elif mins[-1] > 0:
        c.add(
            "framework.grades_floor",
            f"grades[{len(mins) - 1}]",
            W,
            f"低于 {_p(mins[-1])} 分的总分也归入最低等级",
            f"totals below {_p(mins[-1])} also get the last grade",
            "把最低等级的最低分设为 0",
            "set the last grade's minimum to 0",
        )
    coefficients = [g.coefficient for g in fw.grades]
    if coefficients != sorted(coefficients, reverse=True):
        c.add(
            "framework.coefficients",
            "grades",
            W,
            "较好的等级薪酬系数反而较低",
            "a better grade has a lower pay coefficient",
            "让系数随等级递减",
            "make coefficients fall with the grade",
        )
    if sum((g.quota_min or Decimal(0)) for g in fw.grades) > 1:
        c.add(
            "framework.quotas",
            "grades",
            B,
            "各等级最低比例之和超过 100%",
            "minimum quota shares exceed 100 %",
            "降低最低比例",
            "lower the minimum shares",
        )


def _ranges(c: Collector, fw: Framework) -> None:
    if fw.categories:
        low = sum((cat.min_weight for cat in fw.categories), Decimal(0))
        high = sum((cat.max_weight for cat in fw.categories), Decimal(0))
        if not low <= fw.scale_max <= high:
            c.add(
                "framework.category_ranges",
                "categories",
                B,
                f"类别权重范围（合计 {_p(low)}–{_p(high)}）无法凑成 {_p(fw.scale_max)}",
                f"category weight ranges ({_p(low)}–{_p(high)}) cannot add up to {_p(fw.scale_max)}",
                "放宽类别的权重上下限",
                "widen the categories' weight ranges",
            )
    if fw.min_indicators > fw.max_indicators or (
        fw.min_indicator_weight * fw.min_indicators > fw.scale_max
        or fw.max_indicator_weight * fw.max_indicators < fw.scale_max
    ):
        c.add(
            "framework.indicator_bounds",
            "indicators",
            B,
            "指标个数与单项权重上下限无法同时满足",
            "the indicator count and per-indicator weight bounds cannot be met together",
            "调整指标个数或单项权重范围",
            "adjust the count or weight bounds",
        )
    precision = fw.score_precision
    if precision <= 0 or precision.normalize().as_tuple().digits != (1,):
        c.add(
            "framework.precision",
            "score_precision",
            B,
            "得分精度应为 1、0.1、0.01 等",
            "score precision must be a power of ten (1, 0.1, 0.01 …)",
            "改为 0.01",
            "use 0.01",
        )


def lint_plan(plan: Plan, fw: Framework) -> list[Finding]:
    """Check a department plan against its framework."""
    c = Collector()
    if plan.framework and plan.framework != fw.key:
        c.add(
            "plan.framework",
            "framework",
            W,
            f"细则引用框架“{plan.framework}”，检查用的是“{fw.key}”",
            f"the plan names framework {plan.framework!r} but is checked against {fw.key!r}",
        )
    weighted = [(i, ind) for i, ind in enumerate(plan.indicators) if ind.is_weighted]
    _weights(c, plan, fw, weighted)
    _duplicates(c, plan)
    measures = {m.key for m in plan.measures}
    for i, ind in enumerate(plan.indicators):
        where = f"indicators[{i}]"
        check_indicator(c, fw, ind, where, measures)
        check_limits(c, plan, ind, where)
    return c.findings


def _weights(c: Collector, plan: Plan, fw: Framework, weighted: list[tuple[int, Indicator]]) -> None:
    total = sum((ind.weight for _, ind in weighted), Decimal(0))
    if total != fw.scale_max:
        diff = fw.scale_max - total
        c.add(
            "plan.weights_sum",
            "indicators",
            B,
            f"计权指标的权重合计 {_p(total)}，应为 {_p(fw.scale_max)}",
            f"weights of weighted indicators add up to {_p(total)}, not {_p(fw.scale_max)}",
            f"{'增加' if diff > 0 else '减少'} {_p(abs(diff))} 分的权重",
            f"{'add' if diff > 0 else 'remove'} {_p(abs(diff))} points of weight",
        )
    n = len(weighted)
    if not fw.min_indicators <= n <= fw.max_indicators:
        c.add(
            "plan.indicator_count",
            "indicators",
            B,
            f"计权指标 {n} 个，框架要求 {fw.min_indicators}–{fw.max_indicators} 个",
            f"{n} weighted indicators; the framework allows {fw.min_indicators}–{fw.max_indicators}",
            f"增加指标（至少 {fw.min_indicators} 个）"
            if n < fw.min_indicators
            else f"合并或删除指标（至多 {fw.max_indicators} 个）",
            f"add indicators (at least {fw.min_indicators})"
            if n < fw.min_indicators
            else f"merge or drop indicators (at most {fw.max_indicators})",
        )
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    for i, ind in weighted:
        by_category[ind.category] += ind.weight
        if not fw.min_indicator_weight <= ind.weight <= fw.max_indicator_weight:
            c.add(
                "plan.weight_bounds",
                f"indicators[{i}].weight",
                B,
                f"权重 {_p(ind.weight)} 不在框架允许的 {_p(fw.min_indicator_weight)}–{_p(fw.max_indicator_weight)} 之间",
                f"weight {_p(ind.weight)} is outside the framework's "
                f"{_p(fw.min_indicator_weight)}–{_p(fw.max_indicator_weight)}",
                "调整该指标权重",
                "adjust this indicator's weight",
                ind.key,
            )
    _categories(c, fw, weighted, by_category)


def _categories(
    c: Collector, fw: Framework, weighted: list[tuple[int, Indicator]], by_category: dict[str, Decimal]
) -> None:
    if not fw.categories:
        return
    known = {cat.key for cat in fw.categories}
    for i, ind in weighted:
        if ind.category not in known:
            c.add(
                "plan.category_unknown",
                f"indicators[{i}].category",
                B,
                f"类别“{ind.category or '（空）'}”不在框架中",
                f"category {ind.category!r} is not in the framework",
                f"改为：{'、'.join(sorted(known))}",
                f"use one of: {', '.join(sorted(known))}",
                ind.key,
            )
    for cat in fw.categories:
        got = by_category.get(cat.key, Decimal(0))
        if cat.required and got == 0:
            c.add(
                "plan.category_missing",
                f"categories.{cat.key}",
                B,
                f"缺少必需的类别“{cat.name_zh}”",
                f"required category {cat.name_en or cat.key!r} is missing",
                f"增加至少一个“{cat.name_zh}”类指标",
                f"add an indicator in {cat.key!r}",
                cat.key,
            )
        elif got and not cat.min_weight <= got <= cat.max_weight:
            c.add(
                "plan.category_weight",
                f"categories.{cat.key}",
                B,
                f"“{cat.name_zh}”类权重合计 {_p(got)}，框架要求 {_p(cat.min_weight)}–{_p(cat.max_weight)}",
                f"category {cat.key!r} weighs {_p(got)}; the framework wants "
                f"{_p(cat.min_weight)}–{_p(cat.max_weight)}",
                "调整该类指标权重",
                "adjust that category's weights",
                cat.key,
            )


def _duplicates(c: Collector, plan: Plan) -> None:
    keys = Counter(ind.key for ind in plan.indicators)
    names = Counter(ind.name_zh for ind in plan.indicators)
    seen: dict[tuple[str, str], int] = {}
    for i, ind in enumerate(plan.indicators):
        where = f"indicators[{i}]"
        if keys[ind.key] > 1:
            c.add(
                "plan.duplicate_key",
                where,
                B,
                f"指标代码“{ind.key}”重复",
                f"indicator key {ind.key!r} repeats",
                "每个指标用不同的代码",
                "give each indicator its own key",
                ind.key,
            )
        if names[ind.name_zh] > 1:
            c.add(
                "plan.duplicate_name",
                where,
                B,
                f"指标名称“{ind.name_zh}”重复",
                f"indicator name {ind.name_zh!r} repeats",
                "合并或改名",
                "merge or rename",
                ind.key,
            )
        if ind.is_rated:
            continue
        basis = (
            ind.formula.replace(" ", "") if ind.kind is Kind.DERIVED else ind.measure_key,
            "event" if ind.kind in (Kind.BONUS, Kind.DEDUCTION) else "score",
        )
        if basis in seen:
            other = plan.indicators[seen[basis]]
            c.add(
                "plan.overlap",
                where,
                W,
                f"与“{other.name_zh}”计量同一数据（{basis[0]}），可能重复考核",
                f"measures the same data as {other.key!r} ({basis[0]}): possibly counted twice",
                "删除其一或说明各自考核的内容",
                "drop one, or say what each one appraises",
                ind.key,
            )
        else:
            seen[basis] = i
