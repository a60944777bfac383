"""Read cycles, members, entries and results through ``access`` (§10)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from jixiao.access.actor import actor_for
from jixiao.access.policy import can, require, scope
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, NotFound
from jixiao.engine.batch import PersonResult
from jixiao.engine.types import Kind

from .calculation import result_explain
from .cells import rubric_legend, score_cells
from .models import Actual, Cycle, CycleMember, CyclePlan, Result, Score, State
from .snapshot import manual_measures, measure_keys, measure_labels, rules


def cycle_list(*, user: Any) -> QuerySet[Cycle]:
    require(user, "cycle.list")
    return Cycle.objects.prefetch_related("departments")


def cycle_get(*, user: Any, pk: int) -> Cycle:
    cycle = Cycle.objects.filter(pk=pk).first()
    if cycle is None or not can(user, "cycle.view", cycle):
        raise NotFound()
    return cycle


def members(*, user: Any, cycle: Cycle) -> QuerySet[CycleMember]:
    qs = CycleMember.objects.filter(cycle=cycle).select_related("employee", "department", "snapshot", "cycle")
    return scope(user, "member.view", qs)


def member_get(*, user: Any, pk: int) -> CycleMember:
    qs = CycleMember.objects.filter(pk=pk).select_related("employee", "snapshot", "cycle")
    found = scope(user, "member.view", qs).first()
    if found is None:
        raise NotFound()
    return found


@dataclass
class DepartmentProgress:
    name: str
    members: int = 0
    without_data: list[str] = field(default_factory=list)
    without_scores: list[str] = field(default_factory=list)
    without_self: list[str] = field(default_factory=list)


def _plans(cycle: Cycle) -> dict[int, Any]:
    """``{snapshot pk: engine plan}`` for a cycle: one query, each snapshot parsed once."""
    return {snapshot.pk: rules(snapshot)[0] for snapshot in CyclePlan.objects.filter(cycle=cycle)}


def _visible_members(user: Any, cycle: Cycle) -> QuerySet[CycleMember]:
    """The cycle's members ``user`` may see, without their snapshot's rules (see ``_plans``)."""
    qs = CycleMember.objects.filter(cycle=cycle).select_related("employee", "department")
    return scope(user, "member.view", qs)


def progress(*, user: Any, cycle: Cycle) -> list[DepartmentProgress]:
    """Per department: who still lacks imported data, manager scores or a self-assessment.

    Four queries whatever the number of members (tested)."""
    require(user, "cycle.dashboard", cycle)
    visible = _visible_members(user, cycle)
    rows = list(visible.order_by("department__sort_order", "department_id", "employee__number"))
    plans = _plans(cycle)
    actuals = defaultdict(set)
    for member_id, key in Actual.objects.filter(member__in=visible.values("pk")).values_list(
        "member_id", "measure_key"
    ):
        actuals[member_id].add(key)
    scored = defaultdict(set)
    for member_id, key in Score.objects.filter(
        member__in=visible.values("pk"), rater_kind="manager"
    ).values_list("member_id", "indicator_key"):
        scored[member_id].add(key)
    needs: dict[int, tuple[list[str], list[str]]] = {}
    for pk, plan in plans.items():
        manual = set(manual_measures(plan))
        imported = [k for k in measure_keys(plan) if k not in manual]
        needs[pk] = (imported, [i.key for i in plan.indicators if i.is_rated and "manager" in i.raters])
    out: dict[int, DepartmentProgress] = {}
    for member in rows:
        imported, rated = needs[member.snapshot_id]
        entry = out.setdefault(member.department_id, DepartmentProgress(member.department.name))
        entry.members += 1
        if any(k not in actuals[member.pk] for k in imported):
            entry.without_data.append(member.employee.name)
        if any(k not in scored[member.pk] for k in rated):
            entry.without_scores.append(member.employee.name)
        if member.self_submitted_at is None:
            entry.without_self.append(member.employee.name)
    return list(out.values())


@dataclass(slots=True)
class Cell:
    member_id: int
    indicator: Any
    kind: str
    value: str = ""
    version: int = 0
    comment: str = ""


@dataclass
class GridRow:
    member: CycleMember
    cells: list[Cell]
    counts: list[tuple[str, str, int]]  # (measure key, value, version)

    @property
    def cells_html(self) -> SafeString:
        return score_cells(self.cells, self.member.pk)


@dataclass
class GridSection:
    title: str
    indicators: list[Any]
    measures: list[tuple[str, str]]
    rows: list[GridRow]

    @property
    def legend_html(self) -> SafeString:
        return rubric_legend(tuple(self.indicators))


def team_grid(*, user: Any, cycle: Cycle, rater_kind: str = "manager") -> list[GridSection]:
    """The members the user rates as ``rater_kind``, one section per plan, with their entries
    so far (a fixed number of queries, whatever the team size: tested)."""
    actor = actor_for(user)
    visible = _visible_members(user, cycle).order_by("department_id", "employee__number")
    team = [m for m in visible if can(user, f"member.score_{rater_kind}", m)]
    if not team:
        return []
    plans = _plans(cycle)
    mine = {
        (member_id, key): (value, version)
        for member_id, key, value, version in Score.objects.filter(
            member__cycle=cycle, rater_id=actor.employee_id, rater_kind=rater_kind
        ).values_list("member_id", "indicator_key", "value", "version")
    }
    counts: dict[tuple[int, str], tuple[str, int]] = {}
    if rater_kind == "manager" and any(manual_measures(plan) for plan in plans.values()):
        counts = {
            (member_id, key): (value, version)
            for member_id, key, value, version in Actual.objects.filter(
                member__in=visible.values("pk")
            ).values_list("member_id", "measure_key", "value", "version")
        }
    sections: dict[int, GridSection] = {}
    for member in team:
        section = sections.get(member.snapshot_id)
        if section is None:
            plan = plans[member.snapshot_id]
            rated = [i for i in plan.indicators if i.is_rated and rater_kind in i.raters]
            labels = measure_labels(plan)
            manual = manual_measures(plan) if rater_kind == "manager" else []
            section = GridSection(plan.name_zh, rated, [(k, labels[k][0]) for k in manual], [])
            sections[member.snapshot_id] = section
        cells = [
            Cell(member.pk, ind, rater_kind, *mine.get((member.pk, ind.key), ("", 0)))
            for ind in section.indicators
        ]
        row_counts = [(key, *counts.get((member.pk, key), ("", 0))) for key, _ in section.measures]
        section.rows.append(GridRow(member, cells, row_counts))
    return list(sections.values())


@dataclass
class EntrySection:
    title: str
    measures: list[tuple[str, str, str]]  # (key, name, unit)
    rows: list[tuple[CycleMember, list[tuple[str, str, int]]]]  # member, [(key, value, version)]


@dataclass
class EntrySheet:
    departments: list[tuple[int, str]]  # the departments the user may enter for, to filter by
    department_id: int | None
    sections: list[EntrySection]


def entry_sheet(*, user: Any, cycle: Cycle, department_id: int | None = None) -> EntrySheet:
    """Manual entry of actuals (手工录入): the members the user may enter for (HR all, a head their
    department), one section per plan, every measure with its value and version so far.

    Refused with a bilingual 409 unless the cycle is open. Four queries whatever the team size.
    """
    require(user, "cycle.actuals", cycle)
    if not cycle.is_open:
        raise JixiaoError(
            zh=f"周期 {cycle.label} 当前为“{cycle.get_state_display()}”，只有在录入与评分期间才能录入实际值。",
            en=f"Cycle {cycle.label} is {cycle.state}; actuals can be entered only while it is open.",
            code="cycle_state",
            status=409,
        )
    visible = _visible_members(user, cycle).order_by(
        "department__sort_order", "department_id", "employee__number"
    )
    allowed = [m for m in visible if can(user, "member.enter_actuals", m)]
    departments = list({m.department_id: (m.department_id, m.department.name) for m in allowed}.values())
    team = [m for m in allowed if department_id is None or m.department_id == department_id]
    plans = _plans(cycle) if team else {}
    entered = Actual.objects.filter(member__in=visible.values("pk"))
    if department_id is not None:
        entered = entered.filter(member__department_id=department_id)
    values = {
        (member_id, key): (value, version)
        for member_id, key, value, version in entered.values_list(
            "member_id", "measure_key", "value", "version"
        )
    }
    sections: dict[int, EntrySection] = {}
    for member in team:
        section = sections.get(member.snapshot_id)
        if section is None:
            plan = plans[member.snapshot_id]
            labels = measure_labels(plan)
            measures = [(k, labels[k][0], labels[k][1]) for k in measure_keys(plan)]
            section = sections[member.snapshot_id] = EntrySection(plan.name_zh, measures, [])
        cells = [(k, *values.get((member.pk, k), ("", 0))) for k, _, _ in section.measures]
        section.rows.append((member, cells))
    return EntrySheet(departments, department_id, list(sections.values()))


@dataclass
class StageDeadline:
    state: str
    label: str
    day: dt.date
    overdue: bool  # the day has passed and the cycle has not yet left that stage


def stage_deadlines(*, cycle: Cycle, today: dt.date) -> list[StageDeadline]:
    """Each stage's deadline (``cycle.deadlines``) in stage order, overdue ones marked."""
    order = [state for state, _ in State.choices]
    reached = order.index(cycle.state) if cycle.state in order else 0
    out = []
    for state, label in State.choices:
        text = (cycle.deadlines or {}).get(state)
        try:
            day = dt.date.fromisoformat(str(text)) if text else None
        except ValueError:
            day = None
        if day is not None:
            out.append(StageDeadline(state, str(label), day, today > day and reached <= order.index(state)))
    return out


