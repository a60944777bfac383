"""The annual bonus of a department's people, computed with no queries (fetch → compute → store).

The arithmetic, the proration and the trace are the engine's (:mod:`jixiao.engine.pay_annual`,
whose docstring states the eligibility and proration rules). This module turns the shell's
rows into the engine's inputs and back: each line keeps its inputs (JSON) and the engine
version, and :func:`line_trace` re-derives the trace from them on demand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.engine import ENGINE_VERSION
from jixiao.engine import pay_annual as engine
from jixiao.engine.bonus import AnnualBonus
from jixiao.engine.pay_types import AnnualBonusPlan
from jixiao.engine.text import Text
from jixiao.engine.trace import Trace

months_eligible = engine.months_eligible


@dataclass(frozen=True)
class Line:
    employee_id: int
    role: str
    rate: str
    full_fen: int
    months: int
    proration: str
    amount_fen: int
    inputs: dict[str, Any]
    trace: Trace
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class Computed:
    bonus: AnnualBonus
    lines: list[Line]
    notes: list[dict[str, str]]

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)


def compute(
    plan: AnnualBonusPlan,
    profit_fen: int,
    year: int,
    people: Sequence[engine.Person],
    header: list[dict[str, str]],
) -> Computed:
    """Each person's annual bonus for ``year`` at ``profit_fen`` under ``plan`` (its own mode)."""
    heading = [Text(h["zh"], h.get("en", "")) for h in header]
    result = engine.annual_lines(plan, profit_fen, year, list(people), heading)
    lines = [
        Line(
            int(line.person.key),
            line.person.role,
            line.rate,
            line.full,
            line.months,
            line.proration,
            line.amount,
            line.inputs.as_json(),
            line.trace,
        )
        for line in result.lines
    ]
    return Computed(result.bonus, lines, [note.as_dict() for note in result.notes])


def line_trace(inputs: Mapping[str, Any]) -> Trace:
    """A stored line's trace, re-derived by the engine from its stored inputs (an empty trace
    for a line stored before lines kept their inputs)."""
    if not inputs:
        return Trace((), Decimal(0), Decimal("0.01"))
    return engine.annual_line(engine.LineInputs.from_json(inputs)).trace
