"""Reading uploaded spreadsheets (xlsx or CSV) as rows and as records keyed by their header.

Every import (organisation, actuals, travel days, plans) starts the same way: store the upload in
a temporary file, read its rows (an xlsx through the capped child of :mod:`jixiao.common.excel`,
a CSV as UTF-8 or GBK), find the columns by their header words, and turn each non-blank row into
a record numbered as Excel numbers it (the header is row 1). This module does those steps; the
importers keep only what their rows mean.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from .errors import JixiaoError
from .excel import Rows, header_columns, iter_xlsx_rows, read_xlsx

XLSX_SUFFIXES = (".xlsx", ".xlsm")
DATE_PATTERNS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y-%m-%dT%H:%M:%S")
YES = frozenset({"是", "Y", "y", "yes", "1", "True"})
NO = frozenset({"", "否", "N", "n", "no", "0", "False"})

# One record: the row's number as Excel shows it, and its cells as text by column key.
Record = tuple[int, dict[str, str]]


@contextmanager
def uploaded_path(upload: UploadedFile[bytes], default_suffix: str = ".xlsx") -> Iterator[Path]:
    """Store ``upload`` in a temporary file (keeping its suffix, so xlsx and CSV are told
    apart) for the length of the ``with`` block, and yield its path."""
    suffix = Path(upload.name or "").suffix.lower() or default_suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        yield Path(handle.name)


def stream_rows(path: Path, sheet: str | None = None) -> Iterator[list[Any]]:
    """Yield the rows of a file, header first, as they are read: an xlsx sheet (the first unless
    named) through the capped child, a CSV as UTF-8 or GBK."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return iter_xlsx_rows(path, sheet)
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


def read_rows(path: Path, sheet: str | None = None) -> Rows:
    """Every row of a file, header included (small files; big ones use :func:`stream_rows`)."""
    return [list(row) for row in stream_rows(path, sheet)]


def read_sheets(path: Path) -> dict[str, Rows]:
    """Every sheet of an xlsx as ``{name: rows}``; a CSV is one sheet named after the file."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return read_xlsx(path)
    return {path.stem: read_rows(path)}


def cell_text(value: Any) -> str:
    """A cell as trimmed text: empty for a blank cell, ``3`` (not ``3.0``) for a whole number."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def records(rows: Sequence[Sequence[Any]], names: Mapping[str, Sequence[str]] | None = None) -> list[Record]:
    """Turn ``rows`` (header first) into records, skipping blank rows.

    Without ``names`` a record's keys are the header titles as written. With ``names`` (``{key:
    header words}``, matched by :func:`~jixiao.common.excel.header_columns`) its keys are those
    keys, and columns the header does not name are left out.
    """
    if not rows:
        return []
    if names is None:
        columns = {str(title or "").strip(): i for i, title in enumerate(rows[0]) if str(title or "").strip()}
    else:
        columns = header_columns(rows[0], names)
    found = []
    for number, row in enumerate(rows[1:], start=2):
        values = {key: cell_text(row[i]) if i < len(row) else "" for key, i in columns.items()}
        if any(values.values()):
            found.append((number, values))
    return found


def parse_date(text: str) -> dt.date | None:
    """The calendar date written in ``text`` (``2026-01-31``, ``2026/01/31``, ``2026.01.31`` or an
    ISO date-time as a reader gives it), or None when it is not one."""
    for pattern in DATE_PATTERNS:
        try:
            # A calendar date, not an instant: read its fields, no time zone applies.
            return dt.date(*time.strptime(text, pattern)[:3])
        except ValueError:
            continue
    return None


def parse_yes_no(text: str) -> bool | None:
    """``是``/``否`` (or Y/N, yes/no, 1/0; blank is no) as a bool, or None when it is neither."""
    if text in NO:
        return False
    if text in YES:
        return True
    return None
