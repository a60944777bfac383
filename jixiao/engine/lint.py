"""Plan and framework checks (找出不合理项): findings with where, why and how to fix.

:func:`lint_plan` checks a department plan against its framework (every check of SPEC §2);
:func:`lint_framework` checks a framework on its own; bonus plans are checked by
:mod:`jixiao.engine.lint_bonus`. A ``blocking`` finding stops a submit; a ``warning`` is
shown and may be accepted. ``where`` is a path into the document (``indicators[2].weight``);
``item`` names the thing people know it by (the indicator key, the tier).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .formula import FormulaError, compile_formula
from .money import plain
from .types import QUANTITATIVE, Framework, Indicator, Kind, Plan, Severity

B, W = Severity.BLOCKING, Severity.WARNING


@dataclass(frozen=True)
class Finding:
    """One finding (检查结果)."""

    code: str
    where: str
    severity: Severity
    message_zh: str
    message_en: str
    fix_zh: str = ""
    fix_en: str = ""
    item: str = ""

    def render(self, lang: str = "zh") -> str:
        level = {"zh": {B: "阻止", W: "提醒"}, "en": {B: "BLOCKING", W: "warning"}}[lang][self.severity]
        msg, fix = (self.message_zh, self.fix_zh) if lang == "zh" else (self.message_en, self.fix_en)
        label = f"{self.where} ({self.item})" if self.item else self.where
        head = f"[{level}] {self.code} @ {label}: {msg}"
        return f"{head}\n    {'建议' if lang == 'zh' else 'fix'}: {fix}" if fix else head


def has_blocking(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.BLOCKING for f in findings)


def _p(value: Decimal) -> str:
    return plain(value)


class _Collector:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(
        self,
        code: str,
        where: str,
        severity: Severity,
        zh: str,
        en: str,
        fix_zh: str = "",
        fix_en: str = "",
        item: str = "",
    ) -> None:
        self.findings.append(Finding(code, where, severity, zh, en, fix_zh, fix_en, item))


def lint_framework(fw: Framework) -> list[Finding]:
    """Check a framework is self-consistent (weights, grade order, quotas, feasibility)."""
    c = _Collector()
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
    return c.findings


def lint_plan(plan: Plan, fw: Framework) -> list[Finding]:
    """Check a department plan against its framework."""
    c = _Collector()
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
        _indicator(c, fw, ind, where, measures)
    return c.findings


def _weights(c: _Collector, plan: Plan, fw: Framework, weighted: list[tuple[int, Indicator]]) -> None:
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
            "合并或拆分指标",
            "merge or split indicators",
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


def _duplicates(c: _Collector, plan: Plan) -> None:
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


def _indicator(c: _Collector, fw: Framework, ind: Indicator, where: str, measures: set[str]) -> None:
    k = ind.key
    kind = ind.score_as if ind.kind is Kind.DERIVED else ind.kind
    quantitative = ind.kind in QUANTITATIVE and not ind.is_rated
    if ind.kind is not Kind.RUBRIC and ind.source is None:
        c.add(
            "plan.source_missing",
            f"{where}.source",
            B,
            "没有说明数据来源",
            "no data source",
            "填写来源：manual（人工评分）/import（导入）/api/derived（派生）",
            "set source: manual, import, api or derived",
            k,
        )
    if quantitative and kind in (Kind.RATIO, Kind.INVERSE_RATIO) and (ind.target is None or ind.target <= 0):
        c.add(
            "plan.target_missing",
            f"{where}.target",
            B,
            "定量指标没有大于 0 的目标值",
            "a quantitative indicator has no target above 0",
            "填写目标值",
            "set a target",
            k,
        )
    if kind is Kind.BANDS:
        _bands(c, ind, where)
    if ind.kind is Kind.RUBRIC:
        _rubric(c, ind, where)
    if ind.kind is Kind.DERIVED:
        try:
            compile_formula(ind.formula, sorted(measures) if measures else None)
        except FormulaError as err:
            c.add(
                "plan.formula",
                f"{where}.formula",
                B,
                f"公式有误：{err.message_zh}",
                f"formula error: {err.message_en}",
                "修改公式，只使用已声明的数据项",
                "fix the formula; use only declared measures",
                k,
            )
    _caps(c, fw, ind, where, kind)
    if ind.is_rated:
        if not ind.raters:
            c.add(
                "plan.rater_missing",
                f"{where}.raters",
                B,
                "人工评分指标没有指定评分人",
                "a manually rated indicator has no raters",
                "指定评分人：自评/上级/互评/考核小组",
                "name its raters: self, manager, peer, committee",
                k,
            )
        for rater in ind.raters:
            if fw.rater_weight(rater) <= 0:
                c.add(
                    "plan.rater_unweighted",
                    f"{where}.raters",
                    B,
                    f"框架中评分人“{rater.value}”的权重为 0",
                    f"rater {rater.value!r} has no weight in the framework",
                    "换一个评分人或调整框架",
                    "choose another rater or change the framework",
                    k,
                )
    elif ind.raters:
        c.add(
            "plan.raters_ignored",
            f"{where}.raters",
            W,
            "该指标按数据计分，评分人不起作用",
            "this indicator is scored from data; its raters are ignored",
            "删除评分人，或把来源改为 manual",
            "remove the raters or set source = manual",
            k,
        )
    if ind.kind is Kind.VETO:
        if ind.veto_grade is None and not ind.veto_voids_bonus:
            c.add(
                "plan.veto_no_effect",
                where,
                B,
                "一票否决项没有规定后果",
                "the veto has no effect",
                "设定最高等级（如 D）或取消奖金",
                "set a grade cap (e.g. D) or void the bonus",
                k,
            )
        if ind.veto_grade is not None and ind.veto_grade not in {g.key for g in fw.grades}:
            c.add(
                "plan.veto_grade",
                f"{where}.veto_grade",
                B,
                f"框架中没有等级“{ind.veto_grade}”",
                f"the framework has no grade {ind.veto_grade!r}",
                "使用框架中的等级",
                "use a framework grade",
                k,
            )


def _bands(c: _Collector, ind: Indicator, where: str) -> None:
    k = ind.key
    bands = ind.bands
    if not bands:
        c.add(
            "plan.bands_missing",
            f"{where}.bands",
            B,
            "分档指标没有分档表",
            "a bands indicator has no bands",
            "填写分档表",
            "add a band table",
            k,
        )
        return
    for j, band in enumerate(bands):
        if band.lower is not None and band.upper is not None and band.lower >= band.upper:
            c.add(
                "plan.bands_empty",
                f"{where}.bands[{j}]",
                B,
                "该档下限不小于上限",
                "band lower is not below its upper",
                "修正该档上下限",
                "fix the band's bounds",
                k,
            )
        if not 0 <= band.points <= 100:
            c.add(
                "plan.bands_points",
                f"{where}.bands[{j}]",
                B,
                "分档得分应在 0–100 之间",
                "band points must be 0–100",
                "改为 0–100 的达成分",
                "use 0–100",
                k,
            )
    for j in range(1, len(bands)):
        prev, cur = bands[j - 1], bands[j]
        if prev.upper is None or cur.lower is None or prev.upper > cur.lower:
            c.add(
                "plan.bands_overlap",
                f"{where}.bands[{j}]",
                B,
                "分档区间重叠或未按从低到高排列",
                "bands overlap or are not in ascending order",
                "按下限从低到高排列，上一档上限 = 下一档下限",
                "order bands by lower bound; each upper equals the next lower",
                k,
            )
        elif prev.upper < cur.lower:
            c.add(
                "plan.bands_gap",
                f"{where}.bands[{j}]",
                B,
                f"分档之间有空档：{_p(prev.upper)} 到 {_p(cur.lower)} 之间的值不属于任何一档",
                f"gap between bands: values from {_p(prev.upper)} to {_p(cur.lower)} fall in no band",
                f"把上一档上限改为 {_p(cur.lower)}",
                f"set the previous upper to {_p(cur.lower)}",
                k,
            )
    points = [b.points for b in bands]
    if points != sorted(points) and points != sorted(points, reverse=True):
        c.add(
            "plan.bands_not_monotonic",
            f"{where}.bands",
            B,
            "分档得分忽高忽低，不是单调的",
            "band points go up and down (not monotonic)",
            "让得分随实际值单调变化",
            "make points rise (or fall) steadily with the actual",
            k,
        )
    if bands[0].lower is not None or bands[-1].upper is not None:
        c.add(
            "plan.bands_uncovered",
            f"{where}.bands",
            W,
            "分档表两端未覆盖全部数值，超出部分得 0 分",
            "the table does not cover all values; values outside score 0",
            "让第一档下限、最后一档上限留空",
            "leave the first lower and last upper empty",
            k,
        )


def _rubric(c: _Collector, ind: Indicator, where: str) -> None:
    k = ind.key
    levels = ind.levels
    if len(levels) < 2:
        c.add(
            "plan.rubric_levels",
            f"{where}.levels",
            B,
            "等级描述至少需要两个等级",
            "a rubric needs at least two levels",
            "设置 优/良/中/差 等级",
            "add levels such as 优/良/中/差",
            k,
        )
        return
    if len({lv.key for lv in levels}) != len(levels):
        c.add(
            "plan.rubric_duplicate",
            f"{where}.levels",
            B,
            "等级代码重复",
            "level keys repeat",
            "每个等级用不同的代码",
            "give each level its own key",
            k,
        )
    for j, lv in enumerate(levels):
        if not 0 <= lv.points <= 100:
            c.add(
                "plan.rubric_points",
                f"{where}.levels[{j}]",
                B,
                f"等级“{lv.name_zh}”的分数应在 0–100 之间",
                f"level {lv.key!r} points must be 0–100",
                "改为 0–100",
                "use 0–100",
                k,
            )
        if not lv.description_zh:
            c.add(
                "plan.rubric_description",
                f"{where}.levels[{j}]",
                W,
                f"等级“{lv.name_zh}”没有描述，评分人难以把握",
                f"level {lv.key!r} has no description",
                "写明达到该等级的具体表现",
                "describe what earns this level",
                k,
            )
    points = [lv.points for lv in levels]
    if points != sorted(points, reverse=True):
        c.add(
            "plan.rubric_order",
            f"{where}.levels",
            W,
            "等级未按分数从高到低排列",
            "levels are not listed best first",
            "按 优、良、中、差 排列",
            "list them best first",
            k,
        )


def _caps(c: _Collector, fw: Framework, ind: Indicator, where: str, kind: Kind) -> None:
    k = ind.key
    if kind in (Kind.RATIO, Kind.INVERSE_RATIO) and ind.cap is not None:
        if ind.cap < 1:
            c.add(
                "plan.cap_below_target",
                f"{where}.cap",
                B,
                f"封顶 {_p(ind.cap)} 小于 1，完成目标也拿不到满分",
                f"cap {_p(ind.cap)} is below 1: meeting the target cannot earn full points",
                "封顶设为 ≥ 1",
                "set the cap to at least 1",
                k,
            )
        elif ind.cap > 2:
            c.add(
                "plan.cap_high",
                f"{where}.cap",
                W,
                f"封顶 {_p(ind.cap)} 过高，单项可能拿到 {_p(ind.cap * 100)}%",
                f"cap {_p(ind.cap)} is high: one indicator may earn {_p(ind.cap * 100)} %",
                "考虑 1.2 左右",
                "consider about 1.2",
                k,
            )
    if ind.kind in (Kind.BONUS, Kind.VETO) and ind.weight != 0:
        c.add(
            "plan.weight_not_allowed",
            f"{where}.weight",
            B,
            "加分项和一票否决项不计入权重，权重应为 0",
            "bonus and veto indicators are outside the weighted 100; weight must be 0",
            "权重设为 0",
            "set weight to 0",
            k,
        )
    if ind.kind in (Kind.BONUS, Kind.DEDUCTION):
        per = ind.points_per_event
        if per is None or per <= 0:
            c.add(
                "plan.points_per_event",
                f"{where}.points_per_event",
                B,
                "没有规定每次加/扣多少分",
                "points per event are missing",
                "填写每次的分数",
                "set points per event",
                k,
            )
        fw_cap = fw.bonus_cap if ind.kind is Kind.BONUS else fw.deduction_cap
        off_weight = ind.kind is Kind.BONUS or ind.weight == 0
        if off_weight and ind.max_points is None and fw_cap is None:
            c.add(
                "plan.cap_missing",
                f"{where}.max_points",
                W,
                "没有上限，分数可能无限累加",
                "no cap: points can pile up without limit",
                "设定单项上限",
                "set max_points",
                k,
            )
        if off_weight and ind.max_points is not None and fw_cap is not None and ind.max_points > fw_cap:
            c.add(
                "plan.cap_above_framework",
                f"{where}.max_points",
                W,
                f"单项上限 {_p(ind.max_points)} 超过框架上限 {_p(fw_cap)}，超出部分不会计入",
                f"max_points {_p(ind.max_points)} exceed the framework cap {_p(fw_cap)}; the excess never counts",
                f"改为不超过 {_p(fw_cap)}",
                f"lower it to {_p(fw_cap)} or less",
                k,
            )
        if ind.kind is Kind.DEDUCTION and ind.weight > 0 and not 0 <= ind.floor < ind.weight:
            c.add(
                "plan.floor",
                f"{where}.floor",
                B,
                f"扣分底线 {_p(ind.floor)} 应在 0 与权重 {_p(ind.weight)} 之间",
                f"floor {_p(ind.floor)} must lie between 0 and the weight {_p(ind.weight)}",
                "底线通常为 0（扣完为止）",
                "usually 0 (deduct until nothing is left)",
                k,
            )
