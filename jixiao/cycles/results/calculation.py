"""Close a cycle's scoring: fetch everything as columns, score with the engine's batch form,
store every result in bulk (fetch → compute → store; no query per person).

Three steps, each reporting progress through an optional callback ``(phase, done, total)``
with phase ``reading``, ``computing`` or ``storing``:
- ``results_compute`` reads members, actuals and scores as plain rows (``values_list``
  iterators, no model instances) and runs the engine per plan snapshot; no writes.
- ``results_store`` replaces the cycle's results with raw ``executemany`` (SQLite, MariaDB) or
  ``COPY`` (PostgreSQL) in chunks, inside the caller's transaction: a close killed midway
  leaves the previous results (or none) exactly as they were, and a re-run gives the same rows.
- ``inputs_fingerprint`` lets the service compute *before* taking the write lock and check,
  under the lock, that no actual or score changed meanwhile (see ``cycle_close_scoring``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Sum
from django.utils import timezone

from jixiao.common.errors import JixiaoError
from jixiao.cycles.calibration.models import CalibrationMove
from jixiao.cycles.entry.models import Actual, Score
from jixiao.cycles.lifecycle.models import Cycle, CycleMember, CyclePlan
from jixiao.cycles.lifecycle.snapshot import decimal_or_none, rating_cell, rules
from jixiao.engine import ENGINE_VERSION
from jixiao.engine.batch import CycleInputs as EngineInputs
from jixiao.engine.batch import PersonResult, score_batch, score_person
from jixiao.engine.grading import grade_batch, rank_competition
from jixiao.engine.indicators import RatingCell, ScoringError
from jixiao.engine.types import Rater

from .models import Result

Progress = Callable[[str, int, int], None]
_dumps = json.dumps  # what Django's JSONField stores: json.dumps with its defaults
CHUNK = 5000  # rows per executemany / progress step
READ_CHUNK = 20000
COLUMNS = (
    "member_id", "cycle_id", "total_milli", "weighted_milli", "bonus_milli", "deduction_milli", "grade",
    "engine_grade", "coefficient", "rank_department", "rank_company", "vetoes", "grade_capped",
    "bonus_void", "missing", "contributions", "inputs", "engine_version", "computed_at",
)  # fmt: skip


def _quiet(phase: str, done: int, total: int) -> None:
    """The progress callback when nobody listens."""


@dataclass
class _Group:
    """The members under one plan snapshot, as engine columns."""

    snapshot: CyclePlan
    members: list[int] = field(default_factory=list)
    departments: list[int] = field(default_factory=list)
    measures: dict[str, list[Decimal | None]] = field(default_factory=dict)
    ratings: dict[tuple[str, Rater], list[RatingCell]] = field(default_factory=dict)
    # each member's inputs as JSON fragments, joined into the stored text at the end
    measure_json: list[list[str]] = field(default_factory=list)
    rating_json: list[list[str]] = field(default_factory=list)


@dataclass
class Computed:
    """Every result row of a cycle, ready to store (``COLUMNS`` order)."""

    rows: list[tuple[Any, ...]]


def _several(values: list[str]) -> RatingCell:
    """Several raters of one kind (peers): the engine averages them."""
    return tuple(number if (number := decimal_or_none(v)) is not None else v for v in values)


def _cell_json(cell: RatingCell) -> Any:
    if isinstance(cell, tuple):
        return [str(c) for c in cell]
    return None if cell is None else str(cell)


def inputs_fingerprint(cycle: Cycle) -> tuple[Any, ...]:
    """What changes whenever any actual or score of the cycle is added, changed or removed.

    An insert raises the highest id (ids are never reused: AUTOINCREMENT on SQLite, sequences
    elsewhere), an update raises ``updated_at`` and the sum of versions, a delete lowers the count.
    """
    figures: list[Any] = []
    for model in (Actual, Score):
        row = model.objects.filter(member__cycle=cycle).aggregate(
            n=Count("pk"), top=Max("pk"), changed=Max("updated_at"), versions=Sum("version")
        )
        figures.extend((row["n"], row["top"], row["changed"], row["versions"]))
    return tuple(figures)


def _stream(rows: Iterable[tuple[Any, ...]], offset: int, total: int, progress: Progress) -> Iterator[Any]:
    for done, row in enumerate(rows, offset + 1):
        if done % READ_CHUNK == 0:
            progress("reading", min(done, total), total)
        yield row


def _read(cycle: Cycle, progress: Progress) -> dict[int, _Group]:
    """Load members, actuals and scores straight into per-snapshot engine columns."""
    snapshots = {s.pk: s for s in CyclePlan.objects.filter(cycle=cycle)}
    groups: dict[int, _Group] = {}
    where: dict[int, tuple[_Group, int]] = {}
    members = CycleMember.objects.filter(cycle=cycle).order_by("pk")
    for pk, snapshot_id, department_id in members.values_list("pk", "snapshot_id", "department_id").iterator(
        chunk_size=READ_CHUNK
    ):
        group = groups.get(snapshot_id)
        if group is None:
            group = groups[snapshot_id] = _Group(snapshots[snapshot_id])
        where[pk] = (group, len(group.members))
        group.members.append(pk)
        group.departments.append(department_id)
        group.measure_json.append([])
        group.rating_json.append([])
    actuals = Actual.objects.filter(member__cycle=cycle)
    scores = Score.objects.filter(member__cycle=cycle)
    actual_count = actuals.count()
    total = len(where) + actual_count + scores.count()
    progress("reading", len(where), total)
    numbers: dict[str, Decimal | None] = {}  # the same text is parsed once
    rows = _raw(actuals.values_list("member_id", "measure_key", "value"))
    for member_id, key, text in _stream(rows, len(where), total, progress):
        group, i = where[member_id]
        if text not in numbers:
            numbers[text] = decimal_or_none(text)
        column = group.measures.get(key)
        if column is None:
            column = group.measures[key] = [None] * len(group.members)
        column[i] = numbers[text]
        group.measure_json[i].append(f"{_dumps(key)}: {_dumps(text)}")
    ordered = scores.order_by("member_id", "indicator_key", "rater_kind", "rater_id")
    rows = _raw(ordered.values_list("member_id", "indicator_key", "rater_kind", "value"))
    put = _Placer(where)
    current: tuple[int, str, str] | None = None
    values: list[str] = []
    for member_id, ind, kind, text in _stream(rows, len(where) + actual_count, total, progress):
        if (member_id, ind, kind) != current:
            put(current, values)
            current, values = (member_id, ind, kind), []
        values.append(text)
    put(current, values)
    progress("reading", total, total)
    return groups


def _raw(queryset: Any) -> Iterator[tuple[Any, ...]]:
    """The queryset's rows as plain tuples from a raw cursor, fetched in chunks."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(READ_CHUNK):
            yield from chunk


