"""The annual bonus of a department's people (年度奖金发放): eligibility, proration, lines, traces.

Eligibility and proration (stated in ``docs/decisions.md``):

- Months eligible in year Y: 12; for a person who joined during Y, the calendar months from
  the month of joining to December inclusive (joined 15 March → 10); nobody who joined after Y;
  nobody who has left (the organisation keeps no leaving date yet, so their months cannot be
  counted: they are listed with 0 months and a note).
- A role's pool = the role's full-year bonus per person × min(Σ months of its holders,
  12 × the plan's headcount) / 12, rounded half-up to the fen once; the pool is split among
  the holders in proportion to their months with :func:`~jixiao.engine.money.allocate`, so the
  lines always sum to the pool and the department total is the sum of its lines to the fen.

Each line keeps its inputs (:class:`LineInputs`, JSON with the plan itself), so
:func:`annual_line` re-derives the line and its trace from them alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from .bonus import AnnualBonus, annual_bonus
from .money import allocate, div_half_up, fen_to_yuan, format_yuan
from .pay_types import AnnualBonusPlan, BonusRole, BonusTier, Bound
from .text import Text
from .trace import Trace, TraceStep
from .types import BonusMode

FULL_YEAR = 12
CENT = Decimal("0.01")


def months_eligible(year: int, hire_date: dt.date | None, has_left: bool = False) -> int:
    """Calendar months of ``year`` the person is eligible for (see the module docstring)."""
    if has_left:
        return 0
    if hire_date is None or hire_date.year < year:
        return FULL_YEAR
    if hire_date.year > year:
        return 0
    return FULL_YEAR - hire_date.month + 1


def prorate(full: int, months: Sequence[int], headcount: int) -> tuple[int, int, list[int]]:
    """A role's (counted months, pool, each holder's share): see the module docstring."""
    counted = min(sum(months), FULL_YEAR * headcount)
    pool = div_half_up(full * counted, FULL_YEAR)
    shares = allocate(pool, list(months)) if sum(months) > 0 else [0] * len(months)
    return counted, pool, shares


@dataclass(frozen=True)
class Person:
    """What the calculation needs about one employee."""

    key: str
    name: str
    role: str
    hire_date: dt.date | None
    has_left: bool = False


@dataclass(frozen=True)
class LineInputs:
    """What one line is computed from: the plan, the profit, the year, the person and the months
    of every holder of the role (the pool is split among them); ``header`` opens the trace."""

    plan: AnnualBonusPlan
    profit: int
    year: int
    person: Person
    holders: tuple[int, ...]
    index: int
    header: tuple[Text, ...] = ()

    def as_json(self) -> dict[str, Any]:
        p = self.person
        return {
            "plan": plan_json(self.plan),
            "profit_fen": self.profit,
            "year": self.year,
            "person": {
                "key": p.key,
                "name": p.name,
                "role": p.role,
                "hire_date": p.hire_date.isoformat() if p.hire_date else None,
                "has_left": p.has_left,
            },
            "holders": list(self.holders),
            "index": self.index,
            "header": [t.as_dict() for t in self.header],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LineInputs:
        p = data["person"]
        person = Person(
            str(p["key"]),
            str(p["name"]),
            str(p["role"]),
            dt.date.fromisoformat(p["hire_date"]) if p.get("hire_date") else None,
            bool(p.get("has_left")),
        )
        header = tuple(Text(h.get("zh", ""), h.get("en", "")) for h in data.get("header", ()))
        return cls(
            plan_from_json(data["plan"]),
            int(data["profit_fen"]),
            int(data["year"]),
            person,
            tuple(int(m) for m in data["holders"]),
            int(data["index"]),
            header,
        )


@dataclass(frozen=True)
class Line:
    """One person's annual bonus: the role's full-year amount, the months and what is paid."""

    person: Person
    rate: str
    full: int
    months: int
    amount: int
    trace: Trace
    inputs: LineInputs

    @property
    def proration(self) -> str:
        return f"{self.months}/{FULL_YEAR}"


@dataclass(frozen=True)
class Computed:
    bonus: AnnualBonus
    lines: list[Line]
    notes: list[Text]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


def annual_lines(
    plan: AnnualBonusPlan, profit: int, year: int, people: Sequence[Person], header: Sequence[Text] = ()
) -> Computed:
    """Each person's annual bonus for ``year`` at ``profit`` fen under ``plan`` (its own mode)."""
    bonus = annual_bonus(plan, profit)
    lines: list[Line] = []
    notes: list[Text] = []
    roles = {r.key: r for r in plan.roles}
    for key, role in roles.items():
        holders = [p for p in people if p.role == key]
        if not holders:
            continue
        if len(holders) > role.headcount:
            notes.append(_over_headcount(role, len(holders)))
        months = tuple(months_eligible(year, p.hire_date, p.has_left) for p in holders)
        for i, person in enumerate(holders):
            inputs = LineInputs(plan, profit, year, person, months, i, tuple(header))
            lines.append(_line(inputs, bonus))
    for person in people:
        if person.role and person.role not in roles:
            notes.append(
                Text(
                    f"{person.name} 的岗位年度奖金角色“{person.role}”不在方案中，未计发。",
                    f"{person.name}'s annual bonus role “{person.role}” is not in the plan: not paid.",
                )
            )
    return Computed(bonus, lines, notes)


