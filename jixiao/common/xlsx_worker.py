"""Child process that parses one workbook with python-calamine and prints it as JSON.

Run only by :func:`jixiao.common.excel.read_xlsx`, under a memory cap. Imports nothing of
Django so it starts fast.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from python_calamine import CalamineWorkbook


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


def main(argv: list[str]) -> int:
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
