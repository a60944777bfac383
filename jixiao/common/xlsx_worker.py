"""Child process that parses one uploaded spreadsheet (xlsx with python-calamine, or CSV) and
prints it as JSON, under the memory cap its parent sets.

Run only by :mod:`jixiao.common.excel`:

- ``PATH [SHEET …]``: the whole workbook as one JSON object ``{"sheets": {name: rows},
  "uncached": {name: [[row, column], …]}}`` (:func:`~jixiao.common.excel.read_xlsx`);
- ``--stream PATH [SHEET]``: one sheet as JSON lines of up to ``BATCH`` rows each
  (:func:`~jixiao.common.excel.iter_xlsx_rows`), so neither process holds the file's rows twice;
- ``--csv PATH``: a CSV (UTF-8, UTF-8 with BOM, GB18030 or GBK) the same way
  (:func:`~jixiao.common.excel.iter_csv_rows`), so a CSV never parses inside the web worker.

A line that is a JSON object instead of a list of rows says what stopped the child, for the
parent to put in a sentence: ``{"error": "encoding"}``, ``{"error": "csv", "row": 7}``,
``{"error": "no_sheet"}``, or ``{"uncached": [[row, column], …]}`` — formula cells the file
holds with no calculated value (saved by a program that does not calculate), sent before the rows.
Imports nothing of Django so it starts fast.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import posixpath
import re
import sys
import zipfile
from typing import Any
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook

BATCH = 5000
CHUNK_BYTES = 1024 * 1024
MAX_UNCACHED = 200  # formula cells without a value reported; one is enough to refuse
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# A cell holding a formula and no value: <c r="C2"><f>A2*2</f></c> or …<f>…</f><v></v></c>.
UNCACHED = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*>\s*<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)


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


def _write_rows(rows: Any) -> None:
    batch: list[list[Any]] = []
    write = sys.stdout.write
    # No Python per cell: json calls ``cell`` only for what it cannot encode (dates, times);
    # empty cells stay "" and the reader treats them as empty.
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            write(json.dumps(batch, ensure_ascii=False, default=cell) + "\n")
            batch = []
    if batch:
        write(json.dumps(batch, ensure_ascii=False, default=cell) + "\n")


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def _sheet_part(archive: zipfile.ZipFile, position: int, name: str | None) -> str | None:
    """The zip path of the sheet named ``name`` (or at ``position``), from the workbook's index."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{PKG_REL_NS}Relationship")}
    sheets = list(workbook.iter(f"{MAIN_NS}sheet"))
    chosen = [s for s in sheets if s.get("name") == name] if name else sheets[position : position + 1]
    if not chosen:
        return None
    target = targets.get(chosen[0].get(f"{REL_NS}id"), "")
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")


def uncached_formulas(path: str, name: str | None) -> list[list[int]]:
    """``[[row, column index], …]`` of formula cells with no value in the sheet, read in chunks."""
    found: list[list[int]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, 0, name)
            if part is None or part not in archive.namelist():
                return found
            tail = b""
            with archive.open(part) as handle:
                while chunk := handle.read(CHUNK_BYTES):
                    buffer = tail + chunk
                    cut = buffer.rfind(b"</c>") + 4
                    for match in UNCACHED.finditer(buffer, 0, max(cut, 0)):
                        found.append([int(match.group(2)), _column_index(match.group(1))])
                        if len(found) >= MAX_UNCACHED:
                            return found
                    tail = buffer[cut:][-CHUNK_BYTES:] if cut > 3 else buffer[-CHUNK_BYTES:]
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile):
        return found  # calamine says what is wrong with the file
    return found


def stream(path: str, wanted: str | None) -> int:
    workbook = CalamineWorkbook.from_path(path)
    if wanted is not None and wanted not in workbook.sheet_names:
        sys.stdout.write(json.dumps({"error": "no_sheet"}) + "\n")
        return 0
    uncached = uncached_formulas(path, wanted)
    if uncached:
        sys.stdout.write(json.dumps({"uncached": uncached}) + "\n")
    sheet = workbook.get_sheet_by_name(wanted) if wanted else workbook.get_sheet_by_index(0)
    _write_rows(sheet.iter_rows())
    return 0


def csv_encoding(path: str) -> str | None:
    """The first of UTF-8 (with or without BOM) and GB18030 (a superset of GBK) that decodes the
    whole file, checked in chunks; None when neither does."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(CHUNK_BYTES):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def stream_csv(path: str) -> int:
    encoding = csv_encoding(path)
    if encoding is None:
        sys.stdout.write(json.dumps({"error": "encoding"}) + "\n")
        return 0
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle)
        try:
            _write_rows(reader)
        except csv.Error:
            sys.stdout.write(json.dumps({"error": "csv", "row": reader.line_num}) + "\n")
    return 0


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--stream":
        return stream(argv[1], argv[2] if len(argv) > 2 else None)
    if argv and argv[0] == "--csv":
        return stream_csv(argv[1])
    path, wanted = argv[0], set(argv[1:])
    workbook = CalamineWorkbook.from_path(path)
    sheets = {}
    uncached = {}
    for name in workbook.sheet_names:
        if wanted and name not in wanted:
            continue
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sheets[name] = [[cell(value) for value in row] for row in rows]
        if cells := uncached_formulas(path, name):
            uncached[name] = cells
    json.dump({"sheets": sheets, "uncached": uncached}, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
