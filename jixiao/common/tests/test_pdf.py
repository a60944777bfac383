"""Figures as a PDF (issue 14): Chinese text a reader can extract, the SVG charts, page numbers
and running header; a server without a Chinese font is told what to install (checked against a
real empty fontconfig in a child process); WeasyPrint fetches nothing from the network."""

from __future__ import annotations

import http.server
import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from jixiao.common.figures import Chart, Column, Section, Table
from jixiao.common.pdf import NO_FONT, cjk_font_missing, html_pdf, no_network, sections_pdf
from jixiao.engine.text import Text

# Without a Chinese font (CI installs fonts-noto-cjk) only the no-font test can run; -ra says so.
needs_font = pytest.mark.skipif(
    cjk_font_missing() is not None, reason="no CJK font here: apt-get install fonts-noto-cjk"
)


def report() -> list[Section]:
    table = Table(
        key="grades",
        title=Text("各部门等级分布表", "Grades per department"),
        columns=(
            Column(Text("部门", "Department")),
            Column(Text("A 等", "Grade A"), "int"),
            Column(Text("B 等", "Grade B"), "int"),
            Column(Text("奖金", "Bonus"), "money"),
        ),
        rows=tuple((f"客服中心第{i}组", i, 5 - i % 3, 123_456 * i) for i in range(30)),
    )
    return [
        Section(
            key="coverage",
            title=Text("一、考核覆盖与按时评分", "1. Coverage and on-time scoring"),
            paragraphs=(Text("本月结论：<b>整体良好</b> & 按时", "Conclusion"),),
            tables=(table,),
            charts=(Chart("column", Text("各部门等级分布图", "Grades chart"), table, series=(1, 2)),),
            figures=(
                (Text("应评人数", "To score"), 1234),
                (Text("奖金总额", "Bonus total"), 123_456, "money"),
            ),
        ),
        Section(
            key="trend",
            title=Text("二、绩效趋势", "2. Trends"),
            charts=(Chart("line", Text("月度趋势图", "Monthly trend"), table, series=(1, 2)),),
        ),
    ]


def text_of(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@needs_font
def test_the_pdf_has_the_chinese_headings_charts_and_page_numbers() -> None:
    pdf = sections_pdf(
        Text("绩效考核月报 2026-10", "Monthly report 2026-10"), report(), head="机密 · 月报", language="zh"
    )
    assert pdf.startswith(b"%PDF-")
    pages, text = text_of(pdf)
    assert pages >= 2
    for heading in (
        "绩效考核月报 2026-10",
        "一、考核覆盖与按时评分",
        "二、绩效趋势",
        "各部门等级分布表",
        "生成时间",
    ):
        assert heading in text
    assert "各部门等级分布图" in text and "月度趋势图" in text  # the SVG charts' text is real text
    assert "应评人数" in text and "1,234" in text and "1,234.56" in text
    assert "<b>整体良好</b> & 按时" in text  # user text, escaped, printed as typed
    assert "机密 · 月报" in text and f"1 / {pages}" in text and f"{pages} / {pages}" in text


@needs_font
def test_the_pdf_in_english() -> None:
    _, text = text_of(sections_pdf(Text("绩效考核月报", "Monthly report"), report(), language="en"))
    assert "Monthly report" in text and "1. Coverage and on-time scoring" in text and "Grades chart" in text


def test_a_server_without_a_chinese_font_is_told_what_to_install(tmp_path: Path) -> None:
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    script = (
        "import json, django; django.setup()\n"
        "from jixiao.common.errors import JixiaoError\n"
        "from jixiao.common.figures import Section\n"
        "from jixiao.common.pdf import cjk_font_missing, sections_pdf\n"
        "from jixiao.engine.text import Text\n"
        "missing = cjk_font_missing()\n"
        "try:\n"
        "    sections_pdf(Text('月报'), [Section('a', Text('一'))])\n"
        "    said = None\n"
        "except JixiaoError as error:\n"
        "    said = error.as_dict() | {'status': error.status}\n"
        "print(json.dumps({'missing': missing and missing.as_dict(), 'said': said}))\n"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "DJANGO_SETTINGS_MODULE": "jixiao.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["missing"] == NO_FONT.as_dict()
    assert (
        "apt-get install fonts-noto-cjk" in out["missing"]["zh"]
        and "apt-get install fonts-noto-cjk" in out["missing"]["en"]
    )
    assert out["said"]["code"] == "no_cjk_font" and out["said"]["status"] == 503
    assert out["said"]["zh"] == NO_FONT.zh
    # and this process's fontconfig agrees with fc-list on this machine
    found = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout
    assert (cjk_font_missing() is None) == bool(found.strip())


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red; }")

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[str]:
    _Counter.hits = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@needs_font
def test_weasyprint_fetches_nothing_from_the_network(server: str) -> None:
    html = (
        f'<html><head><link rel="stylesheet" href="{server}/style.css"></head><body>'
        f'<p>网络</p><img src="{server}/x.png"><img src="file:///etc/passwd">'
        '<img src="data:image/svg+xml;utf8,<svg xmlns=%22http://www.w3.org/2000/svg%22 width=%221%22 height=%221%22/>">'
        "</body></html>"
    )
    _, text = text_of(html_pdf(html))
    assert "网络" in text
    assert _Counter.hits == []
    fetcher = no_network()
    for url in (
        f"{server}/a.css",
        "file:///etc/passwd",
        "ftp://127.0.0.1/x",
        f"file://{settings.BASE_DIR}/settings.py",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert _Counter.hits == []
    ours = (Path(settings.BASE_DIR) / "static" / "jixiao" / "report_pdf.css").as_uri()
    assert b"@page" in fetcher.fetch(ours).read()
    assert fetcher.fetch("data:text/plain,ok") is not None


@needs_font
def test_many_rows_and_hostile_text_still_make_a_pdf() -> None:
    table = Table(
        "long",
        Text("长表"),
        (Column(Text("说明")), Column(Text("数"), "decimal")),
        tuple(("<script>x</script>" + "很长" * 10_000, Decimal(i) / 3) for i in range(3))
        + tuple((f"行{i}", Decimal(-i)) for i in range(200)),
    )
    section = Section("s", Text("三、长表"), tables=(table,), charts=(Chart("bar", Text("横向"), table),))
    pages, text = text_of(sections_pdf(Text("月报"), [section], language="zh"))
    assert pages > 3 and "三、长表" in text and "行199" in text
