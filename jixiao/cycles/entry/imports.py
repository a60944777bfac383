"""KPI actuals import (实际值导入): Excel or CSV (UTF-8 or GBK) in the long form
``工号 | 数据项 | 实际值``, one actual per row.

Built for a million rows (docs/decisions.md, "actuals import at scale"): the rows stream from the
memory-capped calamine child; every row is checked against lookups loaded once (no query per
row); problems name the row, the column and the reason in Chinese and English. Nothing is
written unless the whole file is valid, or the user chose to import the valid rows. The write is
a raw ``executemany`` upsert in chunks of ``CHUNK`` rows, each chunk its own short transaction
under the cycle's state guard, with a pause between chunks so saves from the web are not starved.
An ``actual.import_start`` audit event precedes the first chunk and ``actual.import`` follows the
last, so an import cut off in the middle shows as started and never finished; importing the same
file again completes it (the upsert is idempotent in the values).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from jixiao.access.policy import require
from jixiao.audit.models import AuditEvent
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, Problem
from jixiao.common.excel import header_columns, iter_xlsx_rows, write_xlsx
from jixiao.cycles.lifecycle.locks import cycle_locked
from jixiao.cycles.lifecycle.models import WRITABLE, Cycle, CycleMember, CyclePlan
from jixiao.cycles.lifecycle.snapshot import (
    decimal_or_none,
    manual_measures,
    measure_keys,
    measure_labels,
    rules,
)

from .models import Actual

HEADER = ["工号 number", "姓名 name", "数据项 measure", "数据项名称 measure name", "实际值 value"]
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


def stream_rows(path: Path) -> Iterator[list[Any]]:
    """Rows of an uploaded file, header first, as they are read: xlsx through the capped child,
    CSV as UTF-8 or GBK."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return iter_xlsx_rows(path)
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gbk"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return iter(csv.reader(io.StringIO(text)))
    raise JixiaoError(
        zh="CSV 文件的编码无法识别，请另存为 UTF-8 或 GBK。",
        en="The CSV file's encoding is not UTF-8 or GBK; save it as one of them.",
        code="encoding",
    )


def read_rows(path: Path) -> list[list[Any]]:
    """Every row of an uploaded file, header included (small files; big ones use ``stream_rows``)."""
    return [list(row) for row in stream_rows(path)]


def _columns(header: list[Any]) -> dict[str, int]:
    names = {"number": ("工号", "number"), "measure": ("数据项", "measure"), "value": ("实际值", "value")}
    return header_columns(header, names)


@dataclass
class _Lookups:
    """Everything a row is checked against, loaded once: members by number, measures by plan."""

    members: dict[str, tuple[int, int]]  # employee number → (member pk, snapshot pk)
    measures: dict[int, dict[str, int]]  # snapshot pk → {measure key: measure index}
    names: list[str]  # measure index → key

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
        for snapshot in CyclePlan.objects.filter(cycle=cycle):
            keys = measure_keys(rules(snapshot)[0])
            names += [k for k in keys if k not in names]
            measures[snapshot.pk] = {k: names.index(k) for k in keys}
        return cls(members, measures, names)


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
    columns = _columns(list(header))
    missing = [k for k in ("number", "measure", "value") if k not in columns]
    if missing:
        raise JixiaoError(
            zh="缺少列：" + "、".join(missing) + "。请使用下载的模板。",
            en="Missing columns: " + ", ".join(missing) + ". Use the downloaded template.",
            problems=[Problem(zh="表头不符合模板", en="the header does not match the template", row=1)],
        )
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
    members, measures = lookups.members, lookups.measures
    good: dict[int, str] = {}
    lines: dict[int, int] = {}
    for line, row in enumerate(rows, start=2):
        if len(row) <= last:
            row = [*row, *([None] * (last + 1 - len(row)))]
        raw_number, measure, raw = row[number_at], row[measure_at], row[value_at]
        # Excel keeps every number as a float: 1001 typed as a number is 1001, not "1001.0"
        if isinstance(raw_number, float) and raw_number.is_integer():
            raw_number = int(raw_number)
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        number = "" if raw_number is None else str(raw_number).strip()
        measure = "" if measure is None else str(measure).strip()
        if not number and not measure and (raw is None or not str(raw).strip()):
            continue
        member = members.get(number)
        index = measures[member[1]].get(measure) if member is not None else None
        value = decimal_or_none(raw)
        if member is None or index is None or value is None:
            _problem(report, _row_problem(number, measure, raw, member is None, index is None, line))
            continue
        key = member[0] * width + index
        first = lines.get(key)
        if first is not None:
            _problem(
                report,
                Problem(
                    zh=f"与第 {first} 行重复",
                    en=f"the same employee and measure as row {first}",
                    row=line,
                    column="数据项",
                ),
            )
            continue
        lines[key] = line
        good[key] = str(value)
    return good


def _row_problem(
    number: str, measure: str, raw: Any, no_member: bool, no_measure: bool, line: int
) -> Problem:
    if no_member:
        return Problem(
            zh=f"工号“{number}”不在本周期的考核名单中",
            en=f"employee {number!r} is not in this cycle",
            row=line,
            column="工号",
        )
    if no_measure:
        return Problem(
            zh=f"考核细则中没有数据项“{measure}”",
            en=f"the plan has no measure {measure!r}",
            row=line,
            column="数据项",
        )
    text = "" if raw is None else str(raw).strip()
    return Problem(zh=f"“{text}”不是数字", en=f"{text!r} is not a number", row=line, column="实际值")


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
