"""Figures as a PDF: the web page's sections and SVG charts, laid out by WeasyPrint on A4.

The PDF is the same HTML as the page (``_report_pdf.html`` includes ``_section.html``), with a
print stylesheet (``static/jixiao/report_pdf.css``: A4, running header, page numbers, Chinese
fonts by family name through fontconfig). A PDF without a Chinese font would print every
character as an empty box, so :func:`cjk_font_missing` asks fontconfig first and
:func:`sections_pdf` refuses with a sentence saying what to install. WeasyPrint never reaches the
network: its fetcher serves only ``data:`` URLs and files under our own static folder.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from jixiao.engine.text import Text

from .charts import current_language
from .errors import JixiaoError
from .figures import Section

STYLESHEET = Path(settings.BASE_DIR) / "static" / "jixiao" / "report_pdf.css"
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
CJK_FILE_HINTS = ("cjk", "wqy", "wenquanyi", "sourcehan", "source-han", "notosanssc", "notoserifsc")
NO_FONT = Text(
    "生成 PDF 需要中文字体，但服务器上没有安装（fontconfig 找不到任何中文字体）。"
    "请由管理员安装 Noto CJK 字体（Debian/Ubuntu：apt-get install fonts-noto-cjk；"
    "或文泉驿、思源黑体），然后重试。",
    "The PDF needs a Chinese font and the server has none (fontconfig finds no Chinese font). "
    "Ask the administrator to install the Noto CJK fonts (Debian/Ubuntu: apt-get install "
    "fonts-noto-cjk; or WenQuanYi or Source Han Sans), then try again.",
)
_found = False  # a font once found stays found; a missing one is looked for again each time


def cjk_font_missing() -> Text | None:
    """``None`` when fontconfig knows a Chinese font; else a sentence saying what to install."""
    global _found
    if _found:
        return None
    if _fontconfig_has_cjk():
        _found = True
        return None
    return NO_FONT


def _fontconfig_has_cjk() -> bool:
    """Ask fontconfig (the library WeasyPrint's Pango uses) for fonts covering Chinese; without
    its command-line tool, look for a CJK font file where fontconfig would."""
    fc_list = shutil.which("fc-list")
    if fc_list is not None:
        try:
            result = subprocess.run(
                [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
        return result.returncode == 0 and bool(result.stdout.strip())
    for folder in FONT_DIRS:  # pragma: no cover - fc-list ships with fontconfig on every CI image
        root = Path(folder)
        if root.is_dir() and any(
            any(hint in path.name.lower() for hint in CJK_FILE_HINTS) for path in root.rglob("*.tt[fc]")
        ):
            return True
    return False  # pragma: no cover


def _check_url(url: str) -> None:
    """Refuse any URL but ``data:`` and files under our static folder."""
    scheme = urlparse(url).scheme.lower()
    if scheme == "file":
        path = Path(unquote(urlparse(url).path)).resolve()
        static = (Path(settings.BASE_DIR) / "static").resolve()
        if not path.is_relative_to(static):
            raise ValueError(f"the PDF reads only our static files, not {url[:200]}")
    elif scheme != "data":
        raise ValueError(f"the PDF fetches nothing from the network: {url[:200]}")


def no_network() -> Any:
    """WeasyPrint's fetcher for our PDFs: ``data:`` URLs and our static files, nothing else."""
    from weasyprint.urls import URLFetcher

    class NoNetwork(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            _check_url(url)
            return super().fetch(url, headers)

    return NoNetwork(allowed_protocols=("data", "file"), allow_redirects=False, timeout=5)


def html_pdf(html: str) -> bytes:
    """Lay out ``html`` with the report stylesheet on A4 (no network)."""
    from weasyprint import CSS, HTML

    fetcher = no_network()
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=STYLESHEET.parent.as_uri() + "/", url_fetcher=fetcher)
    result = document.write_pdf(stylesheets=[stylesheet])
    assert result is not None
    return bytes(result)


def sections_pdf(
    title: Text, sections: Sequence[Section], *, head: str = "", language: str | None = None
) -> bytes:
    """The sections as a PDF: title page heading, each section with its charts and tables;
    ``head`` is the running header (e.g. "机密 · 绩效考核月报 2026-10"). Refused, with what to
    install, when the server has no Chinese font."""
    missing = cjk_font_missing()
    if missing is not None:
        raise JixiaoError(zh=missing.zh, en=missing.en, code="no_cjk_font", status=503)
    lang = current_language(language)
    with translation.override("en" if lang == "en" else "zh-hans"):
        html = render_to_string(
            "_report_pdf.html",
            {
                "title": title,
                "sections": sections,
                "head": head or title.render(lang),
                "generated": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
                "lang": "en" if lang == "en" else "zh-Hans",
            },
        )
    return html_pdf(html)