class _Placer:
    """Place one member's ratings of one kind for one indicator into the group's columns."""

    def __init__(self, where: dict[int, tuple[_Group, int]]) -> None:
        self.where = where
        self.cells: dict[tuple[str, str, str], tuple[RatingCell, str]] = {}
        self.raters: dict[str, Rater] = {}

    def __call__(self, key: tuple[int, str, str] | None, values: list[str]) -> None:
        if key is None:
            return
        member_id, ind, kind = key
        group, i = self.where[member_id]
        if len(values) == 1:
            known = self.cells.get((ind, kind, values[0]))
            if known is None:
                cell = rating_cell(values[0])
                known = self.cells[(ind, kind, values[0])] = (cell, _dumps([ind, kind, _cell_json(cell)]))
            cell, text = known
        else:
            cell = _several(values)
            text = _dumps([ind, kind, _cell_json(cell)])
        rater = self.raters.get(kind) or self.raters.setdefault(kind, Rater(kind))
        column = group.ratings.get((ind, rater))
        if column is None:
            column = group.ratings[(ind, rater)] = [None] * len(group.members)
        column[i] = cell
        group.rating_json[i].append(text)


def results_compute(cycle: Cycle, progress: Progress | None = None) -> Computed:
    """Read the cycle's inputs and compute every member's result; write nothing."""
    progress = progress or _quiet
    groups = _read(cycle, progress)
    people = sum(len(g.members) for g in groups.values())
    progress("computing", 0, people)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows: list[list[Any]] = []
    totals: list[int] = []
    departments: list[str] = []
    for group in groups.values():
        rows_, totals_ = _score_group(cycle, group, now)
        rows.extend(rows_)
        totals.extend(totals_)
        departments.extend(str(d) for d in group.departments)
        progress("computing", len(rows), people)
    by_department = rank_competition(totals, departments)
    company = rank_competition(totals)
    for row, rank_d, rank_c in zip(rows, by_department, company, strict=True):
        row[9], row[10] = rank_d, rank_c
    return Computed([tuple(row) for row in rows])


