"""Trace steps for scoring (评分计算过程): what each step of :mod:`jixiao.engine.batch` says.

Built only when a trace is asked for (one person, on demand), so none of this is on the batch
hot path.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .indicators import Milli, from_milli, to_milli
from .money import plain, round_half_up
from .text import Text
from .trace import NO_TEXT, Trace, TraceStep, brief
from .types import Framework, Indicator, Kind, MissingData, Rater

Inputs = tuple[tuple[Text, str], ...]
ACTUAL, TARGET = Text("实际", "actual"), Text("目标", "target")
COUNT, PER_EVENT = Text("次数", "count"), Text("每次", "per event")


def step_points(
    code: str,
    ind: Indicator,
    label: Text,
    formula: Text,
    value: Decimal,
    inputs: Inputs = (),
    rounded: int | None = None,
    adds: int | None = None,
    note: Text = NO_TEXT,
    limited: int | None = None,
) -> TraceStep:
    """A step about one indicator, labelled with its name in each language."""
    return TraceStep(
        code=code,
        item=ind.key,
        label=Text(f"{ind.name_zh} · {label.zh}", f"{ind.name_en or ind.key} · {label.en}"),
        formula=formula,
        value=value,
        inputs=inputs,
        rounded=None if rounded is None else from_milli(rounded),
        adds=None if adds is None else from_milli(adds),
        note=note,
        limited=None if limited is None else from_milli(limited),
    )


# What the trace says of an indicator with no data, under each of the framework's policies.
MISSING_NOTES = {
    MissingData.BLOCK: Text(
        "没有数据，按 0 分计（框架规定：测量数据须在截止前补齐）",
        "no data: counts as 0 (the framework requires measured data before closing)",
    ),
    MissingData.ZERO: Text(
        "没有数据：按框架的缺数据规则计 0 分", "no data: scores 0 under the framework's missing-data rule"
    ),
    MissingData.EXCLUDE: Text(
        "没有数据：按框架的缺数据规则剔除该指标，其余指标的权重按比例放大",
        "no data: left out under the framework's missing-data rule; the other weights are scaled up",
    ),
}


def step_contribution(
    ind: Indicator, achievement: Milli, contribution: Milli, policy: MissingData = MissingData.BLOCK
) -> TraceStep:
    if achievement is None or contribution is None:
        excluded = policy is MissingData.EXCLUDE
        return step_points(
            "contribution",
            ind,
            Text("不计入（缺数据）", "left out (missing data)")
            if excluded
            else Text("得分（缺数据）", "points (missing data)"),
            Text("—", "—") if excluded else Text("0", "0"),
            Decimal(0),
            adds=0,
            note=MISSING_NOTES[policy],
        )
    exact = from_milli(achievement) * ind.weight / 100
    return step_points(
        "contribution",
        ind,
        Text("加权得分", "weighted points"),
        Text("达成率 × 权重 ÷ 100", "achievement × weight ÷ 100"),
        exact,
        (
            (Text("达成率", "achievement"), f"{from_milli(achievement)}%"),
            (Text("权重", "weight"), str(ind.weight)),
        ),
        rounded=contribution,
        adds=contribution,
    )


def _smaller(first: tuple[Text, Decimal], second: tuple[Text, Decimal], cap: str) -> Text:
    """``min(a ÷ b, cap) × 100`` in each language (Chinese says 较小值 for min)."""
    (a_name, a), (b_name, b) = first, second
    a_shown, b_shown = brief(a), brief(b)
    return Text(
        f"较小值({a_name.zh} {a_shown} ÷ {b_name.zh} {b_shown}, {cap}) × 100",
        f"min({a_name.en} {a_shown} ÷ {b_name.en} {b_shown}, {cap}) × 100",
    )


def measured_formula(ind: Indicator, kind: Kind, value: Decimal) -> tuple[Text, Decimal | None]:
    cap = plain(ind.effective_cap)
    target = ind.target if ind.target is not None else Decimal(1)
    if kind is Kind.RATIO:
        return _smaller((ACTUAL, value), (TARGET, target), cap), value / target * 100
    if kind is Kind.INVERSE_RATIO:
        exact = target / value * 100 if value > 0 else ind.effective_cap * 100
        return _smaller((TARGET, target), (ACTUAL, value), cap), exact
    rows = "; ".join(
        f"[{'' if b.lower is None else plain(b.lower)}, {'' if b.upper is None else plain(b.upper)})"
        f"→{plain(b.points)}"
        for b in ind.bands
    )
    return Text(f"分档 {rows}，取 {plain(value)}", f"bands {rows} at {plain(value)}"), None


def achievement_step(ind: Indicator, kind: Kind, value: Decimal, ach: int, inputs: Inputs = ()) -> TraceStep:
    """达成率: the measured value against the target (or the bands), rounded to 0.001 %."""
    text, exact = measured_formula(ind, kind, value)
    capped = exact is not None and exact > ind.effective_cap * 100
    return step_points(
        "achievement",
        ind,
        Text("达成率 %", "achievement %"),
        text,
        exact if exact is not None else from_milli(ach),
        inputs,
        rounded=None if capped else ach,
        limited=ach if capped else None,  # held at the cap: the trace says 封顶, not 四舍五入
    )


def derived_steps(ind: Indicator, value: Decimal | None, ach: Milli, inputs: Inputs) -> list[TraceStep]:
    """A derived indicator's value from its formula, then its achievement."""
    label, formula = Text("派生值", "derived value"), Text(ind.formula, ind.formula)
    if value is None:
        note = Text("缺数据或除数为零", "missing data or division by zero")
        return [step_points("derived", ind, label, formula, Decimal(0), inputs, note=note)]
    steps = [step_points("derived", ind, label, formula, value, inputs)]
    if ach is not None:
        steps.append(achievement_step(ind, ind.score_as, value, ach))
    return steps


