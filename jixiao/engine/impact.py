"""A plan's impact before approval (方案影响预览): one cycle's stored inputs scored under the
version in force and under a proposed version, by the same batch functions the close uses.

- :func:`preview_batch` scores the columns twice with :func:`jixiao.engine.batch.score_batch`,
  grades both with :func:`jixiao.engine.grading.grade_batch` (veto caps included), and for each
  person whose grade changes finds the indicator that moved them most (:func:`largest_mover`),
  from the two traces of that person (the batch form again, ``with_trace``, on those rows only).
- :func:`indicator_points` reads what each indicator added to a total from its trace: a weighted
  indicator its contribution (``adds``), a bonus indicator its points, a deduction its points
  taken away (before the framework's caps on the bonus and deduction totals).
- :func:`monthly_bonus` is the month's bonus of a stored pay line with another coefficient (and
  veto), by :func:`jixiao.engine.pay.monthly_line`: the line's structure, completion and
  formula stay as they were paid.

An indicator with no data scores as the framework's missing-data rule says (the trace's note);
nothing here invents a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from .batch import BatchResult, CycleInputs, score_batch
from .grading import GradeColumns, grade_batch
from .indicators import from_milli
from .money import round_half_up
from .pay import MonthlyInputs, compile_monthly_formula, monthly_line
from .trace import Trace
from .types import Framework, Plan

ZERO = Decimal(0)
_formula = lru_cache(maxsize=64)(compile_monthly_formula)


@dataclass(frozen=True)
class Mover:
    """The indicator whose points changed most between two traces of one person."""

    key: str
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class Side:
    """One person's outcome under one version: total (to the framework's precision), grade."""

    total_milli: int
    total: Decimal
    grade: str
    coefficient: Decimal
    bonus_void: bool
    missing: tuple[str, ...]


@dataclass(frozen=True)
class PersonImpact:
    person: str
    old: Side
    new: Side
    mover: Mover | None  # only for a person whose grade changes

    @property
    def grade_changed(self) -> bool:
        return self.old.grade != self.new.grade


def indicator_points(trace: Trace) -> dict[str, Decimal]:
    """``{indicator key: points it added}`` from a scoring trace, in the trace's order."""
    points: dict[str, Decimal] = {}
    for step in trace.steps:
        if not step.item:
            continue
        if step.code == "contribution" and step.adds is not None:
            points[step.item] = points.get(step.item, ZERO) + step.adds
        elif step.code in ("bonus", "deduction") and step.limited is not None:
            sign = 1 if step.code == "bonus" else -1
            points[step.item] = points.get(step.item, ZERO) + sign * step.limited
    return points


def largest_mover(old: Trace, new: Trace) -> Mover | None:
    """The indicator with the largest difference in points between ``old`` and ``new`` (the
    first in the new trace's order on a tie; then the old one's); None when nothing moved."""
    before, after = indicator_points(old), indicator_points(new)
    keys = list(after) + [k for k in before if k not in after]
    best: Mover | None = None
    for key in keys:
        mover = Mover(key, before.get(key, ZERO), after.get(key, ZERO))
        if mover.change and (best is None or abs(mover.change) > abs(best.change)):
            best = mover
    return best


def _rows(inputs: CycleInputs, rows: Sequence[int]) -> CycleInputs:
    return CycleInputs(
        persons=[inputs.persons[i] for i in rows],
        measures={k: [v[i] for i in rows] for k, v in inputs.measures.items()},
        ratings={k: [v[i] for i in rows] for k, v in inputs.ratings.items()},
    )


def _side(batch: BatchResult, grades: GradeColumns, i: int) -> Side:
    return Side(
        total_milli=batch.total[i],
        total=round_half_up(from_milli(batch.total[i]), batch.precision),
        grade=grades.grade[i],
        coefficient=grades.coefficient[i],
        bonus_void=batch.bonus_void[i],
        missing=batch.missing[i],
    )


def _traces(framework: Framework, plan: Plan, inputs: CycleInputs) -> list[Trace]:
    traced = score_batch(framework, plan, inputs, with_trace=True).traces
    return list(traced or [])


def preview_batch(
    framework: Framework, old_plan: Plan, new_plan: Plan, inputs: CycleInputs
) -> list[PersonImpact]:
    """Every person of ``inputs`` under ``old_plan`` and ``new_plan`` (both under ``framework``)."""
    old = score_batch(framework, old_plan, inputs)
    new = score_batch(framework, new_plan, inputs)
    old_grades = grade_batch(framework, old.total, old.grade_caps)
    new_grades = grade_batch(framework, new.total, new.grade_caps)
    changed = [i for i, (a, b) in enumerate(zip(old_grades.grade, new_grades.grade, strict=True)) if a != b]
    movers: dict[int, Mover | None] = {}
    if changed:
        some = _rows(inputs, changed)
        pairs = zip(_traces(framework, old_plan, some), _traces(framework, new_plan, some), strict=True)
        movers = {i: largest_mover(a, b) for i, (a, b) in zip(changed, pairs, strict=True)}
    return [
        PersonImpact(
            person,
            _side(old, old_grades, i),
            _side(new, new_grades, i),
            movers.get(i),
        )
        for i, person in enumerate(inputs.persons)
    ]


def monthly_bonus(inputs: MonthlyInputs, coefficient: Decimal, bonus_void: bool) -> int:
    """The monthly bonus (fen) of a pay line's ``inputs`` with ``coefficient`` and ``bonus_void``."""
    again = replace(inputs, coefficient=coefficient, bonus_void=bonus_void, sanctions=(), adjustments=())
    figures, _trace = monthly_line(again, _formula(again.formula))
    return figures.monthly_bonus
