"""Trace steps for scoring (评分计算过程): what each step of :mod:`jixiao.engine.batch` says.

Built only when a trace is asked for (one person, on demand), so none of this is on the batch
hot path.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .indicators import Milli, from_milli, to_milli
from .money import plain, round_half_up
from .trace import Trace, TraceStep
from .types import Framework, Indicator, Kind


def step_points(
    code: str,
    ind: Indicator,
    zh: str,
    en: str,
    formula: str,
    value: Decimal,
    inputs: tuple[tuple[str, str], ...] = (),
    rounded: int | None = None,
    adds: int | None = None,
    note_zh: str = "",
    note_en: str = "",
    limited: int | None = None,
) -> TraceStep:
    return TraceStep(
        code=code,
        item=ind.key,
        label_zh=f"{ind.name_zh} · {zh}",
        label_en=f"{ind.name_en or ind.key} · {en}",
        formula=formula,
        value=value,
        inputs=inputs,
        rounded=None if rounded is None else from_milli(rounded),
        adds=None if adds is None else from_milli(adds),
        note_zh=note_zh,
        note_en=note_en,
        limited=None if limited is None else from_milli(limited),
    )


def step_contribution(ind: Indicator, achievement: Milli, contribution: Milli) -> TraceStep:
    if achievement is None or contribution is None:
        return step_points(
            "contribution",
            ind,
            "得分（缺数据）",
            "points (missing data)",
            "0",
            Decimal(0),
            adds=0,
            note_zh="没有数据，按 0 分计",
            note_en="no data: counts as 0",
        )
    exact = from_milli(achievement) * ind.weight / 100
    return step_points(
        "contribution",
        ind,
        "加权得分",
        "weighted points",
        "达成率 × 权重 ÷ 100 (achievement × weight ÷ 100)",
        exact,
        (("达成率 achievement", f"{from_milli(achievement)}%"), ("权重 weight", str(ind.weight))),
        rounded=contribution,
        adds=contribution,
    )


def measured_formula(ind: Indicator, kind: Kind, value: Decimal) -> tuple[str, Decimal | None]:
    cap = plain(ind.effective_cap)
    target = ind.target if ind.target is not None else Decimal(1)
    if kind is Kind.RATIO:
        return (
            f"min(实际 actual {plain(value)} ÷ 目标 target {plain(target)}, {cap}) × 100",
            value / target * 100,
        )
    if kind is Kind.INVERSE_RATIO:
        exact = target / value * 100 if value > 0 else ind.effective_cap * 100
        return f"min(目标 target {plain(target)} ÷ 实际 actual {plain(value)}, {cap}) × 100", exact
    rows = "; ".join(
        f"[{'' if b.lower is None else plain(b.lower)}, {'' if b.upper is None else plain(b.upper)})"
        f"→{plain(b.points)}"
        for b in ind.bands
    )
    return f"分档 bands {rows} @ {plain(value)}", None


def veto_step(ind: Indicator, count: Decimal) -> TraceStep:
    """The step recording a triggered veto and its effects."""
    effects_zh = [f"等级最高为 {ind.veto_grade}"] if ind.veto_grade else []
    effects_en = [f"grade at most {ind.veto_grade}"] if ind.veto_grade else []
    if ind.veto_voids_bonus:
        effects_zh.append("取消奖金")
        effects_en.append("bonus void")
    return step_points(
        "veto",
        ind,
        "一票否决",
        "veto",
        "次数 > 0",
        count,
        (("次数 count", plain(count)),),
        note_zh="；".join(effects_zh),
        note_en="; ".join(effects_en),
    )


def event_steps(ind: Indicator, counts: Sequence[Decimal], points: Sequence[int]) -> list[TraceStep]:
    """One step per row for a counted indicator (bonus, deduction)."""
    out: list[TraceStep] = []
    per = ind.points_per_event or Decimal(0)
    weighted = ind.kind is Kind.DEDUCTION and ind.weight > 0
    for count, p in zip(counts, points, strict=True):
        inputs = (("次数 count", plain(count)), ("每次 per event", plain(per)))
        if weighted:
            out.append(
                step_points(
                    "contribution",
                    ind,
                    "扣分后得分",
                    "points after deductions",
                    f"max({plain(ind.floor)}, 权重 weight {plain(ind.weight)} − 次数 count × 每次 per event)",
                    ind.weight - per * count,
                    inputs,
                    rounded=to_milli(ind.weight - per * count),
                    adds=p,
                    limited=p,
                )
            )
        else:
            cap = "" if ind.max_points is None else f", 上限 cap {plain(ind.max_points)}"
            zh, en = ("加分", "bonus points") if ind.kind is Kind.BONUS else ("扣分", "deduction points")
            out.append(
                step_points(
                    ind.kind.value,
                    ind,
                    zh,
                    en,
                    f"min(次数 count × 每次 per event{cap})",
                    per * count,
                    inputs,
                    rounded=to_milli(per * count),
                    limited=p,
                )
            )
    return out


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
    cap_b = "" if fw.bonus_cap is None else plain(fw.bonus_cap)
    cap_d = "" if fw.deduction_cap is None else plain(fw.deduction_cap)
    steps.append(
        TraceStep(
            "bonus_total",
            "",
            "加分合计（框架上限 " + (cap_b or "无") + "）",
            "bonus points total (framework cap " + (cap_b or "none") + ")",
            f"min(Σ 加分, {cap_b})" if cap_b else "Σ 加分",
            from_milli(bonus_raw),
            limited=from_milli(bonus),
            adds=from_milli(bonus),
        )
    )
    steps.append(
        TraceStep(
            "deduction_total",
            "",
            "扣分合计（框架上限 " + (cap_d or "无") + "）",
            "deductions total (framework cap " + (cap_d or "none") + ")",
            f"−min(Σ 扣分, {cap_d})" if cap_d else "−Σ 扣分",
            -from_milli(ded_raw),
            limited=-from_milli(ded),
            adds=-from_milli(ded),
        )
    )
    steps.append(
        TraceStep(
            "total",
            "",
            f"总分（不低于 0，四舍五入到 {plain(fw.score_precision)} 分）",
            f"total (at least 0, rounded half-up to {plain(fw.score_precision)} point)",
            "max(0, Σ 加权得分 + 加分 − 扣分) (max(0, Σ weighted + bonus − deductions))",
            from_milli(raw),
            rounded=round_half_up(from_milli(total), fw.score_precision),
        )
    )
    return Trace(
        steps=tuple(steps),
        result=round_half_up(from_milli(total), fw.score_precision),
        quantum=fw.score_precision,
        lower=Decimal(0),
    )