RATER_NAMES = {
    Rater.SELF: Text("自评", "self"),
    Rater.MANAGER: Text("上级", "manager"),
    Rater.PEER: Text("互评", "peer"),
    Rater.COMMITTEE: Text("考核小组", "committee"),
}


def rater_step(ind: Indicator, row: Sequence[tuple[Rater, int, Milli]], ach: Milli) -> TraceStep:
    """The raters' weighted mean for one person: ``row`` holds (rater, milli-weight, score)."""
    inputs = tuple(
        (
            Text(
                f"{RATER_NAMES[r].zh} ×{plain(from_milli(w))}", f"{RATER_NAMES[r].en} ×{plain(from_milli(w))}"
            ),
            "—" if v is None else plain(from_milli(v)),
        )
        for r, w, v in row
    )
    present = [(v, w) for _, w, v in row if v is not None]
    den = sum(w for _, w in present)
    exact = (from_milli(sum(v * w for v, w in present)) / den) if den else Decimal(0)
    return step_points(
        "raters",
        ind,
        Text("评分人加权", "raters weighted"),
        Text("Σ 权重×分数 ÷ Σ 在场评分人权重", "Σ weight × score ÷ Σ weights present"),
        exact,
        inputs,
        rounded=ach,
        note=Text(
            "缺席评分人的权重按比例分给在场评分人",
            "an absent rater's weight goes proportionally to those present",
        ),
    )


def veto_step(ind: Indicator, count: Decimal, grade: Text | None = None) -> TraceStep:
    """The step recording a triggered veto and its effects (``grade``: the capped grade's name)."""
    name = grade or Text(ind.veto_grade or "", ind.veto_grade or "")
    effects = [Text(f"等级最高为 {name.zh}", f"grade at most {name.render('en')}")] if ind.veto_grade else []
    if ind.veto_voids_bonus:
        effects.append(Text("取消奖金", "bonus void"))
    return step_points(
        "veto",
        ind,
        Text("一票否决", "veto"),
        Text("次数 > 0", "count > 0"),
        count,
        ((COUNT, plain(count)),),
        note=Text.join(effects) if effects else NO_TEXT,
    )


def event_steps(ind: Indicator, counts: Sequence[Decimal], points: Sequence[int]) -> list[TraceStep]:
    """One step per row for a counted indicator (bonus, deduction)."""
    out: list[TraceStep] = []
    per = ind.points_per_event or Decimal(0)
    weighted = ind.kind is Kind.DEDUCTION and ind.weight > 0
    for count, p in zip(counts, points, strict=True):
        inputs = ((COUNT, plain(count)), (PER_EVENT, plain(per)))
        if weighted:
            formula = Text(
                f"较大值({plain(ind.effective_floor)}, 权重 {plain(ind.weight)} − 次数 × 每次)",
                f"max({plain(ind.effective_floor)}, weight {plain(ind.weight)} − count × per event)",
            )
            out.append(
                step_points(
                    "contribution",
                    ind,
                    Text("扣分后得分", "points after deductions"),
                    formula,
                    ind.weight - per * count,
                    inputs,
                    rounded=to_milli(ind.weight - per * count),
                    adds=p,
                    limited=p,
                )
            )
            continue
        out.append(
            step_points(
                ind.kind.value,
                ind,
                Text("加分", "bonus points") if ind.kind is Kind.BONUS else Text("扣分", "deduction points"),
                _event_formula(ind),
                per * count,
                inputs,
                rounded=to_milli(per * count),
                limited=p,
            )
        )
    return out


