"""The annual bonus of a department's people, computed with no queries (fetch → compute → store).

Eligibility and proration (stated in ``docs/decisions.md``):

- Months eligible in year Y: 12; for a person who joined during Y, the calendar months from
  the month of joining to December inclusive (joined 15 March → 10); nobody who joined after Y;
  nobody whose status is 离职 (the organisation keeps no leaving date yet, so their months
  cannot be counted: they are listed with 0 months and a note).
- A role's pool = the role's full-year bonus per person × min(Σ months of its holders,
  12 × the plan's headcount) / 12, rounded half-up to the fen once; the pool is split among
  the holders in proportion to their months with ``engine.money.allocate``, so the lines
  always sum to the pool and the department total is the sum of its lines to the fen.
  With no more holders than the plan's headcount each line is within one fen of
  full × months / 12; with more, the plan's headcount caps what the role costs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from jixiao.engine.bonus import AnnualBonus, annual_bonus
from jixiao.engine.money import allocate, div_half_up, format_yuan
from jixiao.engine.types import AnnualBonusPlan

FULL_YEAR = 12


@dataclass(frozen=True)
class Person:
    """What the calculation needs about one employee (no model instances)."""

    employee_id: int
    name: str
    role: str
    hire_date: dt.date | None
    has_left: bool = False


@dataclass(frozen=True)
class Line:
    employee_id: int
    role: str
    rate: str
    full_fen: int
    months: int
    proration: str
    amount_fen: int
    trace: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Computed:
    bonus: AnnualBonus
    lines: list[Line]
    notes: list[dict[str, str]]

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)


def months_eligible(year: int, hire_date: dt.date | None, has_left: bool = False) -> int:
    """Calendar months of ``year`` the person is eligible for (see the module docstring)."""
    if has_left:
        return 0
    if hire_date is None or hire_date.year < year:
        return FULL_YEAR
    if hire_date.year > year:
        return 0
    return FULL_YEAR - hire_date.month + 1


def compute(
    plan: AnnualBonusPlan, profit_fen: int, year: int, people: Sequence[Person], header: list[dict[str, str]]
) -> Computed:
    """Each person's annual bonus for ``year`` at ``profit_fen`` under ``plan`` (its own mode)."""
    bonus = annual_bonus(plan, profit_fen)
    steps = bonus.trace.steps if bonus.trace else ()
    tier_step = [{"zh": s.render("zh"), "en": s.render("en")} for s in steps if s.code == "tier"]
    role_steps = {s.item: {"zh": s.render("zh"), "en": s.render("en")} for s in steps if s.code == "role"}
    tier = plan.tiers[bonus.tier] if bonus.tier is not None else None
    lines: list[Line] = []
    notes: list[dict[str, str]] = []
    roles = {r.key: r for r in plan.roles}
    for key, role in roles.items():
        holders = [p for p in people if p.role == key]
        if not holders:
            continue
        full = bonus.role(key)
        months = [months_eligible(year, p.hire_date, p.has_left) for p in holders]
        counted = min(sum(months), FULL_YEAR * role.headcount)
        pool = div_half_up(full * counted, FULL_YEAR)
        shares = allocate(pool, months) if sum(months) > 0 else [0] * len(holders)
        if len(holders) > role.headcount:
            notes.append(_over_headcount(role.name_zh, role.headcount, len(holders)))
        rate = str(tier.rate(key)) if tier else "0"
        for person, m, share in zip(holders, months, shares, strict=True):
            trace = [*header, *tier_step, role_steps[key], _months_step(year, person, m)]
            trace.append(_proration_step(full, m, counted, pool, share, len(holders)))
            lines.append(Line(person.employee_id, key, rate, full, m, f"{m}/12", share, trace))
    for person in people:
        if person.role and person.role not in roles:
            notes.append(
                {
                    "zh": f"{person.name} 的岗位年度奖金角色“{person.role}”不在方案中，未计发。",
                    "en": f"{person.name}'s annual bonus role “{person.role}” is not in the plan: not paid.",
                }
            )
    return Computed(bonus, lines, notes)


def _months_step(year: int, person: Person, months: int) -> dict[str, str]:
    if person.has_left:
        return {
            "zh": "在职月数：已离职，组织数据没有离职日期，按 0 个月计（请人力资源部核定）",
            "en": "months eligible: has left; no leaving date is recorded, counted as 0 (HR to confirm)",
        }
    joined = person.hire_date.isoformat() if person.hire_date else "—"
    return {
        "zh": f"在职月数：入职日期 {joined}，{year} 年在职 {months} 个月（入职当月起算至 12 月）",
        "en": f"months eligible: joined {joined}, {months} months of {year} (from the month of joining to December)",
    }


def _proration_step(
    full: int, months: int, counted: int, pool: int, share: int, holders: int
) -> dict[str, str]:
    if holders == 1:
        zh = f"折算：{format_yuan(full)} × {months}/12 = {format_yuan(share)}（四舍五入到分）"
        en = f"proration: {format_yuan(full)} × {months}/12 = {format_yuan(share)} (half-up to the fen)"
    else:
        zh = (
            f"折算：本角色奖金池 {format_yuan(full)} × {counted}/12 = {format_yuan(pool)}，"
            f"按在职月数分配给 {holders} 人，本人 {months} 个月 → {format_yuan(share)}"
        )
        en = (
            f"proration: role pool {format_yuan(full)} × {counted}/12 = {format_yuan(pool)}, split among "
            f"{holders} people by months; {months} months → {format_yuan(share)}"
        )
    return {"zh": zh, "en": en}


def _over_headcount(name: str, headcount: int, holders: int) -> dict[str, str]:
    return {
        "zh": f"{name}：方案按 {headcount} 人计，实有 {holders} 人，奖金池按方案人数封顶后按月数分配。",
        "en": f"{name}: the plan counts {headcount}, {holders} hold the role; the pool is capped and split by months.",
    }
