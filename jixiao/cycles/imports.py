"""KPI actuals import (实际值导入): Excel or CSV (UTF-8 or GBK) in the long form
``工号 | 数据项 | 实际值``, one actual per row.

Every row is checked first; problems name the row, the column and the reason in Chinese and
English. Nothing is written unless the whole file is valid, or the user chose to import the
valid rows. Writes are in bulk with one audit event for the import.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from jixiao.access.policy import require
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, Problem
from jixiao.common.excel import read_xlsx, write_xlsx

from .models import Actual, Cycle, CycleMember
from .services import cycle_locked
from .snapshot import decimal_or_none, measure_keys, measure_labels, rules
from .workflow import WRITABLE

HEADER = ["工号 number", "姓名 name", "数据项 measure", "数据项名称 measure name", "实际值 value"]
SHEET = "实际值"


@dataclass
class ImportReport:
    written: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)


def actuals_template(cycle: Cycle) -> io.BytesIO:
    """A workbook with one row per member and imported measure, the value left blank."""
    rows: list[list[Any]] = []
    members = (
        CycleMember.objects.filter(cycle=cycle)
        .select_related("employee", "snapshot")
        .order_by("employee__number")
    )
    for member in members:
        plan, _ = rules(member.snapshot)
        manual = {k for k in measure_keys(plan) if k in _manual(plan)}
        for key, (name, unit) in measure_labels(plan).items():
            if key not in manual:
                rows.append(
                    [
                        member.employee.number,
                        member.employee.name,
                        key,
                        f"{name}（{unit}）" if unit else name,
                        None,
                    ]
                )
    return write_xlsx({SHEET: (HEADER, rows)}, {SHEET: [14, 12, 20, 24, 14]})


def _manual(plan: Any) -> set[str]:
    from .snapshot import manual_measures

    return set(manual_measures(plan))


def read_rows(path: Path) -> list[list[Any]]:
    """Rows of an uploaded file, header included: xlsx through the safe reader, CSV as UTF-8 or GBK."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = read_xlsx(path)
        return next(iter(sheets.values()), [])
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gbk"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [list(row) for row in csv.reader(io.StringIO(text))]
    raise JixiaoError(
        zh="CSV 文件的编码无法识别，请另存为 UTF-8 或 GBK。",
        en="The CSV file's encoding is not UTF-8 or GBK; save it as one of them.",
        code="encoding",
    )


def _columns(header: list[Any]) -> dict[str, int]:
    names = {"number": ("工号", "number"), "measure": ("数据项", "measure"), "value": ("实际值", "value")}
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        text = str(title or "").strip().lower()
        for key, words in names.items():
            if key not in found and any(text == w or text.startswith(w + " ") for w in words):
                found[key] = index
    return found


def actuals_import(
    *, user: Any, cycle: Cycle, rows: list[list[Any]], valid_rows_only: bool = False
) -> ImportReport:
    """Check every row, then write all of them (or, when asked, the valid ones) in bulk."""
    require(user, "cycle.manage")
    if not rows:
        raise JixiaoError(zh="文件是空的。", en="The file is empty.")
    columns = _columns(rows[0])
    missing = [k for k in ("number", "measure", "value") if k not in columns]
    if missing:
        raise JixiaoError(
            zh="缺少列：" + "、".join(missing) + "。请使用下载的模板。",
            en="Missing columns: " + ", ".join(missing) + ". Use the downloaded template.",
            problems=[Problem(zh="表头不符合模板", en="the header does not match the template", row=1)],
        )
    members = {
        number: (pk, snapshot_id)
        for pk, number, snapshot_id in CycleMember.objects.filter(cycle=cycle).values_list(
            "pk", "employee__number", "snapshot_id"
        )
    }
    known = {s.pk: set(measure_keys(rules(s)[0])) for s in cycle.plans.all()}
    report = ImportReport()
    good: dict[tuple[int, str], str] = {}
    seen: dict[tuple[int, str], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = [row[i] if i < len(row) else None for i in range(max(columns.values()) + 1)]
        number = str(cells[columns["number"]] or "").strip()
        measure = str(cells[columns["measure"]] or "").strip()
        raw = cells[columns["value"]]
        value = "" if raw is None else str(raw).strip()
        if not number and not measure and not value:
            continue
        problem = _check(number, measure, value, members, known, line, seen)
        if problem is not None:
            report.problems.append(problem)
            continue
        member_pk = members[number][0]
        good[(member_pk, measure)] = str(decimal_or_none(value))
        seen[(member_pk, measure)] = line
    if report.problems and not valid_rows_only:
        raise JixiaoError(
            zh=f"文件中有 {len(report.problems)} 处错误，未导入任何数据。",
            en=f"The file has {len(report.problems)} errors; nothing was imported.",
            code="import_invalid",
            problems=report.problems,
        )
    report.skipped = len(report.problems)
    with transaction.atomic():
        cycle_locked(cycle.pk, WRITABLE)
        report.written = _write(user, good)
        audit_record(
            actor=user,
            action="actual.import",
            obj=cycle,
            after={"written": report.written, "skipped": report.skipped},
        )
    return report


def _check(
    number: str,
    measure: str,
    value: str,
    members: dict[str, tuple[int, int]],
    known: dict[int, set[str]],
    line: int,
    seen: dict[tuple[int, str], int],
) -> Problem | None:
    if number not in members:
        return Problem(
            zh=f"工号“{number}”不在本周期的考核名单中",
            en=f"employee {number!r} is not in this cycle",
            row=line,
            column="工号",
        )
    member_pk, snapshot_id = members[number]
    if measure not in known[snapshot_id]:
        return Problem(
            zh=f"考核细则中没有数据项“{measure}”",
            en=f"the plan has no measure {measure!r}",
            row=line,
            column="数据项",
        )
    if decimal_or_none(value) is None:
        return Problem(zh=f"“{value}”不是数字", en=f"{value!r} is not a number", row=line, column="实际值")
    if (member_pk, measure) in seen:
        first = seen[(member_pk, measure)]
        return Problem(
            zh=f"与第 {first} 行重复",
            en=f"the same employee and measure as row {first}",
            row=line,
            column="数据项",
        )
    return None


def _write(user: Any, good: dict[tuple[int, str], str]) -> int:
    """Upsert the actuals: replaced rows keep counting their version up."""
    member_ids = {m for m, _ in good}
    existing = {
        (m, k): v
        for m, k, v in Actual.objects.filter(member_id__in=member_ids).values_list(
            "member_id", "measure_key", "version"
        )
    }
    replaced = [key for key in good if key in existing]
    for member_id in {m for m, _ in replaced}:
        keys = [k for m, k in replaced if m == member_id]
        Actual.objects.filter(member_id=member_id, measure_key__in=keys).delete()
    rows = [
        Actual(
            member_id=m,
            measure_key=k,
            value=v,
            source=Actual.Source.IMPORT,
            entered_by=user if getattr(user, "pk", None) else None,
            version=existing.get((m, k), 0) + 1,
        )
        for (m, k), v in good.items()
    ]
    Actual.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