def _event_formula(ind: Indicator) -> Text:
    if ind.max_points is None:
        return Text("次数 × 每次", "count × per event")
    cap = plain(ind.max_points)
    return Text(f"较小值(次数 × 每次, 上限 {cap})", f"min(count × per event, cap {cap})")


def reweight_step(before: int, after: int, whole: int, present: int) -> TraceStep:
    """The framework's ``exclude`` rule applied: the weighted points over the weights present."""
    w_all, w_present = plain(from_milli(whole)), plain(from_milli(present))
    return TraceStep(
        "reweight",
        "",
        Text("缺数据指标剔除后重新分配权重", "Weights re-shared without the indicators missing data"),
        Text(
            f"Σ 加权得分 × 全部权重 {w_all} ÷ 有数据的权重 {w_present}",
            f"Σ weighted points × all weights {w_all} ÷ weights with data {w_present}",
        ),
        from_milli(before) * from_milli(whole) / from_milli(present) if present > 0 else Decimal(0),
        inputs=((Text("Σ 加权得分", "Σ weighted points"), plain(from_milli(before))),),
        rounded=from_milli(after),
        adds=from_milli(after - before),
        note=Text(
            "框架的缺数据规则：剔除并重新分配权重", "the framework's missing-data rule: exclude and re-weight"
        ),
    )


def _bonus_step(fw: Framework, raw: int, capped: int) -> TraceStep:
    cap = "" if fw.bonus_cap is None else plain(fw.bonus_cap)
    return TraceStep(
        "bonus_total",
        "",
        Text(f"加分合计（框架上限 {cap or '无'}）", f"Bonus points total (framework cap {cap or 'none'})"),
        Text(f"较小值(Σ 加分, {cap})", f"min(Σ bonus points, {cap})")
        if cap
        else Text("Σ 加分", "Σ bonus points"),
        from_milli(raw),
        limited=from_milli(capped),
        adds=from_milli(capped),
    )


def _deduction_step(fw: Framework, raw: int, capped: int) -> TraceStep:
    cap = "" if fw.deduction_cap is None else plain(fw.deduction_cap)
    return TraceStep(
        "deduction_total",
        "",
        Text(f"扣分合计（框架上限 {cap or '无'}）", f"Deductions total (framework cap {cap or 'none'})"),
        Text(f"−较小值(Σ 扣分, {cap})", f"−min(Σ deductions, {cap})")
        if cap
        else Text("−Σ 扣分", "−Σ deductions"),
        -from_milli(raw),
        limited=-from_milli(capped),
        adds=-from_milli(capped),
        limit="cap",
    )


def _total_step(fw: Framework, raw: int, total: int) -> TraceStep:
    precision = plain(fw.score_precision)
    return TraceStep(
        "total",
        "",
        Text(
            f"总分（不低于 0，四舍五入到 {precision} 分）",
            f"Total (at least 0, rounded half-up to {precision} point)",
        ),
        Text("较大值(0, Σ 加权得分 + 加分 − 扣分)", "max(0, Σ weighted points + bonus − deductions)"),
        from_milli(raw),
        rounded=round_half_up(from_milli(total), fw.score_precision),
    )


def finish_trace(
    fw: Framework,
    steps: list[TraceStep],
    bonus_raw: int,
    bonus: int,
    ded_raw: int,
    ded: int,
    raw: int,
    total: int,
) -> Trace:
    """Close a person's steps with the bonus, deduction and total steps."""
    steps.append(_bonus_step(fw, bonus_raw, bonus))
    steps.append(_deduction_step(fw, ded_raw, ded))
    steps.append(_total_step(fw, raw, total))
    return Trace(
        steps=tuple(steps),
        result=round_half_up(from_milli(total), fw.score_precision),
        quantum=fw.score_precision,
        lower=Decimal(0),
    )
