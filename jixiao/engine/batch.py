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

from .explain import (
    ACTUAL,
    achievement_step,
    derived_steps,
    event_steps,
    finish_trace,
    rater_step,
    reweight_step,
    step_contribution,
    veto_step,
)
from .formula import compile_formula
from .indicators import Milli, RatingCell, ScoringError, from_milli, rating_column, score_values, to_milli
from .money import div_half_up, plain, round_half_up
from .scoring import (
    cap_total,
    combine_raters,
    contributions,
    event_points,
    rater_weights,
    round_total,
    weighted_deduction,
)
from .text import Text
from .trace import Trace, TraceStep
from .types import Framework, Indicator, Kind, MissingData, Plan, Rater

Column = Sequence[Decimal | None]


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


@dataclass
class _Sums:
    """The running per-person sums of :meth:`_Scorer.run` (milli-points)."""

    n: int
    weighted: list[int] = field(default_factory=list)
    bonus_raw: list[int] = field(default_factory=list)
    deduction_raw: list[int] = field(default_factory=list)
    contributions: dict[str, list[Milli]] = field(default_factory=dict)
    achievements: dict[str, list[Milli]] = field(default_factory=dict)
    vetoes: list[list[str]] = field(default_factory=list)
    void: list[bool] = field(default_factory=list)
    caps: list[str | None] = field(default_factory=list)
    # the weights (milli) of every weighted indicator, and per person of those with no data
    all_weight: int = 0
    missing_weight: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        n = self.n
        self.weighted, self.bonus_raw, self.deduction_raw = [0] * n, [0] * n, [0] * n
        self.missing_weight = [0] * n
        self.vetoes = [[] for _ in range(n)]
        self.void = [False] * n
        self.caps = [None] * n


