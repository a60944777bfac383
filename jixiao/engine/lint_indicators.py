"""Per-indicator checks of a plan (单项指标检查): sources, targets, bands, rubrics, caps, raters,
vetoes and formulas. Called by :func:`jixiao.engine.lint.lint_plan`."""

from __future__ import annotations

from decimal import Decimal

from .findings import B, Collector, W
from .findings import p as _p
from .formula import FormulaError, compile_formula
from .lint_bands import bands_check
from .types import QUANTITATIVE, Framework, Indicator, Kind, RubricLevel


def check_indicator(c: Collector, fw: Framework, ind: Indicator, where: str, measures: set[str]) -> None:
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
        bands_check(c, ind, where)
    if ind.kind is Kind.RUBRIC:
        _rubric(c, ind, where)
    if ind.kind is Kind.DERIVED:
        _formula(c, ind, where, measures)
    _caps(c, fw, ind, where, kind)
    _raters(c, fw, ind, where)
    if ind.kind is Kind.VETO:
        _veto(c, fw, ind, where)


def _formula(c: Collector, ind: Indicator, where: str, measures: set[str]) -> None:
    k = ind.key
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


def _raters(c: Collector, fw: Framework, ind: Indicator, where: str) -> None:
    k = ind.key
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


def _veto(c: Collector, fw: Framework, ind: Indicator, where: str) -> None:
    k = ind.key
    if not ind.description_zh.strip():
        c.add(
            "plan.veto_incident",
            f"{where}.description_zh",
            B,
            "一票否决项没有描述触发它的事件，无法判断何时适用",
            "the veto does not describe the incident that triggers it",
            "在 description_zh 中写明什么事件、经谁认定即触发（如“经核实泄露客户信息一次”）",
            "describe in description_zh which incident, confirmed by whom, triggers it",
            k,
        )
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


def _rubric(c: Collector, ind: Indicator, where: str) -> None:
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
            ind.key,
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
            ind.key,
        )
    for j, lv in enumerate(levels):
        _rubric_level(c, ind, f"{where}.levels[{j}]", lv)
    _rubric_points(c, ind, where)


def _rubric_level(c: Collector, ind: Indicator, where: str, lv: RubricLevel) -> None:
    if not 0 <= lv.points <= 100:
        c.add(
            "plan.rubric_points",
            where,
            B,
            f"等级“{lv.name_zh}”的分数应在 0–100 之间",
            f"level {lv.key!r} points must be 0–100",
            "改为 0–100",
            "use 0–100",
            ind.key,
        )
    if not lv.description_zh:
        c.add(
            "plan.rubric_description",
            where,
            W,
            f"等级“{lv.name_zh}”没有描述，评分人难以把握",
            f"level {lv.key!r} has no description",
            "写明达到该等级的具体表现",
            "describe what earns this level",
            ind.key,
        )


def _rubric_points(c: Collector, ind: Indicator, where: str) -> None:
    levels = ind.levels
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
            ind.key,
        )
    for j in range(1, len(levels)):
        same = [lv for lv in levels[:j] if lv.points == levels[j].points]
        if same:
            c.add(
                "plan.rubric_equal",
                f"{where}.levels[{j}]",
                B,
                f"等级“{levels[j].name_zh}”与“{same[0].name_zh}”同为 {_p(levels[j].points)} 分，选哪个都一样",
                f"levels {levels[j].key!r} and {same[0].key!r} both give {_p(levels[j].points)} points",
                "给每个等级不同的分数（如 100/80/60/40），或合并这两个等级",
                "give each level its own points (e.g. 100/80/60/40), or merge the two",
                ind.key,
            )


def _caps(c: Collector, fw: Framework, ind: Indicator, where: str, kind: Kind) -> None:
    if kind in (Kind.RATIO, Kind.INVERSE_RATIO) and ind.cap is not None:
        _ratio_cap(c, ind, where, ind.cap)
    if ind.kind in (Kind.BONUS, Kind.VETO) and ind.weight != 0:
        c.add(
            "plan.weight_not_allowed",
            f"{where}.weight",
            B,
            "加分项和一票否决项不计入权重，权重应为 0",
            "bonus and veto indicators are outside the weighted 100; weight must be 0",
            "权重设为 0",
            "set weight to 0",
            ind.key,
        )
    if ind.kind in (Kind.BONUS, Kind.DEDUCTION):
        _event_points(c, fw, ind, where)


def _ratio_cap(c: Collector, ind: Indicator, where: str, cap: Decimal) -> None:
    if cap < 1:
        c.add(
            "plan.cap_below_target",
            f"{where}.cap",
            B,
            f"封顶 {_p(cap)} 小于 1，完成目标也拿不到满分",
            f"cap {_p(cap)} is below 1: meeting the target cannot earn full points",
            "封顶设为 ≥ 1",
            "set the cap to at least 1",
            ind.key,
        )
    elif cap > 2:
        c.add(
            "plan.cap_high",
            f"{where}.cap",
            W,
            f"封顶 {_p(cap)} 过高，单项可能拿到 {_p(cap * 100)}%",
            f"cap {_p(cap)} is high: one indicator may earn {_p(cap * 100)} %",
            "考虑 1.2 左右",
            "consider about 1.2",
            ind.key,
        )


def _event_points(c: Collector, fw: Framework, ind: Indicator, where: str) -> None:
    k = ind.key
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
            B if ind.kind is Kind.BONUS else W,
            f"单项上限 {_p(ind.max_points)} 超过框架上限 {_p(fw_cap)}，超出部分不会计入",
            f"max_points {_p(ind.max_points)} exceed the framework cap {_p(fw_cap)}; the excess never counts",
            f"改为不超过 {_p(fw_cap)}",
            f"lower it to {_p(fw_cap)} or less",
            k,
        )
    floor = ind.effective_floor
    if ind.kind is Kind.DEDUCTION and ind.weight > 0 and not 0 <= floor < ind.weight:
        c.add(
            "plan.floor",
            f"{where}.floor",
            B,
            f"扣分底线 {_p(floor)} 应在 0 与权重 {_p(ind.weight)} 之间",
            f"floor {_p(floor)} must lie between 0 and the weight {_p(ind.weight)}",
            "底线通常为 0（扣完为止）",
            "usually 0 (deduct until nothing is left)",
            k,
        )
