"""Reading uploaded spreadsheets (xlsx or CSV) as rows and as records keyed by their header.

Every import (organisation, actuals, travel days, plans) starts the same way: store the upload in
a temporary file (or use the one Django wrote), refuse it when it is too large, read its rows
(an xlsx or a CSV, both through the capped child of :mod:`jixiao.common.excel`), find the
columns by their header words (refusing unknown, repeated and missing ones by name), and turn
each non-blank row into a record numbered as Excel numbers it (the header is row 1). This module does those steps; the
importers keep only what their rows mean.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from .errors import JixiaoError, Problem
from .excel import Rows, check_size, column_letter, iter_csv_rows, iter_xlsx_rows, read_xlsx, size_limit

XLSX_SUFFIXES = (".xlsx", ".xlsm")
DATE_PATTERNS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y-%m-%dT%H:%M:%S")
YES = frozenset({"是", "Y", "y", "yes", "1", "True"})
NO = frozenset({"", "否", "N", "n", "no", "0", "False"})

# One record: the row's number as Excel shows it, and its cells as text by column key.
Record = tuple[int, dict[str, str]]


@dataclass(frozen=True)
class Column:
    """A column an import reads: its key, its header in Chinese and English (the template writes
    ``"工号 number"``; either word alone is accepted too), and whether the file must have it."""

    key: str
    zh: str
    en: str
    required: bool = True

    def match(self, title: str) -> int:
        """How well ``title`` names this column: the length of the word it starts with, or 0.
        A trailing ``*`` (the template's mark of a required cell) is not part of the name."""
        text = title.lower().removesuffix("*").strip()
        words = (self.zh.lower(), self.en.lower())
        return max((len(w) for w in words if w and (text == w or text.startswith(w + " "))), default=0)


class SizeCappedUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file upload handler (``FILE_UPLOAD_HANDLERS``) that stops storing an
    upload past the size limit but keeps counting it: the disk holds at most the limit, and the
    file's ``size`` is the real one, so :func:`check_upload` calls it too large with its size."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) <= size_limit():
            self.file.write(raw_data)
        return None


def check_upload(upload: UploadedFile[bytes]) -> None:
    """Refuse an upload above the size limit before anything reads it."""
    check_size(upload.size or 0)


@contextmanager
def uploaded_path(upload: UploadedFile[bytes], default_suffix: str = ".xlsx") -> Iterator[Path]:
    """The upload as a file on disk for the length of the ``with`` block, after the size check.

    Django already wrote an upload above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a temporary file
    (keeping its suffix, so xlsx and CSV are told apart): that file is used as it is, and the
    web worker never holds it in memory. A small upload is copied to a temporary file in chunks.
    """
    check_upload(upload)
    suffix = Path(upload.name or "").suffix.lower() or default_suffix
    on_disk = getattr(upload, "temporary_file_path", None)
    if on_disk is not None and Path(on_disk()).suffix.lower() == suffix:
        yield Path(on_disk())
        return
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        yield Path(handle.name)


def stream_rows(path: Path, sheet: str | None = None) -> Iterator[list[Any]]:
    """Yield the rows of a file, header first, as they are read: an xlsx sheet (the first unless
    named) or a CSV (UTF-8, GB18030 or GBK), both through the capped child after the size check."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return iter_xlsx_rows(path, sheet)
    return iter_csv_rows(path)


def read_rows(path: Path, sheet: str | None = None) -> Rows:
    """Every row of a file, header included (small files; big ones use :func:`stream_rows`)."""
    return [list(row) for row in stream_rows(path, sheet)]


def read_sheets(path: Path) -> dict[str, Rows]:
    """Every sheet of an xlsx as ``{name: rows}``; a CSV is one sheet named after the file."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return read_xlsx(path)
    return {path.stem: read_rows(path)}


def header_check(header: Sequence[Any], columns: Sequence[Column], where: str = "") -> dict[str, int]:
    """``{column key: index}`` for the header row; refuse, naming each by its header, a column
    the import does not know, a column given twice, and a required column that is missing."""
    found: dict[str, int] = {}
    problems: list[Problem] = []
    unknown: list[str] = []
    twice: list[str] = []
    for index, title in enumerate(header):
        text = cell_text(title)
        if not text:
            continue
        best = max(columns, key=lambda c: c.match(text), default=None)
        if best is None or not best.match(text):
            unknown.append(text)
            problems.append(_header_problem(f"未知列“{text}”", f"unknown column {text!r}", index, where))
        elif best.key in found:
            twice.append(best.zh)
            first = column_letter(found[best.key])
            zh, en = f"“{best.zh}”列重复（第一次在 {first} 列）", f"column {best.zh} again (first in {first})"
            problems.append(_header_problem(zh, en, index, where))
        else:
            found[best.key] = index
    missing = [c for c in columns if c.required and c.key not in found]
    if problems or missing:
        raise _header_error(missing, twice, unknown, problems, where)
    return found


def _header_problem(zh: str, en: str, index: int, where: str) -> Problem:
    return Problem(zh=zh, en=en, where=where, row=1, column=column_letter(index))


def _header_error(
    missing: list[Column], twice: list[str], unknown: list[str], problems: list[Problem], where: str
) -> JixiaoError:
    zh, en = [], []
    if missing:
        zh.append("缺少列：" + "、".join(c.zh for c in missing))
        en.append("missing columns: " + ", ".join(c.zh + (f" ({c.en})" if c.en else "") for c in missing))
    if twice:
        zh.append("重复的列：" + "、".join(twice))
        en.append("columns given twice: " + ", ".join(twice))
    if unknown:
        zh.append("未知的列：" + "、".join(unknown))
        en.append("unknown columns: " + ", ".join(unknown))
    problems += [Problem(zh=f"缺少“{c.zh}”列", en=f"no column {c.zh}", where=where, row=1) for c in missing]
    prefix = f"{where} " if where else ""
    return JixiaoError(
        zh=prefix + "表头不符合模板：" + "；".join(zh) + "。请使用下载的模板，每列只出现一次。",
        en=prefix
        + "The header does not match the template: "
        + "; ".join(en)
        + ". Use the downloaded template, each column once.",
        code="header",
        problems=problems,
    )


def cell_text(value: Any) -> str:
    """A cell as trimmed text: empty for a blank cell, ``3`` (not ``3.0``) for a whole number."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def records(rows: Sequence[Sequence[Any]], columns: Sequence[Column], where: str = "") -> list[Record]:
    """Turn ``rows`` (header first, checked by :func:`header_check`) into records keyed by the
    columns' keys, skipping blank rows."""
    if not rows:
        return []
    found = header_check(rows[0], columns, where)
    result = []
    for number, row in enumerate(rows[1:], start=2):
        values = {key: cell_text(row[i]) if i < len(row) else "" for key, i in found.items()}
        if any(values.values()):
            result.append((number, values))
    return result


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
