"""A month's pay for everyone in a locked cycle, computed with no queries (fetch → compute → store).

Per person (``engine.bonus.monthly_pay`` does the first three, with its trace):

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

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.engine.pay import compile_monthly_formula, monthly_pay
from jixiao.engine.money import format_yuan, plain
from jixiao.engine.types import PayStructure

DEFAULT_FORMULA = "base * completion * coefficient"


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
    inputs: dict[str, str]
    trace: list[dict[str, str]] = field(default_factory=list)

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
    pools: dict[int, int] = {d.department_id: 0 for d in departments}
    bonuses: dict[int, int] = {d.department_id: 0 for d in departments}
    for person in people:
        dept = by_id[person.department_id]
        pay = monthly_pay(
            person.structure,
            formulas[dept.department_id],
            completion=dept.completion,
            coefficient=person.coefficient,
            travel_days=person.travel_days,
            bonus_void=person.bonus_void,
        )
        reward = sum(fen for fen, _ in person.sanctions if fen > 0)
        penalty = -sum(fen for fen, _ in person.sanctions if fen < 0)
        adjustment = sum(fen for fen, _ in person.adjustments)
        pools[dept.department_id] += person.structure.monthly_bonus_base
        bonuses[dept.department_id] += pay.monthly_bonus + reward
        trace = [_header(month, dept, person)]
        trace += [{"zh": s.render("zh"), "en": s.render("en")} for s in (pay.trace.steps)]
        trace += [_sanction_step(fen, why) for fen, why in person.sanctions]
        trace += [_adjustment_step(fen, why) for fen, why in person.adjustments]
        line = Line(
            person.employee_id, person.department_id, person.position_id, pay.base_salary,
            pay.monthly_bonus, pay.travel_allowance, reward, penalty, adjustment,
            plain(dept.completion), plain(person.coefficient), plain(person.travel_days),
            _inputs(dept, person), trace,
        )  # fmt: skip
        trace.append(_total_step(line))
        lines.append(line)
    budgets = [
        Budget(d.department_id, d.name, pools[d.department_id], bonuses[d.department_id]) for d in departments
    ]
    return Computed(lines, budgets)


def _inputs(dept: Department, person: Person) -> dict[str, str]:
    s = person.structure
    return {
        "formula": dept.formula,
        "completion": plain(dept.completion),
        "coefficient": plain(person.coefficient),
        "grade": person.grade,
        "bonus_void": "1" if person.bonus_void else "",
        "travel_days": plain(person.travel_days),
        "base_salary": str(s.base_salary),
        "monthly_bonus_base": str(s.monthly_bonus_base),
        "travel_per_day": str(s.travel_per_day),
        "structure_from": person.structure_from,
    }


def _header(month: str, dept: Department, person: Person) -> dict[str, str]:
    s = person.structure
    grade = f"，等级 {person.grade}" if person.grade else ""
    grade_en = f", grade {person.grade}" if person.grade else ""
    return {
        "zh": (
            f"{month}：{dept.name}工作完成情况 {_percent(dept.completion)}；本人考核系数 "
            f"{plain(person.coefficient)}{grade}；薪酬结构（{person.structure_from} 起）基本工资 "
            f"{format_yuan(s.base_salary)}、月度奖金基数 {format_yuan(s.monthly_bonus_base)}、"
            f"出差补贴 {format_yuan(s.travel_per_day)}/天；月度奖金公式 {dept.formula}{dept.formula_source}"
        ),
        "en": (
            f"{month}: {dept.name} work completion {_percent(dept.completion)}; coefficient "
            f"{plain(person.coefficient)}{grade_en}; pay structure (from {person.structure_from}) base "
            f"{format_yuan(s.base_salary)}, bonus base {format_yuan(s.monthly_bonus_base)}, travel "
            f"{format_yuan(s.travel_per_day)}/day; monthly bonus formula {dept.formula}"
        ),
    }


def _percent(rate: Decimal) -> str:
    return plain(rate * 100) + "%"


def _sanction_step(fen: int, reason: str) -> dict[str, str]:
    if fen > 0:
        return {"zh": f"奖励 +{format_yuan(fen)}：{reason}", "en": f"reward +{format_yuan(fen)}: {reason}"}
    return {"zh": f"处罚 −{format_yuan(-fen)}：{reason}", "en": f"penalty −{format_yuan(-fen)}: {reason}"}


def _adjustment_step(fen: int, reason: str) -> dict[str, str]:
    sign = "+" if fen > 0 else "−"
    return {
        "zh": f"更正调整 {sign}{format_yuan(abs(fen))}：{reason}",
        "en": f"adjustment {sign}{format_yuan(abs(fen))}: {reason}",
    }


def _total_step(line: Line) -> dict[str, str]:
    parts = [
        (line.base_salary_fen, "基本工资", "base"),
        (line.monthly_bonus_fen, "月度奖金", "bonus"),
        (line.travel_fen, "出差补贴", "travel"),
        (line.reward_fen, "奖励", "rewards"),
        (-line.penalty_fen, "处罚", "penalties"),
        (line.adjustment_fen, "调整", "adjustments"),
    ]
    shown = [(fen, zh, en) for fen, zh, en in parts if fen or zh in ("基本工资", "月度奖金", "出差补贴")]
    zh = " + ".join(f"{zh} {format_yuan(fen)}" for fen, zh, _ in shown)
    en = " + ".join(f"{en} {format_yuan(fen)}" for fen, _, en in shown)
    total = format_yuan(line.total_fen)
    return {"zh": f"应发合计 = {zh} = {total} 元", "en": f"total = {en} = {total} yuan"}
