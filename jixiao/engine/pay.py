"""Monthly pay (月度薪酬): one person's month as figures and a trace, and the bonus pool check.

Money is ``int`` fen; every amount is rounded half-up to the fen once, where it is made.
Per person and month:

- base salary (基本工资) from the pay structure of their position;
- monthly bonus (月度奖金) = the department's formula (default ``base * completion *
  coefficient``) over the structure's monthly bonus base (yuan), the department's work
  completion and the person's coefficient; 0 after a veto (一票否决); never negative;
- travel allowance (出差补贴) = travel days × the structure's per-day rate;
- rewards and penalties (奖惩), in fen, and adjustments (调整) of earlier released months.

The line total is the integer sum of those items, and its trace replays it
(:meth:`jixiao.engine.trace.Trace.replay`). The shell stores :class:`MonthlyInputs` (as JSON)
and re-runs :func:`monthly_line` to show the trace. The annual bonus's proration is in
:mod:`jixiao.engine.pay_annual`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .formula import Formula, compile_formula
from .money import fen_to_yuan, format_yuan, plain, round_half_up, to_fen
from .pay_types import PayStructure
from .text import Text
from .trace import Trace, TraceStep

MONTHLY_BONUS_NAMES = ("base", "completion", "coefficient")
DEFAULT_FORMULA = "base * completion * coefficient"
CENT = Decimal("0.01")


def compile_monthly_formula(text: str) -> Formula:
    """Validate a monthly bonus formula over ``base`` (yuan), ``completion`` and ``coefficient``."""
    return compile_formula(text, MONTHLY_BONUS_NAMES)


def travel_allowance(days: Decimal | int, per_day: int) -> int:
    """出差补贴 = days × per-day rate, in fen (half days allowed), half-up."""
    return int(round_half_up(Decimal(days) * per_day))


@dataclass(frozen=True)
class MonthlyPay:
    """One month's pay lines in fen; ``total`` = base salary + monthly bonus + travel allowance."""

    base_salary: int
    monthly_bonus: int
    travel_allowance: int
    total: int
    trace: Trace


def monthly_pay(
    structure: PayStructure,
    formula: Formula,
    *,
    completion: Decimal,
    coefficient: Decimal,
    travel_days: Decimal | int,
    bonus_void: bool = False,
) -> MonthlyPay:
    """Base salary + monthly bonus (the configured formula, never below 0; void after a veto)
    + travel allowance. The formula sees ``base`` in yuan."""
    env = {
        "base": fen_to_yuan(structure.monthly_bonus_base),
        "completion": completion,
        "coefficient": coefficient,
    }
    exact = Decimal(0) if bonus_void else max(Decimal(0), formula.evaluate(env))
    bonus = to_fen(exact)
    travel = travel_allowance(travel_days, structure.travel_per_day)
    total = structure.base_salary + bonus + travel
    base = fen_to_yuan(structure.base_salary)
    steps = (
        TraceStep(
            "base_salary", structure.position, Text("基本工资", "base salary"), Text(""), base, adds=base
        ),
        TraceStep(
            "monthly_bonus",
            structure.position,
            Text("月度奖金", "monthly bonus"),
            Text(formula.text, formula.text),
            exact,
            tuple((Text(k, k), plain(v)) for k, v in env.items()),
            rounded=fen_to_yuan(bonus),
            adds=fen_to_yuan(bonus),
            note=Text("一票否决：取消奖金", "veto: bonus void") if bonus_void else Text(""),
        ),
        TraceStep(
            "travel",
            structure.position,
            Text("出差补贴", "travel allowance"),
            Text("天数 × 每天", "days × per day"),
            Decimal(travel_days) * fen_to_yuan(structure.travel_per_day),
            (
                (Text("天数", "days"), plain(Decimal(travel_days))),
                (Text("每天", "per day"), format_yuan(structure.travel_per_day)),
            ),
            rounded=fen_to_yuan(travel),
            adds=fen_to_yuan(travel),
        ),
    )
    return MonthlyPay(structure.base_salary, bonus, travel, total, Trace(steps, fen_to_yuan(total), CENT))


