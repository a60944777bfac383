"""Calibration (校准, §3): the committee compares each group's grade distribution with the
framework's quotas and moves grades with a recorded reason before the cycle is verified.

- Groups are the departments of the cycle and the company as a whole. Quota counts, the
  rounding rule and the small-group exemption are the engine's (``engine.grading``).
- With enforced quotas (``quota_enforced``), ``verify`` and ``publish`` are refused until every
  non-exempt *department* meets them; the company-wide line is shown for comparison only
  (per-department and company-wide rounding can contradict each other; docs/decisions.md).
- A move (:func:`calibration_move`) changes the current grade and its coefficient, keeps the
  engine's grade in ``Result.engine_grade``, and is recorded as a ``CalibrationMove`` and an
  audit event with before, after and reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jixiao.access.policy import can, require, scope
from jixiao.audit.services import audit_record
from jixiao.common.errors import Conflict, JixiaoError, NotFound
from jixiao.engine import types as engine
from jixiao.engine.grading import GroupDistribution, QuotaLine, QuotaStatus, check_distribution
from jixiao.engine.money import round_half_up

from . import services
from .guards import guard
from .models import CalibrationMove, Cycle, CyclePlan, Result, State
from .snapshot import rules

COMPANY = "company"
HISTORY_CYCLES = 6
PEOPLE_LIMIT = 300


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
        return [] if self.exempt else [line for line in self.lines if line.status != "ok"]


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


def _grade_name(grade: engine.Grade) -> str:
    english = (get_language() or "").startswith("en")
    return grade.name_en if english and grade.name_en else grade.name_zh


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
        status = str(bad[0].status) if bad else "ok"
        lines.append(
            GradeLine(
                grade.key, _grade_name(grade), before.get(grade.key, 0), count, _percent(count, checked.size),
                quota, status, bad[0].excess if bad else 0,
            )
        )  # fmt: skip
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


def quota_problems(cycle: Cycle) -> list[tuple[str, str]]:
    """``(zh, en)`` for every grade of a non-exempt department off an *enforced* quota."""
    out: list[tuple[str, str]] = []
    for group in distribution(cycle):
        if group.key == COMPANY or not group.enforced:
            continue
        for line in group.problems:
            n = abs(line.excess)
            if line.status == "over":
                out.append(
                    (f"{group.name}：{line.key} 等级 {line.count} 人，超出上限（{line.quota}）{n} 人",
                     f"{group.name}: grade {line.key} has {line.count}, {n} over its quota ({line.quota})")
                )  # fmt: skip
            else:
                out.append(
                    (f"{group.name}：{line.key} 等级 {line.count} 人，低于下限（{line.quota}）{n} 人",
                     f"{group.name}: grade {line.key} has {line.count}, {n} under its quota ({line.quota})")
                )  # fmt: skip
    return out


@guard("verify")
@guard("publish")
def quotas_met(cycle: Cycle) -> None:
    """Refuse to verify or publish while an enforced quota is not met (advisory quotas only warn)."""
    problems = quota_problems(cycle)
    if problems:
        raise JixiaoError(
            zh="强制分布配额未满足，请先校准：" + "；".join(zh for zh, _en in problems) + "。",
            en="Enforced distribution quotas are not met; calibrate first: "
            + "; ".join(en for _zh, en in problems)
            + ".",
            code="quota",
            status=409,
        )


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


def calibration_page(*, user: Any, cycle: Cycle, department_id: int | None = None) -> Calibration:
    """Everything the calibration page shows: groups, people (of one department when asked; at
    most ``PEOPLE_LIMIT``), moves so far, history."""
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
    grade_names: list[tuple[str, str]] = []
    if groups:
        grade_names = [(line.key, line.name) for line in groups[-1].lines]
    return Calibration(
        cycle=cycle,
        grades=grade_names,
        groups=groups,
        people=people[:PEOPLE_LIMIT],
        movable={r.pk for r in people if can(user, "calibration.move", r)},
        moves=moves,
        history=history(cycle, [k for k, _name in grade_names]),
        open_for_moves=cycle.state == State.HR_CHECKED,
        enforced=any(g.enforced for g in groups),
        department_id=department_id,
        more=len(people) > PEOPLE_LIMIT,
    )


def result_for_move(*, user: Any, pk: int) -> Result:
    """The result to move, if the user may read it (404 otherwise, revealing nothing)."""
    qs = Result.objects.filter(pk=pk).select_related("member__snapshot", "cycle")
    found = scope(user, "result.view", qs).first()
    if found is None:
        raise NotFound()
    return found


def _veto_cap(result: Result, plan: engine.Plan, framework: engine.Framework) -> str | None:
    """The worst grade a veto on the result caps it at (None when no veto caps it)."""
    order = {g.key: i for i, g in enumerate(framework.grades)}
    caps = [
        ind.veto_grade
        for ind in plan.indicators
        if ind.key in result.vetoes and ind.veto_grade is not None and ind.veto_grade in order
    ]
    return max(caps, key=lambda g: order[g]) if caps else None


def calibration_move(
    *, user: Any, result: Result, to_grade: str, reason: str, expected_grade: str, expected_moves: int
) -> Result:
    """Move ``result`` to ``to_grade`` with a stated reason, while the cycle is HR-checked.

    ``expected_grade`` and ``expected_moves`` are what the user saw: if another committee member
    moved the result meanwhile, the move is refused (409) rather than overwriting theirs. The
    coefficient becomes the new grade's coefficient in the cycle's framework snapshot. A veto's
    grade cap (一票否决) cannot be calibrated away.
    """
    require(user, "calibration.move", result)
    reason = reason.strip()
    if not reason:
        raise JixiaoError(
            zh="请写明调整等级的原因。", en="State the reason for moving the grade.", code="reason"
        )
    with transaction.atomic():
        services.cycle_locked(result.cycle_id, (State.HR_CHECKED,))
        result = Result.objects.select_for_update().select_related("member__snapshot").get(pk=result.pk)
        if result.grade != expected_grade or result.calibration_moves.count() != expected_moves:
            raise Conflict(
                zh=f"该员工的等级已被他人调整为 {result.grade}，请刷新后再决定。",
                en=f"Someone else has moved this grade to {result.grade}; reload and decide again.",
            )
        plan, framework = rules(result.member.snapshot)
        keys = [g.key for g in framework.grades]
        if to_grade not in keys:
            raise JixiaoError(zh=f"没有等级“{to_grade}”。", en=f"There is no grade {to_grade!r}.")
        if to_grade == result.grade:
            raise JixiaoError(zh="新等级与当前等级相同。", en="The new grade is the current grade.")
        cap = _veto_cap(result, plan, framework)
        if cap is not None and keys.index(to_grade) < keys.index(cap):
            raise JixiaoError(
                zh=f"该员工发生一票否决事项，等级最高为 {cap}，校准不能突破。",
                en=f"A veto caps this result at grade {cap}; calibration cannot lift it.",
            )
        before = {"grade": result.grade, "coefficient": result.coefficient}
        result.grade = to_grade
        result.coefficient = str(framework.grade(to_grade).coefficient)
        result.save(update_fields=["grade", "coefficient"])
        move = CalibrationMove.objects.create(
            cycle_id=result.cycle_id, result=result, from_grade=before["grade"], to_grade=to_grade,
            reason=reason, moved_by=user,
        )  # fmt: skip
        audit_record(
            actor=user,
            action="result.calibrate",
            obj=result,
            before=before,
            after={"grade": result.grade, "coefficient": result.coefficient, "move": move.pk},
            reason=reason,
        )
    return result


def can_calibrate(user: Any, cycle: Cycle) -> bool:
    return can(user, "calibration.view", cycle)


def calibration_notice(result: Result) -> CalibrationMove | None:
    """The move to tell the reader about when calibration changed the result's grade (None if
    it did not, or a later move put the engine's grade back)."""
    if not result.engine_grade or result.grade == result.engine_grade:
        return None
    return result.calibration_moves.order_by("-created_at", "-pk").first()
