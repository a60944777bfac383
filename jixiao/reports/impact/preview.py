"""The impact preview's figures: fetch the last closed cycles' stored inputs → the engine → rows.

What is read (a fixed number of queries whatever the number of people):
- the plan's last ``n`` cycles whose scoring has closed (results exist) that ran a version of it
  (same code); a plan whose code never ran (a new plan) is tried on the members of its
  department (and its positions, when it names some) in that department's last cycles;
- each member's stored result: the inputs the close scored (``Result.inputs``: actuals and
  scores as text, updated by any recheck), the figures it stored and the grade after calibration;
- each cycle's pay run (released, else the latest computed) and its lines' stored inputs.

What is computed, per (cycle, plan snapshot): :func:`jixiao.engine.impact.preview_batch` on the
columns the close would build, with the snapshot's framework (the framework in force for that
cycle, so that only the plan differs) and the snapshot's plan (old) or the proposed version
(new); per person with a pay line, :func:`jixiao.engine.impact.monthly_bonus` with each side's
coefficient and veto. The old side reproduces what the close stored (tests prove it).

The result is cached under the plan version's row version, ``n``, the engine version and a
fingerprint of the cycles' results, calibrations and pay runs, so any recheck, recalculation or new pay run
recomputes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Sum

from jixiao.common.errors import JixiaoError
from jixiao.cycles.calibration.models import CalibrationMove
from jixiao.cycles.lifecycle.models import COMPUTED, Cycle, CyclePlan
from jixiao.cycles.lifecycle.snapshot import decimal_or_none, rating_cell, rules
from jixiao.cycles.results.models import Result
from jixiao.engine import ENGINE_VERSION, toml_format
from jixiao.engine import types as engine
from jixiao.engine.batch import CycleInputs
from jixiao.engine.explain import MISSING_NOTES
from jixiao.engine.grading import QuotaStatus, check_distribution
from jixiao.engine.impact import PersonImpact, monthly_bonus, preview_batch
from jixiao.engine.indicators import RatingCell, ScoringError
from jixiao.engine.pay import MonthlyInputs
from jixiao.engine.text import Text
from jixiao.pay.monthly.models import RUN_CURRENT, RUN_RELEASED, MonthlyPayLine, MonthlyPayRun
from jixiao.plans.adapters import engine_plan
from jixiao.plans.models import Plan

N_DEFAULT = 3
N_MAX = 12
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Row:
    """One person in one cycle, under the version in force (old) and the proposed one (new)."""

    cycle_id: int
    cycle_label: str
    number: str
    name: str
    old_total: Decimal
    new_total: Decimal
    old_grade: str
    new_grade: str
    calibrated: str  # the grade after calibration when it differs from the engine's old grade
    old_bonus: int | None  # fen; None: the month has no pay line for them
    new_bonus: int | None
    mover: Text | None  # the indicator that moved a person whose grade changes
    mover_change: Decimal | None
    no_data: tuple[Text, ...]  # the new version's indicators this person has no data for

    @property
    def grade_changed(self) -> bool:
        return self.old_grade != self.new_grade

    @property
    def score_change(self) -> Decimal:
        return self.new_total - self.old_total

    @property
    def bonus_change(self) -> int | None:
        if self.old_bonus is None or self.new_bonus is None:
            return None
        return self.new_bonus - self.old_bonus


@dataclass(frozen=True)
class IndicatorChange:
    """An indicator of the old or the new version and what the new version does to it."""

    name: Text
    old_weight: Decimal | None  # None: not in the old version
    new_weight: Decimal | None  # None: removed
    rules_changed: bool
    with_data: int  # people of the previewed cycles with data for it (new indicators)


@dataclass(frozen=True)
class QuotaRow:
    """One grade's quota in one cycle (强制分布), checked on the old and the new grades."""

    cycle_label: str
    grade: str
    limit: str  # "max" (at most) or "min" (at least)
    share: Decimal
    allowed: int  # the people the share allows (max) or requires (min) in this group
    old_count: int
    new_count: int
    old_ok: bool
    new_ok: bool
    exempt: bool  # a group smaller than the framework's quota_min_group


