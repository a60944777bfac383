"""Child process that parses one workbook with python-calamine and prints it as JSON.

Run only by :func:`jixiao.common.excel.read_xlsx` (the whole workbook as one JSON object) and
:func:`jixiao.common.excel.iter_xlsx_rows` (``--stream``: one sheet as JSON lines of up to
``BATCH`` rows each, so neither process holds the file's rows twice), under a memory cap.
Imports nothing of Django so it starts fast.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from python_calamine import CalamineWorkbook

BATCH = 5000


def cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if value == "":
        return None
    return value


def stream(path: str, wanted: str | None) -> int:
    workbook = CalamineWorkbook.from_path(path)
    if wanted is not None and wanted not in workbook.sheet_names:
        return 3
    sheet = workbook.get_sheet_by_name(wanted) if wanted else workbook.get_sheet_by_index(0)
    batch: list[list[Any]] = []
    write = sys.stdout.write
    # No Python per cell: json calls ``cell`` only for what it cannot encode (dates, times);
    # empty cells stay "" and the reader treats them as empty.
    for row in sheet.iter_rows():
        batch.append(row)
        if len(batch) >= BATCH:
            write(json.dumps(batch, ensure_ascii=False, default=cell) + "\n")
            batch = []
    if batch:
        write(json.dumps(batch, ensure_ascii=False, default=cell) + "\n")
    return 0


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--stream":
        return stream(argv[1], argv[2] if len(argv) > 2 else None)
    path, wanted = argv[0], set(argv[1:])
    workbook = CalamineWorkbook.from_path(path)
    sheets = {}
    for name in workbook.sheet_names:
        if wanted and name not in wanted:
            continue
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sheets[name] = [[cell(value) for value in row] for row in rows]
    json.dump(sheets, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
