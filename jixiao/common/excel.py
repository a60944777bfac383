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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from django.conf import settings

from .errors import JixiaoError, Problem

MAX_ENTRIES = 2000
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
CHILD_MEMORY_BYTES = 1536 * 1024 * 1024
CHILD_TIMEOUT_SECONDS = 300

Rows = list[list[Any]]


def size_limit() -> int:
    """The largest file an import reads, in bytes (``JIXIAO_MAX_UPLOAD_BYTES``)."""
    return int(settings.JIXIAO_MAX_UPLOAD_BYTES)


def check_size(size: int) -> None:
    """Refuse a file of ``size`` bytes above the limit as too large (before anything reads it)."""
    limit = size_limit()
    if size > limit:
        have, most = size_text(size), size_text(limit)
        raise JixiaoError(
            zh=f"文件过大（{have}），上限为 {most}。请拆分成几个文件分别导入。",
            en=f"The file is too large ({have}); the limit is {most}. Split it and import the parts.",
            code="too_large",
            status=413,
        )


def size_text(size: int) -> str:
    """``64 MB``, ``400.5 MB``, ``12 KB``: a file size as people read it."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):,.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


def check_xlsx(path: Path) -> None:
    """Refuse a file that is too big, not an xlsx, or a zip bomb, before parsing it."""
    check_size(path.stat().st_size)
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
    """Return ``{sheet name: rows}`` (cells as str/int/float/bool/ISO date text, or None); a
    formula cell saved without its value refuses the file, naming its sheet and cell."""
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
        raise _unreadable("Excel")
    result = json.loads(done.stdout)
    found: dict[str, Rows] = result["sheets"]
    for name, cells in result["uncached"].items():
        rows = found.get(name) or [[]]
        raise _formulas_without_values(cells, rows[0], where=f"“{name}”")
    return found


def iter_xlsx_rows(path: Path, sheet: str | None = None) -> Iterator[list[Any]]:
    """Yield the rows of one sheet (the first unless named), header included, as the capped child
    parses them: cells as :func:`read_xlsx` gives them, except that an empty cell is ``""``. For
    big files: the rows arrive in batches while the child still reads, and the caller never holds
    more of them than it keeps. A formula cell saved without its value refuses the file, naming
    the cell."""
    check_xlsx(path)
    return _child_rows(["--stream", str(path), *([sheet] if sheet else [])], "Excel")


def iter_csv_rows(path: Path) -> Iterator[list[Any]]:
    """Yield the rows of a CSV (UTF-8, UTF-8 with BOM, GB18030 or GBK), header included, parsed in
    the same capped child as an xlsx after the same size check: a CSV never parses in the web
    worker and never sits in memory whole."""
    check_size(path.stat().st_size)
    return _child_rows(["--csv", str(path)], "CSV")


def _child_rows(arguments: list[str], kind: str) -> Iterator[list[Any]]:
    child = subprocess.Popen(
        [sys.executable, "-m", "jixiao.common.xlsx_worker", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=_cap_memory,
    )
    assert child.stdout is not None
    deadline = time.monotonic() + CHILD_TIMEOUT_SECONDS
    uncached: list[list[int]] = []
    try:
        for line in child.stdout:
            if time.monotonic() > deadline:
                raise JixiaoError(zh="文件解析超时。", en="Parsing the file took too long.", code="timeout")
            batch = json.loads(line)
            if isinstance(batch, dict):
                uncached = batch.get("uncached", [])
                if not uncached:
                    raise _child_error(batch)
                continue
            if uncached:
                raise _formulas_without_values(uncached, batch[0] if batch else [])
            yield from batch
        if child.wait() != 0:
            raise _unreadable(kind)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()


def _unreadable(kind: str) -> JixiaoError:
    return JixiaoError(
        zh=f"无法读取该 {kind} 文件，文件可能已损坏；请重新另存后再上传。",
        en=f"The {kind} file could not be read; it may be damaged. Save it again and upload it.",
        code="unreadable",
    )


def _child_error(said: dict[str, Any]) -> JixiaoError:
    if said.get("error") == "encoding":
        return JixiaoError(
            zh="CSV 文件的编码无法识别，请另存为 UTF-8 或 GB18030（GBK）编码的 CSV。",
            en="The CSV file's encoding is not UTF-8 or GB18030 (GBK); save it as one of them.",
            code="encoding",
        )
    if said.get("error") == "no_sheet":
        return JixiaoError(
            zh="文件中没有要导入的工作表，请使用下载的模板。",
            en="The workbook has no sheet to import; use the downloaded template.",
            code="no_sheet",
        )
    row = said.get("row")
    return JixiaoError(
        zh=f"CSV 文件第 {row} 行格式有误（引号不成对或单元格过长），请在 Excel 中打开后重新另存为 CSV。",
        en=f"Row {row} of the CSV file is malformed (unpaired quote or an over-long cell); "
        "open it in Excel and save it as CSV again.",
        code="csv",
        problems=[Problem(zh="格式有误", en="malformed", row=row)],
    )


def _formulas_without_values(cells: list[list[int]], header: list[Any], where: str = "") -> JixiaoError:
    problems = []
    for row, column in cells:
        title = str(header[column] or "").strip() if column < len(header) else ""
        place = title.split(" ")[0] if title else column_letter(column)
        problems.append(
            Problem(
                zh=f"{column_letter(column)}{row} 是公式，但文件中没有它的计算结果",
                en=f"{column_letter(column)}{row} is a formula saved without its value",
                where=where,
                row=row,
                column=place,
            )
        )
    return JixiaoError(
        zh=f"文件中有 {len(cells)} 个公式单元格没有计算结果（文件由不计算公式的程序保存）。"
        "请在 Excel 中打开并保存，或把这些单元格粘贴为数值后再上传。",
        en=f"{len(cells)} formula cells in the file have no calculated value (saved by a program "
        "that does not calculate). Open and save it in Excel, or paste those cells as values, and upload again.",
        code="formula_without_value",
        problems=problems,
    )


def column_letter(index: int) -> str:
    """``0`` → ``A``, ``27`` → ``AB``: a column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