def annual_line(inputs: LineInputs) -> Line:
    """Re-derive one line, with its trace, from its stored inputs."""
    return _line(inputs, annual_bonus(inputs.plan, inputs.profit))


def _line(inputs: LineInputs, bonus: AnnualBonus) -> Line:
    plan, person = inputs.plan, inputs.person
    role = next(r for r in plan.roles if r.key == person.role)
    full = bonus.role(role.key)
    counted, pool, shares = prorate(full, inputs.holders, role.headcount)
    months, share = inputs.holders[inputs.index], shares[inputs.index]
    tier = plan.tiers[bonus.tier] if bonus.tier is not None else None
    steps = [TraceStep("inputs", "", text, Text(""), None) for text in inputs.header]
    # The bonus's own steps add the department sum; on a person's line only the share adds.
    for step in bonus.trace.steps if bonus.trace else ():
        if step.code == "tier" or (step.code == "role" and step.item == role.key):
            steps.append(replace(step, adds=None))
    steps.append(_months_step(inputs.year, person, months))
    steps.append(_proration_step(full, months, counted, pool, share, len(inputs.holders)))
    trace = Trace(tuple(steps), fen_to_yuan(share), CENT)
    rate = str(tier.rate(role.key)) if tier else "0"
    return Line(person, rate, full, months, share, trace, inputs)


def _months_step(year: int, person: Person, months: int) -> TraceStep:
    if person.has_left:
        text = Text(
            "在职月数：已离职，组织数据没有离职日期，按 0 个月计（请人力资源部核定）",
            "months eligible: has left; no leaving date is recorded, counted as 0 (HR to confirm)",
        )
    else:
        joined = person.hire_date.isoformat() if person.hire_date else "—"
        text = Text(
            f"在职月数：入职日期 {joined}，{year} 年在职 {months} 个月（入职当月起算至 12 月）",
            f"months eligible: joined {joined}, {months} months of {year} (from the month of joining to December)",
        )
    return TraceStep("months", person.key, text, Text(""), None)


def _proration_step(full: int, months: int, counted: int, pool: int, share: int, holders: int) -> TraceStep:
    amount = fen_to_yuan(share)
    if holders == 1:
        formula = Text(f"{format_yuan(full)} × {months}/12", f"{format_yuan(full)} × {months}/12")
        exact = fen_to_yuan(full) * months / FULL_YEAR
        return TraceStep(
            "proration", "", Text("折算", "proration"), formula, exact, rounded=amount, adds=amount
        )
    formula = Text(
        f"本角色奖金池 {format_yuan(full)} × {counted}/12 = {format_yuan(pool)}，"
        f"按在职月数分配给 {holders} 人，本人 {months} 个月",
        f"role pool {format_yuan(full)} × {counted}/12 = {format_yuan(pool)}, split among "
        f"{holders} people by months; {months} months",
    )
    return TraceStep("proration", "", Text("折算", "proration"), formula, amount, adds=amount)


def _over_headcount(role: BonusRole, holders: int) -> Text:
    return Text(
        f"{role.name_zh}：方案按 {role.headcount} 人计，实有 {holders} 人，奖金池按方案人数封顶后按月数分配。",
        f"{role.name_en or role.name_zh}: the plan counts {role.headcount}, {holders} hold the role; "
        "the pool is capped and split by months.",
    )


# --- the plan as JSON (stored with each line) --------------------------------------------------


def _bound_json(bound: Bound | None) -> list[Any] | None:
    return None if bound is None else [bound.amount, bound.inclusive, bound.wording]


def _bound(data: list[Any] | None) -> Bound | None:
    return None if data is None else Bound(int(data[0]), data[1], str(data[2]))


def plan_json(plan: AnnualBonusPlan) -> dict[str, Any]:
    """The annual bonus plan as JSON values (amounts in fen, rates as decimal strings)."""
    return {
        "key": plan.key,
        "name_zh": plan.name_zh,
        "name_en": plan.name_en,
        "mode": plan.mode.value,
        "basis": plan.basis,
        "roles": [[r.key, r.name_zh, r.headcount, r.name_en] for r in plan.roles],
        "tiers": [
            {
                "lower": _bound_json(t.lower),
                "upper": _bound_json(t.upper),
                "rates": [[key, str(rate)] for key, rate in t.rates],
                "department_rate": None if t.department_rate is None else str(t.department_rate),
                "source_text": t.source_text,
            }
            for t in plan.tiers
        ],
    }


def plan_from_json(data: Mapping[str, Any]) -> AnnualBonusPlan:
    """The inverse of :func:`plan_json`."""
    tiers = tuple(
        BonusTier(
            _bound(t["lower"]),
            _bound(t["upper"]),
            tuple((str(key), Decimal(rate)) for key, rate in t["rates"]),
            None if t["department_rate"] is None else Decimal(t["department_rate"]),
            str(t.get("source_text", "")),
        )
        for t in data["tiers"]
    )
    roles = tuple(BonusRole(str(k), str(zh), int(n), str(en)) for k, zh, n, en in data["roles"])
    return AnnualBonusPlan(
        str(data["key"]),
        str(data["name_zh"]),
        roles,
        tiers,
        BonusMode(data["mode"]),
        str(data.get("name_en", "")),
        str(data.get("basis", "net_profit")),
    )
