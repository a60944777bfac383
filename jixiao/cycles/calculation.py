"""Close a cycle's scoring: fetch everything as columns, score with the engine's batch form,
store every result in bulk (fetch → compute → store; no query per person).

Re-running is idempotent: the cycle's results are replaced inside the caller's transaction, so
a close killed midway leaves the previous results (or none) exactly as they were.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jixiao.common.errors import JixiaoError
from jixiao.engine import ENGINE_VERSION
from jixiao.engine.batch import CycleInputs, PersonResult, score_batch, score_person
from jixiao.engine.grading import grade_batch, rank_competition
from jixiao.engine.indicators import RatingCell, ScoringError
from jixiao.engine.types import Rater

from .models import Actual, Cycle, CycleMember, CyclePlan, Result, Score
from .snapshot import decimal_or_none, rating_cell, rules

CHUNK = 5000


@dataclass
class _Group:
    snapshot: CyclePlan
    members: list[int]
    departments: list[int]


def _several(values: list[str]) -> RatingCell:
    """Several raters of one kind (peers): the engine averages them."""
    return tuple(number if (number := decimal_or_none(v)) is not None else v for v in values)


def _cell_json(cell: RatingCell) -> Any:
    if isinstance(cell, tuple):
        return [str(c) for c in cell]
    return None if cell is None else str(cell)


def results_calculate(cycle: Cycle) -> int:
    """Compute and store every member's result; return how many. Call inside a transaction."""
    snapshots = {s.pk: s for s in CyclePlan.objects.filter(cycle=cycle)}
    groups: dict[int, _Group] = {}
    where: dict[int, tuple[int, int]] = {}
    for pk, snapshot_id, department_id in (
        CycleMember.objects.filter(cycle=cycle)
        .order_by("pk")
        .values_list("pk", "snapshot_id", "department_id")
    ):
        group = groups.setdefault(snapshot_id, _Group(snapshots[snapshot_id], [], []))
        where[pk] = (snapshot_id, len(group.members))
        group.members.append(pk)
        group.departments.append(department_id)
    measures: dict[int, dict[str, str]] = defaultdict(dict)
    for member_id, key, value in (
        Actual.objects.filter(member__cycle=cycle).values_list("member_id", "measure_key", "value").iterator()
    ):
        measures[member_id][key] = value
    ratings: dict[int, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    scores = Score.objects.filter(member__cycle=cycle).order_by(
        "member_id", "indicator_key", "rater_kind", "rater_id"
    )
    for member_id, ind, kind, value in scores.values_list(
        "member_id", "indicator_key", "rater_kind", "value"
    ).iterator():
        ratings[member_id][(ind, kind)].append(value)
    now = timezone.now()
    rows: list[Result] = []
    totals: list[int] = []
    departments: list[str] = []
    for group in groups.values():
        rows_, totals_ = _score_group(cycle, group, measures, ratings, now)
        rows.extend(rows_)
        totals.extend(totals_)
        departments.extend(str(d) for d in group.departments)
    by_department = rank_competition(totals, departments)
    company = rank_competition(totals)
    for row, rank_d, rank_c in zip(rows, by_department, company, strict=True):
        row.rank_department, row.rank_company = rank_d, rank_c
    Result.objects.filter(cycle=cycle).delete()
    for start in range(0, len(rows), CHUNK):
        Result.objects.bulk_create(rows[start : start + CHUNK])
    return len(rows)


def _score_group(
    cycle: Cycle,
    group: _Group,
    measures: dict[int, dict[str, str]],
    ratings: dict[int, dict[tuple[str, str], list[str]]],
    now: Any,
) -> tuple[list[Result], list[int]]:
    plan, framework = rules(group.snapshot)
    n = len(group.members)
    measure_columns: dict[str, list[Decimal | None]] = {}
    rating_columns: dict[tuple[str, Rater], list[RatingCell]] = {}
    inputs_json: list[dict[str, Any]] = [{"measures": {}, "ratings": []} for _ in range(n)]
    for i, member_id in enumerate(group.members):
        for key, text in measures.get(member_id, {}).items():
            measure_columns.setdefault(key, [None] * n)[i] = decimal_or_none(text)
            inputs_json[i]["measures"][key] = text
        for (ind, kind), values in ratings.get(member_id, {}).items():
            cell: RatingCell = rating_cell(values[0]) if len(values) == 1 else _several(values)
            rating_columns.setdefault((ind, Rater(kind)), [None] * n)[i] = cell
            inputs_json[i]["ratings"].append([ind, kind, _cell_json(cell)])
    try:
        batch = score_batch(
            framework, plan, CycleInputs([str(m) for m in group.members], measure_columns, rating_columns)
        )
    except ScoringError as error:
        raise JixiaoError(
            zh=f"无法计算“{error.item}”：{error.message_zh}",
            en=f"Cannot score {error.item!r}: {error.message_en}",
        ) from error
    grades = grade_batch(framework, batch.total, batch.grade_caps)
    rows = [
        Result(
            member_id=member_id,
            cycle=cycle,
            total_milli=batch.total[i],
            weighted_milli=batch.weighted[i],
            bonus_milli=batch.bonus[i],
            deduction_milli=batch.deduction[i],
            grade=grades.grade[i],
            engine_grade=grades.grade[i],
            coefficient=str(grades.coefficient[i]),
            rank_department=0,
            rank_company=0,
            vetoes=list(batch.vetoes[i]),
            grade_capped=grades.capped_by_veto[i],
            bonus_void=batch.bonus_void[i],
            missing=list(batch.missing[i]),
            contributions={k: v[i] for k, v in batch.contributions.items()},
            inputs=inputs_json[i],
            engine_version=ENGINE_VERSION,
            computed_at=now,
        )
        for i, member_id in enumerate(group.members)
    ]
    return rows, batch.total


def _cell_from_json(value: Any) -> RatingCell:
    if isinstance(value, list):
        return _several(value)
    return None if value is None else rating_cell(value)


def result_explain(result: Result, snapshot: CyclePlan) -> PersonResult:
    """Re-run the engine on the result's stored inputs: the same figures, with the full trace."""
    plan, framework = rules(snapshot)
    stored = result.inputs
    measures = {k: decimal_or_none(v) for k, v in stored.get("measures", {}).items()}
    ratings = {(ind, Rater(kind)): _cell_from_json(cell) for ind, kind, cell in stored.get("ratings", [])}
    return score_person(framework, plan, str(result.member_id), measures, ratings)