class _Scorer:
    def __init__(self, framework: Framework, plan: Plan, inputs: CycleInputs, with_trace: bool) -> None:
        self.fw = framework
        self.plan = plan
        self.inputs = inputs
        self.n = len(inputs.persons)
        self.steps: list[list[TraceStep]] | None = [[] for _ in range(self.n)] if with_trace else None
        self.missing: dict[int, list[str]] = {}
        self.order = {g.key: i for i, g in enumerate(framework.grades)}

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
            for row, value, ach in zip(self.steps, values, result, strict=True):
                if value is not None and ach is not None:
                    row.append(achievement_step(ind, ind.kind, value, ach, ((ACTUAL, plain(value)),)))
        return result

    def derived(self, ind: Indicator) -> list[Milli]:
        formula = compile_formula(ind.formula, [m.key for m in self.plan.measures] or None)
        columns = {name: self.measure(name) for name in formula.names}
        values, _ = formula.evaluate_columns(columns, self.n)
        result = score_values(ind, values, ind.score_as)
        if self.steps is not None:
            for i, (value, ach) in enumerate(zip(values, result, strict=True)):
                inputs = tuple(
                    (Text(k, k), "—" if columns[k][i] is None else plain(columns[k][i] or Decimal(0)))
                    for k in sorted(formula.names)
                )
                self.steps[i].extend(derived_steps(ind, value, ach, inputs))
        return result

    def rated(self, ind: Indicator) -> list[Milli]:
        raters = rater_weights(self.fw, ind)
        if not raters:
            raise ScoringError(
                ind.key, "该指标没有权重大于 0 的评分人", "the indicator has no rater with a weight"
            )
        empty: list[RatingCell] = [None] * self.n
        columns = [rating_column(ind, self.inputs.ratings.get((ind.key, r), empty)) for r, _ in raters]
        result = combine_raters(columns, [w for _, w in raters])
        if self.steps is not None:
            for i, ach in enumerate(result):
                row = [(rater, weight, col[i]) for (rater, weight), col in zip(raters, columns, strict=True)]
                self.steps[i].append(rater_step(ind, row, ach))
        return result

    def counted(self, ind: Indicator, sums: _Sums) -> None:
        """A bonus or deduction indicator: points per event (a weighted deduction adds to the total)."""
        counts = _counts(self.inputs.measures.get(ind.measure_key), self.n)
        if ind.kind is Kind.DEDUCTION and ind.weight > 0:
            points = weighted_deduction(ind, counts)
            weight = to_milli(ind.weight)
            sums.all_weight += weight
            sums.contributions[ind.key] = list(points)
            sums.achievements[ind.key] = [p * 100_000 // weight for p in points]
            sums.weighted = [a + b for a, b in zip(sums.weighted, points, strict=True)]
        else:
            points = event_points(ind, counts)
            target = sums.bonus_raw if ind.kind is Kind.BONUS else sums.deduction_raw
            for i, p in enumerate(points):
                target[i] += p
        if self.steps is not None:
            for row, step in zip(self.steps, event_steps(ind, counts, points), strict=True):
                row.append(step)

    def weighted(self, ind: Indicator, sums: _Sums) -> None:
        """A weighted indicator: achievement × weight, added to the weighted total."""
        ach = self.achievements(ind)
        weight = to_milli(ind.weight)
        contrib = contributions(ach, weight)
        sums.achievements[ind.key] = ach
        sums.contributions[ind.key] = contrib
        sums.all_weight += weight
        self.mark_missing(ind, ach)
        if None in contrib:
            for i, c in enumerate(contrib):
                if c is None:
                    sums.missing_weight[i] += weight
        sums.weighted = [a if c is None else a + c for a, c in zip(sums.weighted, contrib, strict=True)]
        if self.steps is not None:
            policy = self.fw.missing_data
            for i, row in enumerate(self.steps):
                row.append(step_contribution(ind, ach[i], contrib[i], policy))

    def reweight(self, sums: _Sums) -> None:
        """The framework's ``exclude`` policy: a person's weighted points over the weights of the
        indicators they have data for, scaled up to the whole (half-up to 0.001 point)."""
        whole = sums.all_weight
        for i, missing in enumerate(sums.missing_weight):
            if not missing:
                continue
            present = whole - missing
            before = sums.weighted[i]
            sums.weighted[i] = div_half_up(before * whole, present) if present > 0 else 0
            if self.steps is not None:
                self.steps[i].append(reweight_step(before, sums.weighted[i], whole, present))

    def run(self) -> BatchResult:
        n, fw = self.n, self.fw
        sums = _Sums(n)
        for ind in self.plan.indicators:
            if ind.kind is Kind.VETO:
                for i, c in enumerate(_counts(self.inputs.measures.get(ind.measure_key), n)):
                    if c > 0:
                        self.veto(i, ind, c, sums)
            elif ind.kind in (Kind.BONUS, Kind.DEDUCTION):
                self.counted(ind, sums)
            else:
                self.weighted(ind, sums)
        if fw.missing_data is MissingData.EXCLUDE:
            self.reweight(sums)
        bonus = cap_total(sums.bonus_raw, fw.bonus_cap)
        deduction = cap_total(sums.deduction_raw, fw.deduction_cap)
        raw = [w + b - d for w, b, d in zip(sums.weighted, bonus, deduction, strict=True)]
        total = round_total(raw, to_milli(fw.score_precision))
        traces = None
        if self.steps is not None:
            traces = [
                finish_trace(
                    fw,
                    self.steps[i],
                    sums.bonus_raw[i],
                    bonus[i],
                    sums.deduction_raw[i],
                    deduction[i],
                    raw[i],
                    total[i],
                )
                for i in range(n)
            ]
        return BatchResult(
            persons=self.inputs.persons,
            total=total,
            weighted=sums.weighted,
            bonus=bonus,
            deduction=deduction,
            contributions=sums.contributions,
            achievements=sums.achievements,
            vetoes=[tuple(v) for v in sums.vetoes],
            grade_caps=sums.caps,
            bonus_void=sums.void,
            missing=[tuple(self.missing.get(i, ())) for i in range(n)],
            traces=traces,
            precision=fw.score_precision,
        )

    def veto(self, i: int, ind: Indicator, count: Decimal, sums: _Sums) -> None:
        sums.vetoes[i].append(ind.key)
        sums.void[i] = sums.void[i] or ind.veto_voids_bonus
        if ind.veto_grade is not None:
            if ind.veto_grade not in self.order:
                raise ScoringError(
                    ind.key, f"框架中没有等级“{ind.veto_grade}”", f"no grade {ind.veto_grade!r}"
                )
            current = sums.caps[i]
            if current is None or self.order[ind.veto_grade] > self.order[current]:
                sums.caps[i] = ind.veto_grade
        if self.steps is not None:
            self.steps[i].append(veto_step(ind, count, self.grade_name(ind.veto_grade)))

    def grade_name(self, key: str | None) -> Text | None:
        for grade in self.fw.grades:
            if grade.key == key:
                return Text(grade.name_zh or key, grade.name_en or key)
        return None


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
