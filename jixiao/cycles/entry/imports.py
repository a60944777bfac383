"""KPI actuals import (实际值导入): Excel or CSV (UTF-8, GB18030 or GBK) in the long form
``工号 | 数据项 | 实际值``, one actual per row.

Built for a million rows (docs/decisions.md, "actuals import at scale"): the rows stream from the
memory-capped child (xlsx and CSV alike, ``common.spreadsheet.stream_rows``); every row is
checked against lookups loaded once (no query per row), each value against its measure's declared
range; problems name the row, the column and the reason in Chinese and English. Nothing is
written unless the whole file is valid, or the user chose to import the valid rows. The write is
a raw ``executemany`` upsert in chunks of ``CHUNK`` rows, each chunk its own short transaction
under the cycle's state guard, with a pause between chunks so saves from the web are not starved.
An ``actual.import_start`` audit event precedes the first chunk and ``actual.import`` follows the
last, so an import cut off in the middle shows as started and never finished; importing the same
file again completes it (the upsert is idempotent in the values).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from jixiao.access.policy import require
from jixiao.audit.models import AuditEvent
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, Problem
from jixiao.common.excel import write_xlsx
from jixiao.common.spreadsheet import Column, cell_text, header_check
from jixiao.cycles.lifecycle.locks import cycle_locked
from jixiao.cycles.lifecycle.models import WRITABLE, Cycle, CycleMember, CyclePlan
from jixiao.cycles.lifecycle.snapshot import (
    manual_measures,
    measure_keys,
    measure_labels,
    rules,
)
from jixiao.engine.types import Measure

from .models import Actual
from .values import measure_value_check

COLUMNS = (
    Column("number", "工号", "number"),
    Column("name", "姓名", "name", required=False),
    Column("measure", "数据项", "measure"),
    Column("measure_name", "数据项名称", "measure name", required=False),
    Column("value", "实际值", "value"),
)
HEADER = [f"{c.zh} {c.en}" for c in COLUMNS]
SHEET = "实际值"
CHUNK = 2_500  # rows per write transaction: ~20 ms of write lock on SQLite here
PAUSE_SECONDS = 0.015  # between chunks, so a waiting web save gets the write lock
MAX_PROBLEMS = 1000  # problems kept for the report; the count covers all of them


@dataclass
class ImportReport:
    written: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    invalid: int = 0  # rows with a problem, including those beyond MAX_PROBLEMS
    seconds: dict[str, float] = field(default_factory=dict)  # per phase: read_check, write


def actuals_template(cycle: Cycle) -> io.BytesIO:
    """A workbook with one row per member and imported measure, the value left blank."""
    rows: list[list[Any]] = []
    imported: dict[int, list[tuple[str, str]]] = {}
    for snapshot in CyclePlan.objects.filter(cycle=cycle):
        plan, _ = rules(snapshot)
        manual = set(manual_measures(plan))
        imported[snapshot.pk] = [
            (key, f"{name}（{unit}）" if unit else name)
            for key, (name, unit) in measure_labels(plan).items()
            if key not in manual
        ]
    members = CycleMember.objects.filter(cycle=cycle).order_by("employee__number")
    for number, name, snapshot_id in members.values_list("employee__number", "employee__name", "snapshot_id"):
        rows += [[number, name, key, label, None] for key, label in imported[snapshot_id]]
    return write_xlsx({SHEET: (HEADER, rows)}, {SHEET: [14, 12, 20, 24, 14]})


@dataclass
class _Lookups:
    """Everything a row is checked against, loaded once: members by number, measures by plan."""

    members: dict[str, tuple[int, int]]  # employee number → (member pk, snapshot pk)
    measures: dict[int, dict[str, int]]  # snapshot pk → {measure key: measure index}
    names: list[str]  # measure index → key
    kinds: dict[tuple[int, int], Measure]  # (snapshot pk, measure index) → its declared range

    @classmethod
    def load(cls, cycle: Cycle) -> _Lookups:
        members = {
            number: (pk, snapshot_id)
            for pk, number, snapshot_id in CycleMember.objects.filter(cycle=cycle).values_list(
                "pk", "employee__number", "snapshot_id"
            )
        }
        names: list[str] = []
        measures: dict[int, dict[str, int]] = {}
        kinds: dict[tuple[int, int], Measure] = {}
        for snapshot in CyclePlan.objects.filter(cycle=cycle):
            plan = rules(snapshot)[0]
            keys = measure_keys(plan)
            names += [k for k in keys if k not in names]
            measures[snapshot.pk] = {k: names.index(k) for k in keys}
            kinds.update({(snapshot.pk, names.index(k)): plan.measure(k) for k in keys})
        return cls(members, measures, names, kinds)


def actuals_import(
    *, user: Any, cycle: Cycle, rows: Iterable[list[Any]], valid_rows_only: bool = False
) -> ImportReport:
    """Check every row, then write all of them (or, when asked, the valid ones) in chunks."""
    require(user, "cycle.manage")
    started = time.perf_counter()  # the first row waits for calamine to parse the whole sheet
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        raise JixiaoError(zh="文件是空的。", en="The file is empty.")
    columns = header_check(list(header), COLUMNS)
    _refuse_unless_writable(cycle)
    report = ImportReport()
    lookups = _Lookups.load(cycle)
    good = _check_rows(iterator, columns, lookups, report)
    report.seconds["read_check"] = time.perf_counter() - started
    if report.invalid and not valid_rows_only:
        raise JixiaoError(
            zh=f"文件中有 {report.invalid} 处错误，未导入任何数据。",
            en=f"The file has {report.invalid} errors; nothing was imported.",
            code="import_invalid",
            problems=report.problems,
        )
    report.skipped = report.invalid
    started = time.perf_counter()
    report.written = _write(user, cycle, good, lookups.names, report)
    report.seconds["write"] = time.perf_counter() - started
    return report


def _refuse_unless_writable(cycle: Cycle) -> None:
    """Refuse early (before reading a million rows) when the cycle takes no data; the write
    checks again under the lock, chunk by chunk."""
    if cycle.state not in WRITABLE:
        with transaction.atomic():
            cycle_locked(cycle.pk, WRITABLE)


def _check_rows(
    rows: Iterator[list[Any]], columns: dict[str, int], lookups: _Lookups, report: ImportReport
) -> dict[int, str]:
    """``{member pk × width + measure index: value text}`` for the good rows; problems into the report."""
    width = max(1, len(lookups.names))
    number_at, measure_at, value_at = columns["number"], columns["measure"], columns["value"]
    last = max(columns.values())
    good: dict[int, str] = {}
    lines: dict[int, int] = {}
    for line, row in enumerate(rows, start=2):
        if len(row) <= last:
            row = [*row, *([None] * (last + 1 - len(row)))]
        number, measure, raw = cell_text(row[number_at]), cell_text(row[measure_at]), cell_text(row[value_at])
        if not number and not measure and not raw:
            continue
        found = _row_value(lookups, number, measure, raw, line)
        if isinstance(found, Problem):
            _problem(report, found)
            continue
        key = found[0] * width + found[1]
        first = lines.get(key)
        if first is not None:
            zh, en = f"与第 {first} 行重复", f"the same employee and measure as row {first}"
            _problem(report, Problem(zh=zh, en=en, row=line, column="数据项"))
            continue
        lines[key] = line
        good[key] = found[2]
    return good


def _row_value(
    lookups: _Lookups, number: str, measure: str, raw: str, line: int
) -> tuple[int, int, str] | Problem:
    """(member pk, measure index, value text) of a row, or the problem with it: an unknown
    employee or measure, a formula, or a value outside the measure's declared range."""
    member = lookups.members.get(number)
    if member is None:
        return Problem(
            zh=f"工号“{number}”不在本周期的考核名单中",
            en=f"employee {number!r} is not in this cycle",
            row=line,
            column="工号",
        )
    index = lookups.measures[member[1]].get(measure)
    if index is None:
        return Problem(
            zh=f"考核细则中没有数据项“{measure}”",
            en=f"the plan has no measure {measure!r}",
            row=line,
            column="数据项",
        )
    if raw.startswith("="):
        return Problem(
            zh=f"“{raw[:40]}”是公式，不是数值；请在 Excel 中粘贴为数值后再导出",
            en=f"{raw[:40]!r} is a formula, not a value; paste it as a value in Excel and export again",
            row=line,
            column="实际值",
        )
    try:
        value = measure_value_check(lookups.kinds[(member[1], index)], raw)
    except JixiaoError as refused:
        return Problem(zh=refused.zh, en=refused.en, row=line, column="实际值")
    return member[0], index, str(value)