@dataclass(frozen=True)
class Impact:
    """Everything the preview shows, before access decides who sees the money."""

    n: int
    cycles: tuple[tuple[int, str, bool], ...]  # (id, label, has pay lines), newest first
    rows: tuple[Row, ...]
    grades: tuple[tuple[str, Text], ...]  # best first
    changes: tuple[IndicatorChange, ...]
    missing_rule: Text
    by_code: bool  # False: a new plan tried on its department's people
    framework_differs: bool = False  # the new version names another framework version
    quotas: tuple[QuotaRow, ...] = ()
    notes: tuple[Text, ...] = field(default=())


def parse_n(value: Any) -> int:
    """How many closed cycles to preview: a whole number from 1 to 12 (3 when not given)."""
    if value is None or value == "":
        return N_DEFAULT
    text = str(value).strip()
    if len(text) <= 2 and text.isascii() and text.isdigit() and 1 <= int(text) <= N_MAX:
        return int(text)
    raise JixiaoError(
        zh=f"周期数应为 1 到 {N_MAX} 的整数。",
        en=f"The number of cycles must be a whole number from 1 to {N_MAX}.",
        code="impact_n",
    )


def _cycles(plan: Plan, n: int) -> tuple[list[Cycle], bool]:
    closed = Cycle.objects.filter(state__in=COMPUTED).order_by("-start", "-pk")
    by_code = list(closed.filter(plans__plan__code=plan.code).distinct()[:n])
    if by_code:
        return by_code, True
    return list(closed.filter(departments=plan.department_id).distinct()[:n]), False


def _results(plan: Plan, cycles: list[Cycle], by_code: bool) -> Iterable[tuple[Any, ...]]:
    results = Result.objects.filter(cycle__in=cycles)
    if by_code:
        results = results.filter(member__snapshot__plan__code=plan.code)
    else:
        results = results.filter(member__department_id=plan.department_id)
        positions = [p.pk for p in plan.positions.all()]
        if positions:
            results = results.filter(member__position_id__in=positions)
    return results.order_by("cycle_id", "member__employee__number").values_list(
        "cycle_id",
        "member__snapshot_id",
        "member__employee_id",
        "member__employee__number",
        "member__employee__name",
        "inputs",
        "grade",
    )


def fingerprint(cycles: list[Cycle]) -> str:
    """What changes whenever a result of these cycles, a calibration of them or their pay runs
    change (three queries)."""
    ids = [c.pk for c in cycles]
    results = Result.objects.filter(cycle_id__in=ids).aggregate(
        n=Count("pk"), top=Max("pk"), revisions=Sum("revision"), at=Max("computed_at")
    )
    runs = list(
        MonthlyPayRun.objects.filter(cycle_id__in=ids, status__in=RUN_CURRENT)
        .order_by("pk")
        .values_list("pk", "status", "version")
    )
    moves = CalibrationMove.objects.filter(cycle_id__in=ids).aggregate(n=Count("pk"), top=Max("pk"))
    text = repr((ids, sorted(results.items()), runs, sorted(moves.items())))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def impact_of(plan: Plan, n: int) -> Impact:
    """The preview of ``plan`` on its last ``n`` closed cycles (cached; see the module)."""
    cycles, by_code = _cycles(plan, n)
    key = f"impact:{plan.pk}:{plan.version}:{n}:{ENGINE_VERSION}:{fingerprint(cycles)}"
    found = cache.get(key)
    if isinstance(found, Impact):
        return found
    impact = _compute(plan, n, cycles, by_code)
    cache.set(key, impact, CACHE_SECONDS)
    return impact


def _new_rules(plan: Plan) -> engine.Plan:
    try:
        return engine_plan(plan)
    except toml_format.FormatError as error:
        raise JixiaoError(
            zh=f"新版本的内容无法读取（{error.path}：{error.message_zh}），请先修正。",
            en=f"The new version cannot be read ({error.path}: {error.message_en}); correct it first.",
            code="impact_format",
        ) from error


