"""Read cycles, members, entries and results through ``access`` (§10)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from jixiao.access.actor import actor_for
from jixiao.access.policy import can, require, scope
from jixiao.audit.services import audit_record
from jixiao.common.errors import NotFound
from jixiao.engine.batch import PersonResult
from jixiao.engine.types import Kind

from .calculation import result_explain
from .models import Actual, Cycle, CycleMember, Result, Score
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


def progress(*, user: Any, cycle: Cycle) -> list[DepartmentProgress]:
    """Per department: who still lacks imported data, manager scores or a self-assessment."""
    require(user, "cycle.dashboard", cycle)
    rows = list(members(user=user, cycle=cycle).order_by("department__sort_order", "employee__number"))
    actuals = defaultdict(set)
    for member_id, key in Actual.objects.filter(member__in=rows).values_list("member_id", "measure_key"):
        actuals[member_id].add(key)
    scored = defaultdict(set)
    for member_id, key, kind in Score.objects.filter(member__in=rows).values_list(
        "member_id", "indicator_key", "rater_kind"
    ):
        scored[member_id].add((key, kind))
    out: dict[int, DepartmentProgress] = {}
    for member in rows:
        plan, _ = rules(member.snapshot)
        entry = out.setdefault(member.department_id, DepartmentProgress(member.department.name))
        entry.members += 1
        manual = set(manual_measures(plan))
        imported = [k for k in measure_keys(plan) if k not in manual]
        if any(k not in actuals[member.pk] for k in imported):
            entry.without_data.append(member.employee.name)
        needed = [i.key for i in plan.indicators if i.is_rated and "manager" in i.raters]
        if any((k, "manager") not in scored[member.pk] for k in needed):
            entry.without_scores.append(member.employee.name)
        if member.self_submitted_at is None:
            entry.without_self.append(member.employee.name)
    return list(out.values())


@dataclass
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


@dataclass
class GridSection:
    title: str
    indicators: list[Any]
    measures: list[tuple[str, str]]
    rows: list[GridRow]


def team_grid(*, user: Any, cycle: Cycle, rater_kind: str = "manager") -> list[GridSection]:
    """The members the user rates as ``rater_kind``, one section per plan, with their entries
    so far (a fixed number of queries, whatever the team size)."""
    actor = actor_for(user)
    team = [m for m in members(user=user, cycle=cycle) if can(user, f"member.score_{rater_kind}", m)]
    mine = {
        (s.member_id, s.indicator_key): s
        for s in Score.objects.filter(member__in=team, rater_id=actor.employee_id, rater_kind=rater_kind)
    }
    counts = {(a.member_id, a.measure_key): a for a in Actual.objects.filter(member__in=team)}
    sections: dict[int, GridSection] = {}
    for member in team:
        plan, _ = rules(member.snapshot)
        section = sections.get(member.snapshot_id)
        if section is None:
            rated = [i for i in plan.indicators if i.is_rated and rater_kind in i.raters]
            labels = measure_labels(plan)
            manual = manual_measures(plan) if rater_kind == "manager" else []
            section = GridSection(plan.name_zh, rated, [(k, labels[k][0]) for k in manual], [])
            sections[member.snapshot_id] = section
        cells = []
        for ind in section.indicators:
            score = mine.get((member.pk, ind.key))
            cells.append(
                Cell(member.pk, ind, rater_kind, score.value if score else "", score.version if score else 0)
            )
        row_counts = []
        for key, _ in section.measures:
            actual = counts.get((member.pk, key))
            row_counts.append((key, actual.value if actual else "", actual.version if actual else 0))
        section.rows.append(GridRow(member, cells, row_counts))
    return list(sections.values())


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