@dataclass(frozen=True)
class MonthlyInputs:
    """Everything one person's month is computed from; :meth:`as_json` is what the shell stores."""

    month: str
    department: str
    structure: PayStructure
    structure_from: str
    completion: Decimal
    coefficient: Decimal
    formula: str = DEFAULT_FORMULA
    formula_source: str = ""
    grade: str = ""
    bonus_void: bool = False
    travel_days: Decimal = Decimal(0)
    sanctions: tuple[tuple[int, str], ...] = ()  # (signed fen, reason)
    adjustments: tuple[tuple[int, str], ...] = ()  # (fen, reason)

    def as_json(self) -> dict[str, Any]:
        s = self.structure
        return {
            "month": self.month,
            "department": self.department,
            "formula": self.formula,
            "formula_source": self.formula_source,
            "completion": plain(self.completion),
            "coefficient": plain(self.coefficient),
            "grade": self.grade,
            "bonus_void": "1" if self.bonus_void else "",
            "travel_days": plain(self.travel_days),
            "position": s.position,
            "structure_name": s.name_zh,
            "base_salary": str(s.base_salary),
            "monthly_bonus_base": str(s.monthly_bonus_base),
            "travel_per_day": str(s.travel_per_day),
            "structure_from": self.structure_from,
            "sanctions": [[fen, why] for fen, why in self.sanctions],
            "adjustments": [[fen, why] for fen, why in self.adjustments],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MonthlyInputs:
        structure = PayStructure(
            position=str(data.get("position", "")),
            name_zh=str(data.get("structure_name", "")),
            base_salary=int(data["base_salary"]),
            monthly_bonus_base=int(data["monthly_bonus_base"]),
            travel_per_day=int(data["travel_per_day"]),
        )
        return cls(
            month=str(data["month"]),
            department=str(data["department"]),
            structure=structure,
            structure_from=str(data["structure_from"]),
            completion=Decimal(data["completion"]),
            coefficient=Decimal(data["coefficient"]),
            formula=str(data["formula"]),
            formula_source=str(data.get("formula_source", "")),
            grade=str(data.get("grade", "")),
            bonus_void=bool(data.get("bonus_void")),
            travel_days=Decimal(data["travel_days"]),
            sanctions=tuple((int(fen), str(why)) for fen, why in data.get("sanctions", ())),
            adjustments=tuple((int(fen), str(why)) for fen, why in data.get("adjustments", ())),
        )


@dataclass(frozen=True)
class MonthlyFigures:
    """One person's month in fen; ``total`` is their integer sum (penalties subtract)."""

    base_salary: int
    monthly_bonus: int
    travel: int
    reward: int
    penalty: int
    adjustment: int

    @property
    def total(self) -> int:
        return (
            self.base_salary + self.monthly_bonus + self.travel + self.reward - self.penalty + self.adjustment
        )


def monthly_line(inputs: MonthlyInputs, formula: Formula | None = None) -> tuple[MonthlyFigures, Trace]:
    """One person's month: the figures and the trace that replays their total (``formula``:
    the department's formula already compiled, to compile it once per department)."""
    pay = monthly_pay(
        inputs.structure,
        formula or compile_monthly_formula(inputs.formula),
        completion=inputs.completion,
        coefficient=inputs.coefficient,
        travel_days=inputs.travel_days,
        bonus_void=inputs.bonus_void,
    )
    figures = MonthlyFigures(
        pay.base_salary,
        pay.monthly_bonus,
        pay.travel_allowance,
        reward=sum(fen for fen, _ in inputs.sanctions if fen > 0),
        penalty=-sum(fen for fen, _ in inputs.sanctions if fen < 0),
        adjustment=sum(fen for fen, _ in inputs.adjustments),
    )
    steps = [_header(inputs), *pay.trace.steps]
    steps += [_sanction_step(fen, why) for fen, why in inputs.sanctions]
    steps += [_adjustment_step(fen, why) for fen, why in inputs.adjustments]
    steps.append(_total_step(figures))
    return figures, Trace(tuple(steps), fen_to_yuan(figures.total), CENT)


def _percent(rate: Decimal) -> str:
    return plain(rate * 100) + "%"


def _header(inputs: MonthlyInputs) -> TraceStep:
    s = inputs.structure
    grade = Text(f"，等级 {inputs.grade}", f", grade {inputs.grade}") if inputs.grade else Text("")
    zh = (
        f"{inputs.month}：{inputs.department}工作完成情况 {_percent(inputs.completion)}；本人考核系数 "
        f"{plain(inputs.coefficient)}{grade.zh}；薪酬结构（{inputs.structure_from} 起）基本工资 "
        f"{format_yuan(s.base_salary)}、月度奖金基数 {format_yuan(s.monthly_bonus_base)}、"
        f"出差补贴 {format_yuan(s.travel_per_day)}/天；月度奖金公式 {inputs.formula}{inputs.formula_source}"
    )
    en = (
        f"{inputs.month}: {inputs.department} work completion {_percent(inputs.completion)}; coefficient "
        f"{plain(inputs.coefficient)}{grade.en}; pay structure (from {inputs.structure_from}) base "
        f"{format_yuan(s.base_salary)}, bonus base {format_yuan(s.monthly_bonus_base)}, travel "
        f"{format_yuan(s.travel_per_day)}/day; monthly bonus formula {inputs.formula}"
    )
    return TraceStep("inputs", s.position, Text(zh, en), Text(""), None)


def _sanction_step(fen: int, reason: str) -> TraceStep:
    if fen > 0:
        label = Text(f"奖励 +{format_yuan(fen)}", f"reward +{format_yuan(fen)}")
    else:
        label = Text(f"处罚 −{format_yuan(-fen)}", f"penalty −{format_yuan(-fen)}")
    return TraceStep("sanction", "", label, Text(reason, reason), None, adds=fen_to_yuan(fen))


def _adjustment_step(fen: int, reason: str) -> TraceStep:
    sign = "+" if fen > 0 else "−"
    label = Text(f"更正调整 {sign}{format_yuan(abs(fen))}", f"adjustment {sign}{format_yuan(abs(fen))}")
    return TraceStep("adjustment", "", label, Text(reason, reason), None, adds=fen_to_yuan(fen))


def _total_step(figures: MonthlyFigures) -> TraceStep:
    parts = [
        (figures.base_salary, Text("基本工资", "base"), True),
        (figures.monthly_bonus, Text("月度奖金", "bonus"), True),
        (figures.travel, Text("出差补贴", "travel"), True),
        (figures.reward, Text("奖励", "rewards"), False),
        (-figures.penalty, Text("处罚", "penalties"), False),
        (figures.adjustment, Text("调整", "adjustments"), False),
    ]
    shown = [(fen, name) for fen, name, always in parts if fen or always]
    zh = " + ".join(f"{name.zh} {format_yuan(fen)}" for fen, name in shown)
    en = " + ".join(f"{name.en} {format_yuan(fen)}" for fen, name in shown)
    total = format_yuan(figures.total)
    label = Text(f"应发合计 = {zh} = {total} 元", f"total = {en} = {total} yuan")
    return TraceStep("total", "", label, Text(""), None)


@dataclass(frozen=True)
class Pool:
    """A department's monthly bonus pool (奖金池) against what its people get as bonus and rewards."""

    pool: int
    bonus: int

    @property
    def over(self) -> int:
        return max(0, self.bonus - self.pool)


def bonus_pool(lines: Iterable[tuple[MonthlyInputs, MonthlyFigures]]) -> Pool:
    """The pool is Σ the people's monthly bonus bases (100 % completion, coefficient 1.0); the
    bonus is Σ their monthly bonuses plus rewards."""
    pool = bonus = 0
    for inputs, figures in lines:
        pool += inputs.structure.monthly_bonus_base
        bonus += figures.monthly_bonus + figures.reward
    return Pool(pool, bonus)
