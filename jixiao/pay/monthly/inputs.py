"""What a month's pay is computed from: the locked cycle's members with their results, the
pay structure in force on the month's last day, each department's completion, travel days,
approved sanctions and adjustments — loaded in a fixed number of queries, then turned into the
calculation's inputs. Anything missing is refused with one problem per gap."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.common.errors import JixiaoError, Problem
from jixiao.common.labels import source_label
from jixiao.cycles.lifecycle.models import Cycle, CycleMember
from jixiao.engine import pay_types
from jixiao.org.models import Department, Employee, Position
from jixiao.org.selectors import positions_on
from jixiao.pay.structures.models import PayStructure
from jixiao.pay.structures.services import pay_plan_for
from jixiao.plans.adapters import engine_pay

from . import calculation
from .models import SANCTION_COUNTS, DepartmentCompletion, PayAdjustment, Sanction, TravelDays
from .months import month_last_day

Items = dict[int, list[tuple[int, str]]]


@dataclass
class Loaded:
    """The month's rows, keyed for the build (one query each)."""

    members: list[CycleMember]
    positions: dict[int, Position | None]  # employee id → the position in force on the month's last day
    structures: dict[int, PayStructure]
    completions: dict[int, DepartmentCompletion]
    travel: dict[int, str]
    sanctions: Items
    adjustments: Items


def _load(month: str, cycle: Cycle, last: dt.date) -> Loaded:
    members = list(
        CycleMember.objects.filter(cycle=cycle)
        .select_related("employee", "department", "position", "result")
        .order_by("department__sort_order", "employee__number")
    )
    positions = _positions(members, last)
    structures: dict[int, PayStructure] = {}
    for s in PayStructure.objects.filter(
        position_id__in={p.pk for p in positions.values() if p is not None}, effective_from__lte=last
    ).order_by("position_id", "effective_from"):
        if s.effective_to is None or s.effective_to >= last:
            structures[s.position_id] = s
    completions = {
        c.department_id: c
        for c in DepartmentCompletion.objects.filter(
            month=month, department_id__in={m.department_id for m in members}
        )
    }
    travel = dict(TravelDays.objects.filter(month=month).values_list("employee_id", "days"))
    sanctions: Items = {}
    for sanction in Sanction.objects.filter(month=month, status__in=SANCTION_COUNTS).order_by("pk"):
        sanctions.setdefault(sanction.employee_id, []).append((sanction.signed_fen, sanction.reason))
    adjustments: Items = {}
    for a in PayAdjustment.objects.filter(month=month).select_related("corrects").order_by("pk"):
        adjustments.setdefault(a.employee_id, []).append((a.amount_fen, _adjustment_reason(a)))
    return Loaded(members, positions, structures, completions, travel, sanctions, adjustments)


def _positions(members: list[CycleMember], last: dt.date) -> dict[int, Position | None]:
    """Each member's position in force on ``last`` (a promotion counts from its effective date;
    without a recorded change, the post the cycle snapshotted)."""
    in_force = positions_on(
        [m.employee_id for m in members], last, unchanged={m.employee_id: m.position_id for m in members}
    )
    rows = Position.objects.in_bulk({pk for pk in in_force.values() if pk is not None})
    return {e: rows.get(pk) if pk is not None else None for e, pk in in_force.items()}


def _adjustment_reason(a: PayAdjustment) -> str:
    """What the paying line's trace says of an adjustment: the month it corrects, its reason and,
    for one that follows a case (a recheck of an appeal), the case (“申诉 AP-12”)."""
    where = f"（{source_label(a.source).zh}）" if a.source else ""
    return f"{a.corrects.month}：{a.reason}{where}"


def _formula(department: Department) -> tuple[str, str]:
    plan = pay_plan_for(department)
    if plan is None:
        return calculation.DEFAULT_FORMULA, "（默认公式）"
    return engine_pay(plan).monthly_bonus_formula, f"（{plan.name} 第 {plan.number} 版）"


