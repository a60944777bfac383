"""Excel in and out, safely.

Reading: an uploaded workbook is checked before anything parses it (size, number of zip
entries, total unpacked size and compression ratio, so a zip bomb is refused cheaply), then
parsed by python-calamine in a child process whose address space is capped, so a hostile file
cannot take the server's memory. Writing: XlsxWriter with ``strings_to_formulas`` off, so user
text that starts with "=" never becomes a formula.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from django.conf import settings

from .errors import JixiaoError

MAX_ENTRIES = 2000
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
CHILD_MEMORY_BYTES = 1536 * 1024 * 1024
CHILD_TIMEOUT_SECONDS = 300

Rows = list[list[Any]]


def check_xlsx(path: Path) -> None:
    """Refuse a file that is too big, not an xlsx, or a zip bomb, before parsing it."""
    size = path.stat().st_size
    if size > settings.JIXIAO_MAX_UPLOAD_BYTES:
        limit = settings.JIXIAO_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise JixiaoError(
            zh=f"文件超过 {limit} MB 上限。", en=f"The file is larger than {limit} MB.", code="too_large"
        )
    if not zipfile.is_zipfile(path):
        raise JixiaoError(
            zh="这不是 Excel（.xlsx）文件，请用模板另存为 .xlsx 后再上传。",
            en="This is not an Excel (.xlsx) file; save it as .xlsx from the template and upload again.",
            code="not_xlsx",
        )
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
        unpacked = sum(entry.file_size for entry in entries)
        packed = max(1, sum(entry.compress_size for entry in entries))
        names = {entry.filename for entry in entries}
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise JixiaoError(
            zh="文件解压后过大或压缩比异常，已拒绝。",
            en="The file unpacks too large or is compressed suspiciously; refused.",
            code="zip_bomb",
        )
    if "xl/workbook.xml" not in names:
        raise JixiaoError(
            zh="文件中没有 Excel 工作簿。", en="The file holds no Excel workbook.", code="not_xlsx"
        )


def read_xlsx(path: Path, sheets: Sequence[str] | None = None) -> dict[str, Rows]:
    """Return ``{sheet name: rows}`` (cells as str/int/float/bool/ISO date text, or None)."""
    check_xlsx(path)
    command = [sys.executable, "-m", "jixiao.common.xlsx_worker", str(path), *(sheets or [])]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            timeout=CHILD_TIMEOUT_SECONDS,
            preexec_fn=_cap_memory,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise JixiaoError(
            zh="文件解析超时。", en="Parsing the file took too long.", code="timeout"
        ) from error
    if done.returncode != 0:
        raise JixiaoError(
            zh="无法读取该 Excel 文件，文件可能已损坏。",
            en="The Excel file could not be read; it may be damaged.",
            code="unreadable",
        )
    result: dict[str, Rows] = json.loads(done.stdout)
    return result


def iter_xlsx_rows(path: Path, sheet: str | None = None) -> Iterator[list[Any]]:
    """Yield the rows of one sheet (the first unless named), header included, as the capped child
    parses them: cells as :func:`read_xlsx` gives them, except that an empty cell is ``""``. For
    big files: the rows arrive in batches while the child still reads, and the caller never holds
    more of them than it keeps."""
    check_xlsx(path)
    command = [sys.executable, "-m", "jixiao.common.xlsx_worker", "--stream", str(path)]
    child = subprocess.Popen(
        [*command, *([sheet] if sheet else [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=_cap_memory,
    )
    assert child.stdout is not None
    deadline = time.monotonic() + CHILD_TIMEOUT_SECONDS
    try:
        for line in child.stdout:
            if time.monotonic() > deadline:
                raise JixiaoError(zh="文件解析超时。", en="Parsing the file took too long.", code="timeout")
            yield from json.loads(line)
        if child.wait() != 0:
            raise JixiaoError(
                zh="无法读取该 Excel 文件，文件可能已损坏。",
                en="The Excel file could not be read; it may be damaged.",
                code="unreadable",
            )
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()


def header_columns(header: Sequence[Any], names: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Map each key of ``names`` to the index of the first header cell that is one of its words
    (``"工号"`` or ``"number"``), alone or followed by a space and a note (``"实际值 (value)"``).
    Keys with no such column are left out, for the caller to report."""
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        text = str(title or "").strip().lower()
        for key, words in names.items():
            if key not in found and any(text == w or text.startswith(w + " ") for w in words):
                found[key] = index
    return found


def write_xlsx(
    sheets: dict[str, tuple[list[str], Rows]], widths: dict[str, list[int]] | None = None
) -> io.BytesIO:
    """Build a workbook in memory: ``{sheet: (header, rows)}`` with a bold frozen header row."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    header_format = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for name, (header, rows) in sheets.items():
        sheet = workbook.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        for column, title in enumerate(header):
            width = (widths or {}).get(name, [])
            sheet.set_column(column, column, width[column] if column < len(width) else 16, wrap)
            sheet.write_string(0, column, title, header_format)
        for row_index, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(row_index, column, value)
                else:
                    sheet.write(row_index, column, value)
    workbook.close()
    buffer.seek(0)
    return buffer


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
