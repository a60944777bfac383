"""Imports are contained whatever the format: a CSV goes through the same size check and capped
child as an xlsx, is read as UTF-8, UTF-8 with BOM, GB18030 or GBK, and every refusal names the
place (row, column by its Chinese header) and the fix; an oversize file is "too large"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import override_settings

from jixiao.common.errors import JixiaoError
from jixiao.common.excel import column_letter
from jixiao.common.spreadsheet import (
    Column,
    SizeCappedUploadHandler,
    header_check,
    read_rows,
    read_sheets,
    stream_rows,
    uploaded_path,
)

MiB = 1024 * 1024
COLUMNS = (
    Column("number", "工号", "number"),
    Column("measure", "数据项", "measure"),
    Column("value", "实际值", "value"),
)


def _csv(tmp_path: Path, text: str, encoding: str) -> Path:
    path = tmp_path / "data.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_a_csv_is_read_in_every_chinese_encoding(tmp_path: Path, encoding: str) -> None:
    path = _csv(tmp_path, "工号,数据项,实际值\n1001,满意度,96.5\n", encoding)
    assert read_rows(path) == [["工号", "数据项", "实际值"], ["1001", "满意度", "96.5"]]


def test_a_character_only_gb18030_has_is_read(tmp_path: Path) -> None:
    # 𠀀 (U+20000) is outside GBK: only GB18030 encodes it.
    path = _csv(tmp_path, "工号,姓名\n1001,张𠀀\n", "gb18030")
    assert read_rows(path)[1] == ["1001", "张𠀀"]


def test_a_csv_in_no_known_encoding_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes("工号,数据项\n".encode() + b"\xff\xfe\xff\xfe\x81\n")
    with pytest.raises(JixiaoError) as refused:
        read_rows(path)
    assert refused.value.code == "encoding" and "GB18030" in refused.value.zh


def test_a_malformed_csv_names_its_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, "工号,数据项\n1001,a\n1002," + "x" * 200_000 + "\n", "utf-8")
    with pytest.raises(JixiaoError) as refused:
        read_rows(path)
    assert refused.value.code == "csv" and "第 3 行" in refused.value.zh


def test_a_header_with_a_column_twice_an_unknown_one_and_one_missing_names_each() -> None:
    with pytest.raises(JixiaoError) as refused:
        header_check(["工号", "实际值", "工号 number", "备注"], COLUMNS)
    zh = refused.value.zh
    assert "缺少列：数据项" in zh and "重复的列：工号" in zh and "未知的列：备注" in zh
    assert "measure" not in zh  # the Chinese header, never the internal key
    places = {(p.row, p.column) for p in refused.value.problems}
    assert (1, "C") in places and (1, "D") in places
    assert "missing columns: 数据项 (measure)" in refused.value.en


def test_a_header_finds_its_columns_in_either_language() -> None:
    assert header_check(["number", "数据项 measure", "实际值 value", ""], COLUMNS) == {
        "number": 0,
        "measure": 1,
        "value": 2,
    }
    assert column_letter(0) == "A" and column_letter(27) == "AB"


def test_a_formula_saved_without_its_value_is_named_by_cell(tmp_path: Path) -> None:
    path = tmp_path / "actuals.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("实际值")
    sheet.write_row(0, 0, ["工号 number", "数据项 measure", "实际值 value"])
    sheet.write_row(1, 0, ["1001", "orders", 3])
    sheet.write_row(2, 0, ["1002", "orders"])
    sheet.write_formula(2, 2, "=C2*2", None, "")  # no cached value, as a non-calculating writer saves it
    sheet.write_formula(3, 2, "=C2*3", None, 9)  # a value: read as 9
    book.close()
    with pytest.raises(JixiaoError) as refused:
        list(stream_rows(path))
    assert refused.value.code == "formula_without_value"
    problem = refused.value.problems[0]
    assert (problem.row, problem.column) == (3, "实际值") and "C3 是公式" in problem.zh
    with pytest.raises(JixiaoError) as refused:
        read_sheets(path)  # the whole-workbook reader (organisation, plans) names the sheet too
    problem = refused.value.problems[0]
    assert (problem.where, problem.row, problem.column) == ("“实际值”", 3, "实际值")


@override_settings(JIXIAO_MAX_UPLOAD_BYTES=1024)
def test_an_oversize_file_is_called_too_large_not_damaged(tmp_path: Path) -> None:
    csv_path = _csv(tmp_path, "工号,数据项,实际值\n" + "1001,orders,3\n" * 200, "utf-8")
    xlsx_path = tmp_path / "big.xlsx"
    book = xlsxwriter.Workbook(str(xlsx_path))
    book.add_worksheet().write_column(0, 0, [f"row {i}" for i in range(2000)])
    book.close()
    for path in (csv_path, xlsx_path):
        with pytest.raises(JixiaoError) as refused:
            read_rows(path)
        assert refused.value.code == "too_large"
        assert "文件过大" in refused.value.zh and "上限为 1 KB" in refused.value.zh
        assert "损坏" not in refused.value.zh and "too large" in refused.value.en


class _NeverRead(SimpleUploadedFile):
    def chunks(self, chunk_size: int | None = None) -> Any:
        raise AssertionError("an oversize upload must be refused before it is read")


def test_an_oversize_upload_is_refused_before_it_is_read() -> None:
    upload = _NeverRead("actuals.csv", b"x")
    upload.size = 400 * MiB
    with pytest.raises(JixiaoError) as refused, uploaded_path(upload):
        pass
    assert (
        refused.value.code == "too_large" and "（400 MB）" in refused.value.zh and "64 MB" in refused.value.zh
    )


def test_an_upload_django_wrote_to_disk_is_read_from_there(tmp_path: Path) -> None:
    on_disk = _csv(tmp_path, "工号,数据项,实际值\n1001,orders,3\n", "utf-8")
    upload = _NeverRead("actuals.csv", b"")
    upload.size = on_disk.stat().st_size
    upload.temporary_file_path = lambda: str(on_disk)  # type: ignore[attr-defined]
    with uploaded_path(upload, ".csv") as path:
        assert path == on_disk and read_rows(path)[1] == ["1001", "orders", "3"]


def write_big_csv(path: Path, size: int) -> None:
    """A CSV of actuals of ``size`` bytes, written in 4 MiB blocks (a second or two)."""
    line = b"1001,orders,30\n"
    block = line * (4 * MiB // len(line))
    with path.open("wb") as handle:
        handle.write("工号,数据项,实际值\n".encode())
        for _ in range(size // len(block) + 1):
            handle.write(block)


def test_a_400_mb_csv_is_refused_as_too_large_and_the_process_tree_stays_under_300_mib(
    tmp_path: Path,
) -> None:
    """The must-hold of issue 11: the reader every import uses (``stream_rows``), run in a fresh
    process as a web worker or the command would. The process reports its own peak (``VmHWM``,
    the high-water mark of its memory since it started) and the largest of any process it started
    (``RUSAGE_CHILDREN``); the file is refused before a parsing child starts. Not ``wait4`` on it
    from here: Linux carries the parent's peak across fork and exec, so a test suite grown past
    300 MiB would be measured instead of the import."""
    path = tmp_path / "actuals.csv"
    write_big_csv(path, 400 * MiB)
    assert path.stat().st_size >= 400 * MiB
    script = (
        "import django, sys, pathlib; django.setup()\n"
        "from jixiao.common.errors import JixiaoError\n"
        "from jixiao.common.spreadsheet import stream_rows\n"
        "try:\n"
        "    rows = stream_rows(pathlib.Path(sys.argv[1])); print(sum(1 for _ in rows))\n"
        "except JixiaoError as error:\n"
        "    print(error.code, error.zh)\n"
        "import resource, re\n"
        "own = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
        "print('peak_kib', max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jixiao.settings"}
    child = subprocess.Popen([sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, env=env)
    assert child.stdout is not None
    said = child.stdout.read().decode()
    assert child.wait() == 0, said
    peak_kib = int(said.rsplit("peak_kib ", 1)[1])
    peak_mib = peak_kib / 1024
    sys.stderr.write(f"\n400 MB CSV import: refused; peak RSS of the process tree {peak_mib:.0f} MiB\n")
    assert said.startswith("too_large 文件过大"), said
    assert peak_kib and peak_mib <= 300


@override_settings(JIXIAO_MAX_UPLOAD_BYTES=MiB)
def test_an_upload_past_the_limit_is_counted_not_stored_and_refused_as_too_large() -> None:
    handler = SizeCappedUploadHandler()
    handler.new_file("file", "actuals.csv", "text/csv", 3 * MiB)
    chunk = b"1001,orders,30\n" * (64 * 1024 // 15)
    received = 0
    while received < 3 * MiB:
        handler.receive_data_chunk(chunk, received)
        received += len(chunk)
    upload = handler.file_complete(received)
    assert isinstance(upload, TemporaryUploadedFile) and upload.size == received
    assert Path(upload.temporary_file_path()).stat().st_size <= MiB
    with pytest.raises(JixiaoError) as refused, uploaded_path(upload):
        pass
    assert refused.value.code == "too_large" and "上限为 1 MB" in refused.value.zh