def _departments(month: str, loaded: Loaded, problems: list[Problem]) -> list[calculation.Department]:
    departments: list[calculation.Department] = []
    ids = {m.department_id for m in loaded.members}
    for dept in Department.objects.filter(pk__in=ids).order_by("sort_order"):
        completion = loaded.completions.get(dept.pk)
        if completion is None:
            problems.append(
                Problem(
                    zh=f"{dept.name}：未录入 {month} 工作完成情况",
                    en=f"{dept.name}: no work completion for {month}",
                )
            )
            continue
        formula, source = _formula(dept)
        departments.append(
            calculation.Department(dept.pk, dept.name, Decimal(completion.rate), formula, source)
        )
    return departments


def _missing(m: CycleMember, structure: PayStructure | None, last: dt.date) -> Problem | None:
    if structure is None:
        return Problem(
            zh=f"{m.employee.number} {m.employee.name}：岗位在 {last} 没有生效的薪酬结构",
            en=f"{m.employee.number}: the position has no pay structure in force on {last}",
        )
    if getattr(m, "result", None) is None:
        return Problem(
            zh=f"{m.employee.number} {m.employee.name}：没有考核结果", en=f"{m.employee.number}: no result"
        )
    return None


def _person(m: CycleMember, structure: PayStructure, loaded: Loaded) -> calculation.Person:
    result: Any = m.result
    position = loaded.positions.get(m.employee_id)
    return calculation.Person(
        m.employee_id,
        m.employee.name,
        m.department_id,
        structure.position_id,
        pay_types.PayStructure(
            position.code if position else "",
            position.title if position else "",
            structure.base_salary,
            structure.monthly_bonus_base,
            structure.travel_per_day,
        ),
        structure.effective_from.isoformat(),
        Decimal(result.coefficient),
        result.bonus_void,
        result.grade,
        Decimal(loaded.travel.get(m.employee_id, "0")),
        tuple(loaded.sanctions.get(m.employee_id, ())),
        tuple(loaded.adjustments.get(m.employee_id, ())),
    )


def _people(loaded: Loaded, last: dt.date, problems: list[Problem]) -> list[calculation.Person]:
    people: list[calculation.Person] = []
    for m in loaded.members:
        position = loaded.positions.get(m.employee_id)
        structure = loaded.structures.get(position.pk) if position is not None else None
        problem = _missing(m, structure, last)
        if problem is not None:
            problems.append(problem)
        elif structure is not None:
            people.append(_person(m, structure, loaded))
    return people


def _strays(cycle: Cycle, loaded: Loaded) -> list[dict[str, str]]:
    """Notes for people with sanctions or adjustments this month who are not in the cycle."""
    paid = {m.employee_id for m in loaded.members}
    strays = sorted((set(loaded.sanctions) | set(loaded.adjustments)) - paid)
    return [
        {
            "zh": f"{e.number} {e.name} 有本月的奖惩或调整，但不在 {cycle.label} 考核周期中，本次未计发。",
            "en": f"{e.number} has rewards, penalties or adjustments this month but is not in cycle {cycle.label}: not paid here.",
        }
        for e in Employee.objects.filter(pk__in=strays).order_by("number")
    ]


def month_inputs(
    month: str, cycle: Cycle
) -> tuple[list[calculation.Department], list[calculation.Person], list[dict[str, str]]]:
    """The calculation's inputs for ``month`` from its locked ``cycle``; refuse with one
    problem per missing structure, completion or result."""
    last = month_last_day(month)
    loaded = _load(month, cycle, last)
    problems: list[Problem] = []
    departments = _departments(month, loaded, problems)
    people = _people(loaded, last, problems)
    notes = _strays(cycle, loaded)
    if problems:
        raise JixiaoError(
            zh=f"{month} 的薪酬不能计算：{len(problems)} 处数据不全。",
            en=f"{month}'s pay cannot be computed: {len(problems)} things are missing.",
            code="pay_inputs",
            problems=problems,
        )
    return departments, people, notes
