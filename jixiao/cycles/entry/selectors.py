"""The entry pages' selectors: the scoring grid, the self-assessment and manual entry of actuals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can, require
from jixiao.common.errors import JixiaoError, NotFound
from jixiao.cycles.lifecycle.models import Cycle, CycleMember
from jixiao.cycles.lifecycle.selectors import cycle_get, my_member, plans_of, visible_members
from jixiao.cycles.lifecycle.snapshot import manual_measures, measure_keys, measure_labels, rules
from jixiao.engine.text import Text

from .cells import rubric_legend, score_cell, score_cells, score_url
from .imports import import_interrupted
from .models import Actual, Score
from .values import measure_range


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


def team_grid(
    *, user: ActingUser, cycle: Cycle, rater_kind: str = "manager", left_only: bool = False
) -> list[GridSection]:
    """The members the user rates as ``rater_kind``, one section per plan, with their entries
    so far (a fixed number of queries, whatever the team size: tested). ``left_only``: only the
    members with a cell still empty (the home page's "score my team" counts these rows)."""
    actor = actor_for(user)
    visible = visible_members(user, cycle).order_by("department_id", "employee__number")
    team = [m for m in visible if can(user, f"member.score_{rater_kind}", m)]
    if not team:
        return []
    plans = plans_of(cycle)
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
        if left_only and all(cell.value != "" for cell in cells):
            continue
        row_counts = [(key, *counts.get((member.pk, key), ("", 0))) for key, _ in section.measures]
        section.rows.append(GridRow(member, cells, row_counts))
    return [section for section in sections.values() if section.rows]


@dataclass
class EntrySection:
    title: str
    measures: list[tuple[str, str, str, Text]]  # (key, name, unit, the values allowed)
    rows: list[tuple[CycleMember, list[tuple[str, str, int]]]]  # member, [(key, value, version)]


@dataclass
class EntrySheet:
    departments: list[tuple[int, str]]  # the departments the user may enter for, to filter by
    department_id: int | None
    sections: list[EntrySection]


def entry_sheet(*, user: ActingUser, cycle: Cycle, department_id: int | None = None) -> EntrySheet:
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
    visible = visible_members(user, cycle).order_by(
        "department__sort_order", "department_id", "employee__number"
    )
    allowed = [m for m in visible if can(user, "member.enter_actuals", m)]
    departments = list({m.department_id: (m.department_id, m.department.name) for m in allowed}.values())
    team = [m for m in allowed if department_id is None or m.department_id == department_id]
    plans = plans_of(cycle) if team else {}
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
            measures = [
                (k, labels[k][0], labels[k][1], measure_range(plan.measure(k))) for k in measure_keys(plan)
            ]
            section = sections[member.snapshot_id] = EntrySection(plan.name_zh, measures, [])
        cells = [(k, *values.get((member.pk, k), ("", 0))) for k, *_ in section.measures]
        section.rows.append((member, cells))
    return EntrySheet(departments, department_id, list(sections.values()))


@dataclass
class GridPage:
    cycle: Cycle
    sections: list[GridSection]
    mine: CycleMember | None = None


def grid_page(*, user: ActingUser, pk: int, rater_kind: str, left_only: bool = False) -> GridPage:
    """The scoring grid of ``rater_kind`` (the self-assessment when ``"self"``); ``left_only``:
    only the members with a score still to give."""
    cycle = cycle_get(user=user, pk=pk)
    sections = team_grid(user=user, cycle=cycle, rater_kind=rater_kind, left_only=left_only)
    mine = my_member(user=user, cycle=cycle) if rater_kind == "self" else None
    return GridPage(cycle, sections, mine)


def score_cell_html(
    *, member: CycleMember, indicator_key: str, kind: str, value: str, version: int, error: str
) -> SafeString:
    """One grid cell answered after a save: the value, its version, and the error if any."""
    plan, _framework = rules(member.snapshot)
    indicator = next((i for i in plan.indicators if i.key == indicator_key), None)
    if indicator is None:  # a request naming no indicator of the plan: no cell to draw
        raise NotFound("该指标不在考核方案中。", "No such indicator in the plan.")
    cell = Cell(member.pk, indicator, kind, value, version)
    return score_cell(cell, score_url(member.pk), error=error, saved=not error)


@dataclass
class ImportPage:
    cycle: Cycle
    interrupted: bool


def import_page(*, user: ActingUser, pk: int) -> ImportPage:
    """The actuals import page (HR): the cycle and whether an import was cut short."""
    cycle = cycle_get(user=user, pk=pk)
    require(user, "cycle.manage")
    return ImportPage(cycle, import_interrupted(cycle))


@dataclass
class EntryPage:
    cycle: Cycle
    sheet: EntrySheet


def entry_page(*, user: ActingUser, pk: int, department_id: int | None) -> EntryPage:
    cycle = cycle_get(user=user, pk=pk)
    return EntryPage(cycle, entry_sheet(user=user, cycle=cycle, department_id=department_id))
