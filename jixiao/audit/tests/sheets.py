"""Read a downloaded workbook back, whatever its layout: the rows of the table whose header row
starts with a given title (test helper for every list's Excel download)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from jixiao.common.excel import read_xlsx

NO_DATA = {"无数据", "No data"}


def workbook_sheets(response: Any) -> dict[str, list[list[Any]]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:2] == b"PK", "not an xlsx"
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(body)
        handle.flush()
        return read_xlsx(Path(handle.name))


def table_in(response: Any, header: list[str]) -> list[list[Any]]:
    """The data rows under the header row ``header`` (found in any sheet, at any column), up to the
    first empty row; cells from the header's first column, as many as the header has."""
    for rows in workbook_sheets(response).values():
        for index, row in enumerate(rows):
            cells = list(row)
            for start in range(len(cells)):
                if [str(c) if c is not None else "" for c in cells[start : start + len(header)]] == header:
                    return _below(rows[index + 1 :], start, len(header))
    raise AssertionError(f"no table with the header {header}")


def _below(rows: list[list[Any]], start: int, width: int) -> list[list[Any]]:
    found = []
    for row in rows:
        cells = (list(row) + [None] * (start + width))[start : start + width]
        if all(c is None or c == "" for c in cells):
            break
        if cells[0] in NO_DATA and all(c is None or c == "" for c in cells[1:]):
            break  # the workbook's mark of an empty table
        found.append(cells)
    return found
