"""A month's pay for everyone in a locked cycle, computed with no queries (fetch → compute → store).

Per person (the engine's :func:`jixiao.engine.pay.monthly_line` does it all, with its trace;
each line keeps its inputs as JSON and the engine version, and :func:`line_trace` re-derives
the trace from them on demand):

- base salary (基本工资) from the pay structure of their position in force on the last day of
  the month;
- monthly bonus (月度奖金) = the department's configured formula (default
  ``base * completion * coefficient``) over the structure's monthly bonus base (yuan), the
  department's work completion for the month and the person's coefficient from the locked
  result; 0 after a veto (一票否决); never negative; rounded half-up to the fen once;
- travel allowance (出差补贴) = travel days × the structure's per-day rate, rounded once;
- rewards and penalties (奖惩): the person's approved sanctions for the month, in fen;
- adjustments (调整): corrections of earlier released months paid in this one, in fen.

The line total is the integer sum of those items; a department total is the sum of its lines
and the company total the sum of the departments, so every total reconciles to the fen by
construction (a hypothesis property checks it).

**Bonus pool** (奖金池, the department's monthly bonus budget): Σ over its people of the
monthly bonus base of their pay structure — the bonus the structures budget for a month of
100 % completion and coefficient 1.0. The check compares the department's monthly bonuses plus
rewards with the pool; a month over any pool is released only by the committee leader, with a
recorded reason. Below 100 % completion the pool leaves room for high coefficients; at or
above it, a team graded above 1.0 on average goes over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.engine import ENGINE_VERSION
from jixiao.engine.money import plain
from jixiao.engine.pay import (
    DEFAULT_FORMULA,
    MonthlyInputs,
    bonus_pool,
    compile_monthly_formula,
    monthly_line,
)
from jixiao.engine.pay_types import PayStructure
from jixiao.engine.trace import Trace

__all__ = ["DEFAULT_FORMULA", "Budget", "Computed", "Department", "Line", "Person", "compute", "line_trace"]


@dataclass(frozen=True)
class Person:
    """What one line needs (no model instances)."""

    employee_id: int
    name: str
    department_id: int
    position_id: int
    structure: PayStructure
    structure_from: str
    coefficient: Decimal
    bonus_void: bool = False
    grade: str = ""
    travel_days: Decimal = Decimal(0)
    sanctions: tuple[tuple[int, str], ...] = ()  # (signed fen, reason)
    adjustments: tuple[tuple[int, str], ...] = ()  # (fen, reason)


@dataclass(frozen=True)
class Department:
    department_id: int
    name: str
    completion: Decimal
    formula: str = DEFAULT_FORMULA
    formula_source: str = ""


@dataclass(frozen=True)
class Line:
    employee_id: int
    department_id: int
    position_id: int
    base_salary_fen: int
    monthly_bonus_fen: int
    travel_fen: int
    reward_fen: int
    penalty_fen: int
    adjustment_fen: int
    completion: str
    coefficient: str
    travel_days: str
    inputs: dict[str, Any]
    trace: Trace
    engine_version: str = ENGINE_VERSION

    @property
    def total_fen(self) -> int:
        return (
            self.base_salary_fen
            + self.monthly_bonus_fen
            + self.travel_fen
            + self.reward_fen
            - self.penalty_fen
            + self.adjustment_fen
        )


@dataclass(frozen=True)
class Budget:
    department_id: int
    name: str
    pool_fen: int
    bonus_fen: int

    @property
    def over_fen(self) -> int:
        return max(0, self.bonus_fen - self.pool_fen)

    def as_dict(self) -> dict[str, object]:
        return {
            "department": self.department_id,
            "name": self.name,
            "pool_fen": self.pool_fen,
            "bonus_fen": self.bonus_fen,
            "over_fen": self.over_fen,
        }


@dataclass(frozen=True)
class Computed:
    lines: list[Line]
    budgets: list[Budget]

    @property
    def total_fen(self) -> int:
        return sum(line.total_fen for line in self.lines)

    @property
    def over_budget_fen(self) -> int:
        return sum(b.over_fen for b in self.budgets)

    def department_total(self, department_id: int) -> int:
        return sum(line.total_fen for line in self.lines if line.department_id == department_id)


def compute(month: str, departments: Sequence[Department], people: Sequence[Person]) -> Computed:
    """Every person's pay for ``month`` and each department's bonus pool check."""
    by_id = {d.department_id: d for d in departments}
    formulas = {d.department_id: compile_monthly_formula(d.formula) for d in departments}
    lines: list[Line] = []
    computed: dict[int, list[Any]] = {d.department_id: [] for d in departments}
    for person in people:
        dept = by_id[person.department_id]
        inputs = _inputs(month, dept, person)
        figures, trace = monthly_line(inputs, formulas[dept.department_id])
        computed[dept.department_id].append((inputs, figures))
        lines.append(
            Line(
                person.employee_id,
                person.department_id,
                person.position_id,
                figures.base_salary,
                figures.monthly_bonus,
                figures.travel,
                figures.reward,
                figures.penalty,
                figures.adjustment,
                plain(dept.completion),
                plain(person.coefficient),
                plain(person.travel_days),
                inputs.as_json(),
                trace,
            )
        )
    budgets = []
    for d in departments:
        pool = bonus_pool(computed[d.department_id])
        budgets.append(Budget(d.department_id, d.name, pool.pool, pool.bonus))
    return Computed(lines, budgets)


def _inputs(month: str, dept: Department, person: Person) -> MonthlyInputs:
    return MonthlyInputs(
        month=month,
        department=dept.name,
        structure=person.structure,
        structure_from=person.structure_from,
        completion=dept.completion,
        coefficient=person.coefficient,
        formula=dept.formula,
        formula_source=dept.formula_source,
        grade=person.grade,
        bonus_void=person.bonus_void,
        travel_days=person.travel_days,
        sanctions=person.sanctions,
        adjustments=person.adjustments,
    )


def line_trace(inputs: Mapping[str, Any]) -> Trace:
    """A stored line's trace, re-derived by the engine from its stored inputs (an empty trace
    for a line stored before lines kept all their inputs)."""
    if "month" not in inputs:
        return Trace((), Decimal(0), Decimal("0.01"))
    return monthly_line(MonthlyInputs.from_json(inputs))[1]
