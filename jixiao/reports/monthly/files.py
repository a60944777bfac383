"""The report's workbook and PDF: rendered from its sections by the shared renderers
(``common.workbook``, ``common.pdf``) and kept under the data directory, one file per month,
version and language. A version is never changed once saved, so a stored file is always right;
a head's copy (their departments only) is rendered on request and not kept."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from django.conf import settings

from jixiao.common.errors import JixiaoError
from jixiao.common.figures import Section
from jixiao.common.text import language, say
from jixiao.engine.text import Text

from .models import MonthlyReport

Kind = Literal["xlsx", "pdf"]
CONTENT_TYPES: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def report_title(month: str) -> Text:
    return Text(f"{month} 绩效考核月报", f"Monthly appraisal report {month}")


def file_name(report: MonthlyReport, kind: Kind, part: str = "") -> str:
    """The name a download is saved as: ``绩效考核月报-2026-10.pdf`` (``-部门`` for a head's copy)."""
    return f"绩效考核月报-{report.month}{part}.{kind}"


def stored_path(report: MonthlyReport, kind: Kind) -> Path:
    root = Path(settings.DATA_DIR) / "reports" / "monthly"
    root.mkdir(parents=True, exist_ok=True)
    return root / f"{report.month}-v{report.version}-{language()}.{kind}"


def _head(report: MonthlyReport) -> str:
    if report.is_published and report.published_at:
        return say(
            Text(f"已发布 {report.published_at:%Y-%m-%d}", f"Published {report.published_at:%Y-%m-%d}")
        )
    return say(Text("草稿（未发布）", "Draft (not published)"))


def render(report: MonthlyReport, sections: Sequence[Section], kind: Kind) -> bytes:
    """The workbook or the PDF of ``sections``; a PDF without a Chinese font is refused (503)
    rather than printed as empty boxes."""
    title = report_title(report.month)
    if kind == "xlsx":
        from jixiao.common.workbook import workbook_bytes

        book: bytes = workbook_bytes(title, list(sections))
        return book
    from jixiao.common.pdf import cjk_font_missing, sections_pdf

    missing = cjk_font_missing()
    if missing is not None:
        raise JixiaoError(zh=missing.zh, en=missing.en, code="font", status=503)
    pdf: bytes = sections_pdf(title, list(sections), head=_head(report))
    return pdf


def stored(report: MonthlyReport, sections: Sequence[Section], kind: Kind) -> bytes:
    """The whole report's file for its current version: read if kept, else rendered and kept."""
    path = stored_path(report, kind)
    if path.exists():
        return path.read_bytes()
    data = render(report, sections, kind)
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(data)
    partial.replace(path)
    return data