def is_rubric(indicator: Any) -> bool:
    return bool(indicator.kind is Kind.RUBRIC)


def my_member(*, user: Any, cycle: Cycle) -> CycleMember | None:
    actor = actor_for(user)
    if actor.employee_id is None:
        return None
    return (
        CycleMember.objects.filter(cycle=cycle, employee_id=actor.employee_id)
        .select_related("snapshot", "cycle", "employee")
        .first()
    )


def results(*, user: Any, cycle: Cycle) -> QuerySet[Result]:
    qs = Result.objects.filter(cycle=cycle).select_related("member__employee", "member__department", "cycle")
    return scope(user, "result.view", qs).order_by("rank_company", "member_id")


def my_results(*, user: Any) -> QuerySet[Result]:
    actor = actor_for(user)
    if actor.employee_id is None:
        return Result.objects.none()
    qs = Result.objects.filter(member__employee_id=actor.employee_id).select_related("cycle", "member")
    return scope(user, "result.view", qs).order_by("-cycle__start")


@dataclass
class Explained:
    result: Result
    person: PersonResult
    plan: Any
    grade_name: str


def result_explained(*, user: Any, pk: int) -> Explained:
    """A result with its trace, re-computed by the engine from the stored inputs. Reading another
    person's result is logged (``result.read``)."""
    qs = Result.objects.filter(pk=pk).select_related("member__employee", "member__snapshot", "cycle")
    result = scope(user, "result.view", qs).first()
    if result is None:
        raise NotFound()
    if result.member.employee_id != actor_for(user).employee_id:
        audit_record(actor=user, action="result.read", obj=result, object_type="cycles.result")
    plan, framework = rules(result.member.snapshot)
    names = {g.key: g.name_zh for g in framework.grades}
    return Explained(
        result, result_explain(result, result.member.snapshot), plan, names.get(result.grade, "")
    )