@dataclass
class _Group:
    """The members of one cycle under one snapshot, as the engine's columns."""

    cycle: Cycle
    snapshot: CyclePlan
    people: list[tuple[int, str, str, str]] = field(default_factory=list)  # employee, number, name, grade
    measures: dict[str, list[Decimal | None]] = field(default_factory=dict)
    ratings: dict[tuple[str, engine.Rater], list[RatingCell]] = field(default_factory=dict)

    def add(self, person: tuple[int, str, str, str], stored: dict[str, Any]) -> None:
        """Append one member's stored inputs; a column nobody had yet starts with None above."""
        i = len(self.people)
        self.people.append(person)
        for key, text in stored.get("measures", {}).items():
            self.measures.setdefault(key, [None] * i).append(decimal_or_none(text))
        for ind, kind, cell in stored.get("ratings", []):
            self.ratings.setdefault((ind, engine.Rater(kind)), [None] * i).append(_cell(cell))
        for measure in self.measures.values():
            measure.extend([None] * (i + 1 - len(measure)))
        for rating in self.ratings.values():
            rating.extend([None] * (i + 1 - len(rating)))

    def inputs(self) -> CycleInputs:
        return CycleInputs([str(p[0]) for p in self.people], self.measures, self.ratings)


def _cell(value: Any) -> RatingCell:
    """A stored rating as the close read it: several raters of a kind as a tuple."""
    if isinstance(value, list):
        return tuple(n if (n := decimal_or_none(v)) is not None else str(v) for v in value)
    return None if value is None else rating_cell(str(value))


def _groups(plan: Plan, cycles: list[Cycle], by_code: bool) -> list[_Group]:
    snapshots = {s.pk: s for s in CyclePlan.objects.filter(cycle__in=cycles)}
    by_cycle = {c.pk: c for c in cycles}
    groups: dict[tuple[int, int], _Group] = {}
    for cycle_id, snapshot_id, employee_id, number, name, stored, grade in _results(plan, cycles, by_code):
        group = groups.get((cycle_id, snapshot_id))
        if group is None:
            group = groups[(cycle_id, snapshot_id)] = _Group(by_cycle[cycle_id], snapshots[snapshot_id])
        group.add((employee_id, number, name, grade), stored or {})
    return sorted(groups.values(), key=lambda g: (-g.cycle.start.toordinal(), g.snapshot.pk))


def _pay_lines(cycles: list[Cycle]) -> dict[tuple[int, int], MonthlyInputs]:
    """{(cycle id, employee id): the stored inputs of their pay line} from each cycle's run."""
    runs: dict[int, tuple[bool, int]] = {}
    for pk, cycle_id, status in MonthlyPayRun.objects.filter(
        cycle__in=cycles, status__in=RUN_CURRENT
    ).values_list("pk", "cycle_id", "status"):
        rank = (status in RUN_RELEASED, pk)
        if cycle_id not in runs or rank > runs[cycle_id]:
            runs[cycle_id] = rank
    chosen = {pk: cycle_id for cycle_id, (_, pk) in runs.items()}
    lines: dict[tuple[int, int], MonthlyInputs] = {}
    for run_id, employee_id, stored in MonthlyPayLine.objects.filter(run_id__in=chosen).values_list(
        "run_id", "employee_id", "inputs"
    ):
        if stored and "month" in stored:
            lines[(chosen[run_id], employee_id)] = MonthlyInputs.from_json(stored)
    return lines


def _names(*plans: engine.Plan) -> dict[str, Text]:
    names: dict[str, Text] = {}
    for p in plans:
        for ind in p.indicators:
            names[ind.key] = Text(ind.name_zh, ind.name_en or ind.name_zh)
    return names


def _score(group: _Group, new: engine.Plan) -> list[PersonImpact]:
    old, framework = rules(group.snapshot)
    try:
        return preview_batch(framework, old, new, group.inputs())
    except ScoringError as error:
        raise JixiaoError(
            zh=f"{group.cycle.label}：无法计算“{error.item}”：{error.message_zh}",
            en=f"{group.cycle.label}: cannot score {error.item!r}: {error.message_en}",
            code="impact_scoring",
        ) from error


def _bonus(line: MonthlyInputs | None, coefficient: Decimal, void: bool) -> int | None:
    return None if line is None else monthly_bonus(line, coefficient, void)


