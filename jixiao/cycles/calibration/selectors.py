"""Read what calibration (校准, §3) shows: each group's grade distribution against the
framework's quotas, the people to move, the moves so far and each department's history.

Groups are the departments of the cycle and the company as a whole; quota counts, the rounding
rule and the small-group exemption are the engine's (``engine.grading``). The company-wide line
is shown for comparison only (per-department and company-wide rounding can contradict each
other; docs/decisions.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from jixiao.access.actor import ActingUser
from jixiao.access.policy import can, require, scope
from jixiao.common.errors import NotFound
from jixiao.common.text import Text, named
from jixiao.cycles.lifecycle.models import Cycle, CyclePlan, State
from jixiao.cycles.lifecycle.snapshot import rules
from jixiao.cycles.results.models import Result
from jixiao.engine import types as engine
from jixiao.engine.grading import GroupDistribution, QuotaLine, QuotaStatus, check_distribution
from jixiao.engine.money import round_half_up

from .models import CalibrationMove

COMPANY = "company"
HISTORY_CYCLES = 6
PEOPLE_LIMIT = 300
# Moves are taken while HR has checked the summaries and before the committee verifies.
MOVABLE = frozenset({State.HR_CHECKED})


@dataclass(frozen=True)
class GradeLine:
    """One grade of one group: engine and current counts against the quota."""

    key: str
    name: str
    engine_count: int
    count: int
    share: str  # "20.0%"
    quota: str  # "≤ 3", "≥ 1" or ""
    status: str  # "ok" | "over" | "under"
    excess: int  # how many over (+) or under (−)

    @property
    def gap(self) -> int:
        return abs(self.excess)

    @property
    def is_over(self) -> bool:
        return self.status == QuotaStatus.OVER

    @property
    def is_under(self) -> bool:
        return self.status == QuotaStatus.UNDER

    @property
    def is_off(self) -> bool:
        return self.status != QuotaStatus.OK


@dataclass
class Group:
    key: str  # department id as text, or "company"
    name: str
    size: int
    exempt: bool
    enforced: bool
    lines: list[GradeLine]
    min_group: int

    @property
    def problems(self) -> list[GradeLine]:
        return [] if self.exempt else [line for line in self.lines if line.is_off]


@dataclass
class HistoryRow:
    label: str
    size: int
    counts: list[int]
    current: bool = False


@dataclass
class History:
    department: str
    grades: list[str]
    rows: list[HistoryRow] = field(default_factory=list)


@dataclass
class Calibration:
    cycle: Cycle
    grades: list[tuple[str, str]]  # (key, name), best first
    groups: list[Group]
    people: Sequence[Result]
    movable: set[int]
    moves: list[CalibrationMove]
    history: list[History]
    open_for_moves: bool
    enforced: bool
    department_id: int | None = None
    more: bool = False  # more people than PEOPLE_LIMIT: the page asks to choose a department


def _percent(count: int, size: int) -> str:
    share = Decimal(count) * 100 / size if size else Decimal(0)
    return f"{round_half_up(share, Decimal('0.1'))}%"


def _group(
    key: str, name: str, framework: engine.Framework, engine_grades: list[str], grades: list[str]
) -> Group:
    checked: GroupDistribution = check_distribution(framework, grades)[0]
    before = Counter(engine_grades)
    by_grade: dict[str, list[QuotaLine]] = defaultdict(list)
    for line in checked.lines:
        by_grade[line.grade].append(line)
    lines: list[GradeLine] = []
    for grade in framework.grades:
        count = checked.counts.get(grade.key, 0)
        quotas = by_grade.get(grade.key, [])
        quota = " ".join(f"{'≤' if q.limit == 'max' else '≥'} {q.quota_count}" for q in quotas)
        bad = [q for q in quotas if q.status is not QuotaStatus.OK]
        lines.append(
            GradeLine(
                grade.key,
                named(grade, "name_zh", "name_en"),
                before.get(grade.key, 0),
                count,
                _percent(count, checked.size),
                quota,
                str(bad[0].status) if bad else "ok",
                bad[0].excess if bad else 0,
            )
        )
    return Group(
        key, name, checked.size, checked.exempt, framework.quota_enforced, lines, framework.quota_min_group
    )


def distribution(cycle: Cycle) -> list[Group]:
    """Every department of the cycle, then the company as a whole (no access check: callers do).

    A department is measured against the framework of its members' snapshot. A cycle normally
    runs under one framework; if plans sit under different versions, the company line uses the
    framework most members are under.
    """
    snapshots = {s.pk: s for s in CyclePlan.objects.filter(cycle=cycle)}
    engine_grades: dict[int, list[str]] = defaultdict(list)
    grades: dict[int, list[str]] = defaultdict(list)
    names: dict[int, str] = {}
    snapshot_of: dict[int, int] = {}
    weight: Counter[int] = Counter()
    rows = Result.objects.filter(cycle=cycle).order_by(
        "member__department__sort_order", "member__department_id"
    )
    for department_id, name, snapshot_id, engine_grade, grade in rows.values_list(
        "member__department_id", "member__department__name", "member__snapshot_id", "engine_grade", "grade"
    ).iterator():
        names[department_id] = name
        snapshot_of.setdefault(department_id, snapshot_id)
        weight[snapshot_id] += 1
        engine_grades[department_id].append(engine_grade or grade)
        grades[department_id].append(grade)
    if not names:
        return []
    groups = [
        _group(str(d), names[d], rules(snapshots[snapshot_of[d]])[1], engine_grades[d], grades[d])
        for d in names
    ]
    company = rules(snapshots[weight.most_common(1)[0][0]])[1]
    everyone = [g for d in names for g in grades[d]]
    everyone_before = [g for d in names for g in engine_grades[d]]
    groups.append(_group(COMPANY, _("全公司"), company, everyone_before, everyone))
    return groups


def quota_problems(cycle: Cycle) -> list[Text]:
    """One sentence for every grade of a non-exempt department off an *enforced* quota."""
    out: list[Text] = []
    for group in distribution(cycle):
        if group.key == COMPANY or not group.enforced:
            continue
        for line in group.problems:
            n, g = line.gap, group.name
            if line.is_over:
                out.append(
                    Text(
                        f"{g}：{line.key} 等级 {line.count} 人，超出上限（{line.quota}）{n} 人",
                        f"{g}: grade {line.key} has {line.count}, {n} over its quota ({line.quota})",
                    )
                )
            else:
                out.append(
                    Text(
                        f"{g}：{line.key} 等级 {line.count} 人，低于下限（{line.quota}）{n} 人",
                        f"{g}: grade {line.key} has {line.count}, {n} under its quota ({line.quota})",
                    )
                )
    return out


def _history_counts(
    shown: list[Cycle], department_ids: QuerySet[Any]
) -> tuple[dict[tuple[int, int], Counter[str]], dict[int, str]]:
    counts: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    names: dict[int, str] = {}
    rows = (
        Result.objects.filter(cycle__in=shown, member__department_id__in=department_ids)
        .values_list("cycle_id", "member__department_id", "member__department__name", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for cycle_id, department_id, name, grade, n in rows:
        counts[(department_id, cycle_id)][grade] += n
        names[department_id] = name
    return counts, names


def history(cycle: Cycle, grades: list[str]) -> list[History]:
    """Per department of ``cycle``: its grade counts in the last few earlier cycles and this one."""
    department_ids = cycle.departments.values("pk")
    earlier = list(
        Cycle.objects.filter(departments__in=department_ids, start__lt=cycle.start)
        .exclude(pk=cycle.pk)
        .distinct()
        .order_by("-start")[:HISTORY_CYCLES]
    )
    shown = [cycle, *earlier]
    counts, names = _history_counts(shown, department_ids)
    out: list[History] = []
    for department_id in sorted(names, key=lambda d: names[d]):
        table = History(names[department_id], grades)
        for c in shown:
            counter = counts.get((department_id, c.pk))
            if counter:
                table.rows.append(
                    HistoryRow(
                        c.label, sum(counter.values()), [counter.get(g, 0) for g in grades], c.pk == cycle.pk
                    )
                )
        out.append(table)
    return out


def calibration_page(*, user: ActingUser, cycle: Cycle, department_id: int | None = None) -> Calibration:
    """Everything the calibration page shows: groups, people (of one department when asked; at
    most ``PEOPLE_LIMIT``), moves so far, history. The query count does not grow with people."""
    require(user, "calibration.view", cycle)
    groups = distribution(cycle)
    qs = Result.objects.filter(cycle=cycle).select_related("member__employee", "member__department", "cycle")
    if department_id is not None:
        qs = qs.filter(member__department_id=department_id)
    people = list(
        scope(user, "result.view", qs)
        .annotate(moves_n=Count("calibration_moves"))
        .order_by("member__department__sort_order", "member__department_id", "rank_department", "member_id")[
            : PEOPLE_LIMIT + 1
        ]
    )
    moves = list(
        CalibrationMove.objects.filter(cycle=cycle).select_related("result__member__employee", "moved_by")
    )
    grade_names = [(line.key, line.name) for line in groups[-1].lines] if groups else []
    return Calibration(
        cycle=cycle,
        grades=grade_names,
        groups=groups,
        people=people[:PEOPLE_LIMIT],
        movable={r.pk for r in people if can(user, "calibration.move", r)},
        moves=moves,
        history=history(cycle, [k for k, _name in grade_names]),
        open_for_moves=cycle.state in MOVABLE,
        enforced=any(g.enforced for g in groups),
        department_id=department_id,
        more=len(people) > PEOPLE_LIMIT,
    )


def result_for_move(*, user: ActingUser, pk: int) -> Result:
    """The result to move, if the user may read it (404 otherwise, revealing nothing)."""
    qs = Result.objects.filter(pk=pk).select_related("member__snapshot", "cycle")
    found = scope(user, "result.view", qs).first()
    if found is None:
        raise NotFound()
    return found


def calibration_notice(result: Result) -> CalibrationMove | None:
    """The move to tell the reader about when calibration changed the result's grade (None if
    it did not, or a later move put the engine's grade back). One query, for a result's page."""
    if not result.engine_grade or result.grade == result.engine_grade:
        return None
    return result.calibration_moves.order_by("-created_at", "-pk").first()
