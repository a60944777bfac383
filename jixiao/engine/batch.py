"""A whole cycle as columns (批量计算): one call scores 100 000 people.

Inputs are columns (one list per measure and per indicator × rater kind), not per-person
objects; :func:`score_person` is the same code on a one-row batch, so the per-person view
and the cycle can never disagree. Traces are built only when asked for (``with_trace``):
the shell keeps each result's inputs and the engine version and renders a trace on demand
by scoring that person again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .explain import event_steps, finish_trace, measured_formula, step_contribution, step_points, veto_step
from .formula import compile_formula
from .indicators import Milli, RatingCell, ScoringError, from_milli, rating_column, score_values, to_milli
from .money import plain, round_half_up
from .scoring import (
    cap_total,
    combine_raters,
    contributions,
    event_points,
    rater_weights,
    round_total,
    weighted_deduction,
)
from .trace import Trace, TraceStep
from .types import Framework, Indicator, Kind, Plan, Rater

Column = Sequence[Decimal | None]
_RATER_ZH = {Rater.SELF: "自评", Rater.MANAGER: "上级", Rater.PEER: "互评", Rater.COMMITTEE: "考核小组"}


@dataclass(frozen=True)
class CycleInputs:
    """Everything a cycle's scoring needs, as columns of equal length.

    ``measures[measure_key][i]`` is person i's actual (or event count); ``ratings[(indicator
    key, rater)][i]`` is what that rater kind gave person i: a rubric level key, points, an
    actual, or a tuple of these (several peers).
    """

    persons: Sequence[str]
    measures: Mapping[str, Column] = field(default_factory=dict)
    ratings: Mapping[tuple[str, Rater], Sequence[RatingCell]] = field(default_factory=dict)


@dataclass(frozen=True)
class PersonResult:
    """One person's result; points are Decimal, exact to 0.001 (total to the framework's precision)."""

    person: str
    total: Decimal
    weighted: Decimal
    bonus: Decimal
    deduction: Decimal
    contributions: Mapping[str, Decimal | None]
    achievements: Mapping[str, Decimal | None]
    vetoes: tuple[str, ...]
    grade_cap: str | None
    bonus_void: bool
    missing: tuple[str, ...]
    trace: Trace | None


@dataclass(frozen=True)
class BatchResult:
    """Results as columns; all points in milli-points (``int``), achievements in milli-percent."""

    persons: Sequence[str]
    total: list[int]
    weighted: list[int]
    bonus: list[int]
    deduction: list[int]
    contributions: Mapping[str, list[Milli]]
    achievements: Mapping[str, list[Milli]]
    vetoes: list[tuple[str, ...]]
    grade_caps: list[str | None]
    bonus_void: list[bool]
    missing: list[tuple[str, ...]]
    traces: list[Trace] | None
    precision: Decimal = Decimal("0.01")

    def person(self, i: int) -> PersonResult:
        def dec(v: Milli) -> Decimal | None:
            return None if v is None else from_milli(v)

        return PersonResult(
            person=self.persons[i],
            total=round_half_up(from_milli(self.total[i]), self.precision),
            weighted=from_milli(self.weighted[i]),
            bonus=from_milli(self.bonus[i]),
            deduction=from_milli(self.deduction[i]),
            contributions={k: dec(v[i]) for k, v in self.contributions.items()},
            achievements={k: dec(v[i]) for k, v in self.achievements.items()},
            vetoes=self.vetoes[i],
            grade_cap=self.grade_caps[i],
            bonus_void=self.bonus_void[i],
            missing=self.missing[i],
            trace=None if self.traces is None else self.traces[i],
        )


def _counts(column: Column | None, n: int) -> list[Decimal]:
    zero = Decimal(0)
    if column is None:
        return [zero] * n
    return [zero if c is None else c for c in column]


class _Scorer:
    def __init__(self, framework: Framework, plan: Plan, inputs: CycleInputs, with_trace: bool) -> None:
        self.fw = framework
        self.plan = plan
        self.inputs = inputs
        self.n = len(inputs.persons)
        self.steps: list[list[TraceStep]] | None = [[] for _ in range(self.n)] if with_trace else None
        self.missing: dict[int, list[str]] = {}

    def measure(self, key: str) -> Column:
        column = self.inputs.measures.get(key)
        return [None] * self.n if column is None else column

    def mark_missing(self, ind: Indicator, column: Sequence[Milli]) -> None:
        if None in column:
            for i, value in enumerate(column):
                if value is None:
                    self.missing.setdefault(i, []).append(ind.key)

    def achievements(self, ind: Indicator) -> list[Milli]:
        if ind.is_rated:
            return self.rated(ind)
        if ind.kind is Kind.DERIVED:
            return self.derived(ind)
        values = self.measure(ind.measure_key)
        result = score_values(ind, values)
        if self.steps is not None:
            for i, (value, ach) in enumerate(zip(values, result, strict=True)):
                if value is not None and ach is not None:
                    text, exact = measured_formula(ind, ind.kind, value)
                    self.steps[i].append(
                        step_points(
                            "achievement",
                            ind,
                            "达成率 %",
                            "achievement %",
                            text,
                            exact if exact is not None else from_milli(ach),
                            (("实际 actual", plain(value)),),
                            rounded=ach,
                        )
                    )
        return result

    def derived(self, ind: Indicator) -> list[Milli]:
        formula = compile_formula(ind.formula, [m.key for m in self.plan.measures] or None)
        columns = {name: self.measure(name) for name in formula.names}
        values, _ = formula.evaluate_columns(columns, self.n)
        result = score_values(ind, values, ind.score_as)
        if self.steps is not None:
            for i, (value, ach) in enumerate(zip(values, result, strict=True)):
                inputs = tuple(
                    (k, "—" if columns[k][i] is None else plain(columns[k][i] or Decimal(0)))
                    for k in sorted(formula.names)
                )
                if value is None:
                    self.steps[i].append(
                        step_points(
                            "derived",
                            ind,
                            "派生值",
                            "derived value",
                            ind.formula,
                            Decimal(0),
                            inputs,
                            note_zh="缺数据或除数为零",
                            note_en="missing data or division by zero",
                        )
                    )
                    continue
                self.steps[i].append(
                    step_points("derived", ind, "派生值", "derived value", ind.formula, value, inputs)
                )
                if ach is not None:
                    text, exact = measured_formula(ind, ind.score_as, value)
                    self.steps[i].append(
                        step_points(
                            "achievement",
                            ind,
                            "达成率 %",
                            "achievement %",
                            text,
                            exact if exact is not None else from_milli(ach),
                            rounded=ach,
                        )
                    )
        return result

    def rated(self, ind: Indicator) -> list[Milli]:
        raters = rater_weights(self.fw, ind)
        if not raters:
            raise ScoringError(
                ind.key, "该指标没有权重大于 0 的评分人", "the indicator has no rater with a weight"
            )
        empty: list[RatingCell] = [None] * self.n
        columns = [rating_column(ind, self.inputs.ratings.get((ind.key, r), empty)) for r, _ in raters]
        weights = [w for _, w in raters]
        result = combine_raters(columns, weights)
        if self.steps is not None:
            for i, ach in enumerate(result):
                parts = [
                    (
                        f"{_RATER_ZH[r]} {r.value} ×{plain(from_milli(w))}",
                        "—" if col[i] is None else plain(from_milli(col[i] or 0)),
                    )
                    for (r, w), col in zip(raters, columns, strict=True)
                ]
                present = [
                    (col[i] or 0, w)
                    for (_, w), col in zip(raters, columns, strict=True)
                    if col[i] is not None
                ]
                den = sum(w for _, w in present)
                exact = (from_milli(sum(v * w for v, w in present)) / den) if den else Decimal(0)
                self.steps[i].append(
                    step_points(
                        "raters",
                        ind,
                        "评分人加权",
                        "raters weighted",
                        "Σ 权重×分数 ÷ Σ 在场评分人权重 (Σ weight × score ÷ Σ weights present)",
                        exact,
                        tuple(parts),
                        rounded=ach,
                        note_zh="缺席评分人的权重按比例分给在场评分人",
                        note_en="an absent rater's weight goes proportionally to those present",
                    )
                )
        return result

    def run(self) -> BatchResult:
        n, fw = self.n, self.fw
        weighted = [0] * n
        bonus_raw = [0] * n
        deduction_raw = [0] * n
        contributions_by: dict[str, list[Milli]] = {}
        achievements_by: dict[str, list[Milli]] = {}
        vetoes: list[list[str]] = [[] for _ in range(n)]
        void = [False] * n
        caps: list[str | None] = [None] * n
        order = {g.key: i for i, g in enumerate(fw.grades)}
        for ind in self.plan.indicators:
            if ind.kind is Kind.VETO:
                for i, c in enumerate(_counts(self.inputs.measures.get(ind.measure_key), n)):
                    if c > 0:
                        self.veto(i, ind, c, vetoes, void, caps, order)
                continue
            if ind.kind in (Kind.BONUS, Kind.DEDUCTION):
                counts = _counts(self.inputs.measures.get(ind.measure_key), n)
                if ind.kind is Kind.DEDUCTION and ind.weight > 0:
                    points = weighted_deduction(ind, counts)
                    weight = to_milli(ind.weight)
                    contributions_by[ind.key] = list(points)
                    achievements_by[ind.key] = [p * 100_000 // weight for p in points]
                    weighted = [a + b for a, b in zip(weighted, points, strict=True)]
                else:
                    points = event_points(ind, counts)
                    target = bonus_raw if ind.kind is Kind.BONUS else deduction_raw
                    for i, p in enumerate(points):
                        target[i] += p
                if self.steps is not None:
                    self.event_steps(ind, counts, points)
                continue
            ach = self.achievements(ind)
            contrib = contributions(ach, to_milli(ind.weight))
            achievements_by[ind.key] = ach
            contributions_by[ind.key] = contrib
            self.mark_missing(ind, ach)
            weighted = [a if c is None else a + c for a, c in zip(weighted, contrib, strict=True)]
            if self.steps is not None:
                for i in range(n):
                    self.steps[i].append(step_contribution(ind, ach[i], contrib[i]))
        bonus = cap_total(bonus_raw, fw.bonus_cap)
        deduction = cap_total(deduction_raw, fw.deduction_cap)
        raw = [w + b - d for w, b, d in zip(weighted, bonus, deduction, strict=True)]
        quantum = to_milli(fw.score_precision)
        total = round_total(raw, quantum)
        traces = None
        if self.steps is not None:
            traces = [
                self.finish(i, bonus_raw[i], bonus[i], deduction_raw[i], deduction[i], raw[i], total[i])
                for i in range(n)
            ]
        return BatchResult(
            persons=self.inputs.persons,
            total=total,
            weighted=weighted,
            bonus=bonus,
            deduction=deduction,
            contributions=contributions_by,
            achievements=achievements_by,
            vetoes=[tuple(v) for v in vetoes],
            grade_caps=caps,
            bonus_void=void,
            missing=[tuple(self.missing.get(i, ())) for i in range(n)],
            traces=traces,
            precision=fw.score_precision,
        )

    def veto(
        self,
        i: int,
        ind: Indicator,
        count: Decimal,
        vetoes: list[list[str]],
        void: list[bool],
        caps: list[str | None],
        order: Mapping[str, int],
    ) -> None:
        vetoes[i].append(ind.key)
        void[i] = void[i] or ind.veto_voids_bonus
        if ind.veto_grade is not None:
            if ind.veto_grade not in order:
                raise ScoringError(
                    ind.key, f"框架中没有等级“{ind.veto_grade}”", f"no grade {ind.veto_grade!r}"
                )
            current = caps[i]
            if current is None or order[ind.veto_grade] > order[current]:
                caps[i] = ind.veto_grade
        if self.steps is not None:
            self.steps[i].append(veto_step(ind, count))

    def event_steps(self, ind: Indicator, counts: Sequence[Decimal], points: Sequence[int]) -> None:
        assert self.steps is not None
        for row, step in zip(self.steps, event_steps(ind, counts, points), strict=True):
            row.append(step)

    def finish(
        self, i: int, bonus_raw: int, bonus: int, ded_raw: int, ded: int, raw: int, total: int
    ) -> Trace:
        assert self.steps is not None
        return finish_trace(self.fw, self.steps[i], bonus_raw, bonus, ded_raw, ded, raw, total)


def score_batch(
    framework: Framework, plan: Plan, inputs: CycleInputs, *, with_trace: bool = False
) -> BatchResult:
    """Score a whole cycle for one plan; see :mod:`jixiao.engine.scoring` for the rules."""
    for key, column in [*inputs.measures.items(), *inputs.ratings.items()]:
        if len(column) != len(inputs.persons):
            raise ValueError(f"column {key!r} has {len(column)} rows, expected {len(inputs.persons)}")
    return _Scorer(framework, plan, inputs, with_trace).run()


def score_person(
    framework: Framework,
    plan: Plan,
    person: str,
    measures: Mapping[str, Decimal | None],
    ratings: Mapping[tuple[str, Rater], RatingCell],
    *,
    with_trace: bool = True,
) -> PersonResult:
    """Score one person: the same code as :func:`score_batch`, on a one-row batch."""
    inputs = CycleInputs(
        persons=[person],
        measures={k: [v] for k, v in measures.items()},
        ratings={k: [v] for k, v in ratings.items()},
    )
    return score_batch(framework, plan, inputs, with_trace=with_trace).person(0)