def _problem(report: ImportReport, problem: Problem) -> None:
    report.invalid += 1
    if len(report.problems) < MAX_PROBLEMS:
        report.problems.append(problem)


def _upsert_sql() -> str:
    """One row's upsert: insert, or replace the value and count the version up."""
    q = connection.ops.quote_name
    table = q(Actual._meta.db_table)
    columns = "member_id, measure_key, value, source, entered_by_id, version, created_at, updated_at"
    insert = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, 1, %s, %s)"
    if connection.vendor == "mysql":
        return (
            f"{insert} ON DUPLICATE KEY UPDATE value = VALUES(value), source = VALUES(source), "
            "entered_by_id = VALUES(entered_by_id), version = version + 1, updated_at = VALUES(updated_at)"
        )
    return (
        f"{insert} ON CONFLICT (member_id, measure_key) DO UPDATE SET value = EXCLUDED.value, "
        f"source = EXCLUDED.source, entered_by_id = EXCLUDED.entered_by_id, "
        f"version = {table}.version + 1, updated_at = EXCLUDED.updated_at"
    )


def _write(user: Any, cycle: Cycle, good: dict[int, str], names: list[str], report: ImportReport) -> int:
    """Upsert the good rows in chunks, each in its own transaction under the cycle's state guard.

    Inside a caller's transaction (tests, the demo loader) the chunks are savepoints of it and
    nothing pauses: holding the lock while asleep would help nobody.
    """
    width = max(1, len(names))
    pause = 0.0 if connection.in_atomic_block else PAUSE_SECONDS
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    entered_by = getattr(user, "pk", None)
    source = Actual.Source.IMPORT.value
    sql = _upsert_sql()
    with transaction.atomic():
        cycle_locked(cycle.pk, WRITABLE)
        audit_record(actor=user, action="actual.import_start", obj=cycle, after={"rows": len(good)})
    items = iter(good.items())
    written = 0
    while chunk := [
        (key // width, names[key % width], value, source, entered_by, now, now)
        for key, value in islice(items, CHUNK)
    ]:
        with transaction.atomic():
            cycle_locked(cycle.pk, WRITABLE)
            with connection.cursor() as cursor:
                cursor.executemany(sql, chunk)
        written += len(chunk)
        if pause:
            time.sleep(pause)
    with transaction.atomic():
        cycle_locked(cycle.pk, WRITABLE)
        audit_record(
            actor=user,
            action="actual.import",
            obj=cycle,
            after={"written": written, "skipped": report.skipped},
        )
    return written


def import_interrupted(cycle: Cycle) -> bool:
    """Whether the cycle's newest import started and never finished (cut off, or still running)."""
    newest = (
        AuditEvent.objects.filter(
            object_type="cycles.cycle",
            object_id=str(cycle.pk),
            action__in=("actual.import_start", "actual.import"),
        )
        .order_by("-seq")
        .values_list("action", flat=True)
        .first()
    )
    return newest == "actual.import_start"