def _rows(group: _Group, new: engine.Plan, lines: dict[tuple[int, int], MonthlyInputs]) -> list[Row]:
    old_plan, _ = rules(group.snapshot)
    names = _names(old_plan, new)
    new_keys = {i.key for i in new.indicators}
    rows = []
    for (employee_id, number, name, grade), person in zip(group.people, _score(group, new), strict=True):
        line = lines.get((group.cycle.pk, employee_id))
        mover = person.mover
        rows.append(
            Row(
                cycle_id=group.cycle.pk,
                cycle_label=group.cycle.label,
                number=number,
                name=name,
                old_total=person.old.total,
                new_total=person.new.total,
                old_grade=person.old.grade,
                new_grade=person.new.grade,
                calibrated=grade if grade and grade != person.old.grade else "",
                old_bonus=_bonus(line, person.old.coefficient, person.old.bonus_void),
                new_bonus=_bonus(line, person.new.coefficient, person.new.bonus_void),
                mover=names.get(mover.key, Text(mover.key)) if mover else None,
                mover_change=mover.change if mover else None,
                no_data=tuple(names[k] for k in person.new.missing if k in new_keys),
            )
        )
    return rows


def _changes(old: engine.Plan | None, new: engine.Plan, rows: list[Row]) -> tuple[IndicatorChange, ...]:
    before = {i.key: i for i in (old.indicators if old else ())}
    after = {i.key: i for i in new.indicators}
    names = _names(*([old] if old else []), new)
    out = []
    for key in [*after, *(k for k in before if k not in after)]:
        a, b = before.get(key), after.get(key)
        lacking = sum(1 for r in rows if names[key] in r.no_data)
        out.append(
            IndicatorChange(
                name=names[key],
                old_weight=a.weight if a else None,
                new_weight=b.weight if b else None,
                rules_changed=a is not None and b is not None and a != b,
                with_data=len(rows) - lacking,
            )
        )
    return tuple(out)


def _grades(groups: list[_Group]) -> tuple[tuple[str, Text], ...]:
    grades: dict[str, Text] = {}
    for group in groups:
        for g in rules(group.snapshot)[1].grades:
            grades.setdefault(g.key, Text(f"{g.key} {g.name_zh}".strip(), f"{g.key} {g.name_en}".strip()))
    return tuple(grades.items())


def _quotas(groups: list[_Group], rows: list[Row]) -> tuple[QuotaRow, ...]:
    """Each cycle's grades against its framework's quotas, old and new (the cycle's people under
    this plan as one group, as calibration checks a department)."""
    out: list[QuotaRow] = []
    seen: set[int] = set()
    for group in groups:
        if group.cycle.pk in seen:
            continue
        seen.add(group.cycle.pk)
        framework = rules(group.snapshot)[1]
        mine = [r for r in rows if r.cycle_id == group.cycle.pk]
        old = check_distribution(framework, [r.old_grade for r in mine])
        new = check_distribution(framework, [r.new_grade for r in mine])
        if not old or not new:
            continue
        for before, after in zip(old[0].lines, new[0].lines, strict=True):
            out.append(
                QuotaRow(
                    cycle_label=group.cycle.label,
                    grade=before.grade,
                    limit=before.limit,
                    share=before.quota_share,
                    allowed=before.quota_count,
                    old_count=before.count,
                    new_count=after.count,
                    old_ok=old[0].exempt or before.status is QuotaStatus.OK,
                    new_ok=new[0].exempt or after.status is QuotaStatus.OK,
                    exempt=old[0].exempt,
                )
            )
    return tuple(out)


def _compute(plan: Plan, n: int, cycles: list[Cycle], by_code: bool) -> Impact:
    new = _new_rules(plan)
    groups = _groups(plan, cycles, by_code)
    lines = _pay_lines(cycles)
    rows: list[Row] = []
    for group in groups:
        rows.extend(_rows(group, new, lines))
    latest = groups[0].snapshot if groups else None
    old_plan, framework = rules(latest) if latest else (None, None)
    missing = framework.missing_data if framework else engine.MissingData.BLOCK
    paid = {cycle_id for cycle_id, _ in lines}
    return Impact(
        n=n,
        cycles=tuple((c.pk, c.label, c.pk in paid) for c in cycles),
        rows=tuple(rows),
        grades=_grades(groups),
        changes=_changes(old_plan, new, rows),
        missing_rule=MISSING_NOTES[missing],
        by_code=by_code,
        framework_differs=latest is not None and latest.framework_id != plan.framework_id,
        quotas=_quotas(groups, rows),
    )