def _score_group(cycle: Cycle, group: _Group, now: Any) -> tuple[list[list[Any]], list[int]]:
    plan, framework = rules(group.snapshot)
    persons = [str(m) for m in group.members]
    try:
        batch = score_batch(framework, plan, EngineInputs(persons, group.measures, group.ratings))
    except ScoringError as error:
        raise JixiaoError(
            zh=f"无法计算“{error.item}”：{error.message_zh}",
            en=f"Cannot score {error.item!r}: {error.message_en}",
        ) from error
    grades = grade_batch(framework, batch.total, batch.grade_caps)
    keys = [(_dumps(k), v) for k, v in batch.contributions.items()]
    lists: dict[tuple[str, ...], str] = {}  # vetoes and missing: mostly the same few lists

    def listed(items: tuple[str, ...]) -> str:
        text = lists.get(items)
        if text is None:
            text = lists[items] = _dumps(list(items))
        return text

    def contributions(i: int) -> str:
        return "{" + ", ".join(f"{k}: {'null' if v[i] is None else v[i]}" for k, v in keys) + "}"

    def inputs(i: int) -> str:
        measures, ratings = ", ".join(group.measure_json[i]), ", ".join(group.rating_json[i])
        return f'{{"measures": {{{measures}}}, "ratings": [{ratings}]}}'

    rows = [
        [
            member_id,
            cycle.pk,
            batch.total[i],
            batch.weighted[i],
            batch.bonus[i],
            batch.deduction[i],
            grades.grade[i],
            grades.grade[i],
            str(grades.coefficient[i]),
            0,
            0,
            listed(batch.vetoes[i]),
            grades.capped_by_veto[i],
            batch.bonus_void[i],
            listed(batch.missing[i]),
            contributions(i),
            inputs(i),
            ENGINE_VERSION,
            now,
        ]
        for i, member_id in enumerate(group.members)
    ]
    return rows, batch.total


def results_store(cycle: Cycle, computed: Computed, progress: Progress | None = None) -> int:
    """Replace the cycle's results with ``computed``; return how many. Call inside a transaction.

    Rows that point at a result and go with it (calibration moves) are removed first, as the
    ORM's cascade would; the results themselves go in one DELETE, the new ones in chunks.
    """
    progress = progress or _quiet
    rows, total = computed.rows, len(computed.rows)
    pause = float(getattr(settings, "JIXIAO_CLOSE_STORE_PAUSE", 0) or 0)
    CalibrationMove.objects.filter(cycle=cycle).delete()
    table = Result._meta.db_table
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in COLUMNS)
    progress("storing", 0, total)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote('cycle_id')} = %s", [cycle.pk])
        for start in range(0, total, CHUNK):
            chunk = rows[start : start + CHUNK]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(COLUMNS))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", chunk)
            progress("storing", start + len(chunk), total)
            if pause:  # a test knob: lets a kill land while the results are half written
                time.sleep(pause)
    return total


def results_calculate(cycle: Cycle, progress: Progress | None = None) -> int:
    """Compute and store every member's result; return how many. Call inside a transaction."""
    return results_store(cycle, results_compute(cycle, progress), progress)


def _cell_from_json(value: Any) -> RatingCell:
    if isinstance(value, list):
        return _several(value)
    return None if value is None else rating_cell(value)


def result_explain(result: Result, snapshot: CyclePlan) -> PersonResult:
    """Re-run the engine on the result's stored inputs: the same figures, with the full trace."""
    return inputs_explain(snapshot, result.member_id, result.inputs)


def inputs_explain(snapshot: CyclePlan, member_id: int, stored: dict[str, Any]) -> PersonResult:
    """The engine's result, with its trace, for inputs in the stored form (``Result.inputs``)."""
    plan, framework = rules(snapshot)
    measures = {k: decimal_or_none(v) for k, v in stored.get("measures", {}).items()}
    ratings = {(ind, Rater(kind)): _cell_from_json(cell) for ind, kind, cell in stored.get("ratings", [])}
    return score_person(framework, plan, str(member_id), measures, ratings)


JSON_COLUMNS = ("vetoes", "missing", "contributions", "inputs")


def result_row(cycle: Cycle, member: CycleMember, stored: dict[str, Any]) -> dict[str, Any]:
    """One member's result row (``COLUMNS`` → value, JSON columns parsed, ranks 0) for inputs in
    the stored form, computed by the very code that closes scoring: a one-member group through
    ``_score_group``. A recheck (复核) uses it, so a recomputed result is what the batch gives."""
    group = _Group(member.snapshot, [member.pk], [member.department_id], measure_json=[[]], rating_json=[[]])
    for key, text in stored.get("measures", {}).items():
        group.measures[key] = [decimal_or_none(text)]
        group.measure_json[0].append(f"{_dumps(key)}: {_dumps(text)}")
    for ind, kind, value in stored.get("ratings", []):
        cell = _cell_from_json(value)
        group.ratings[(ind, Rater(kind))] = [cell]
        group.rating_json[0].append(_dumps([ind, kind, _cell_json(cell)]))
    now = timezone.now()
    rows, _totals = _score_group(cycle, group, now)
    row = dict(zip(COLUMNS, rows[0], strict=True))
    for name in JSON_COLUMNS:
        row[name] = json.loads(row[name])
    return row
