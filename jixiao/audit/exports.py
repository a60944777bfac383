"""Bulk exports of personal data need a stated reason and are logged (SPEC §8).

A list that names people (results, the employee list, the cases summary) is downloaded through
a small POST form asking why (``templates/_export.html``); the view checks the reason and records
ONE audit event ``export.personal`` with what was exported, how many rows, under which scope, and
the reason. A list that names nobody (counts, a grade distribution) is a plain download link.

The reason is checked before anything is built, so a refused export costs nothing and records
nothing; the export is recorded after it is built (the count is the real one) and before the
file is answered.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.common.errors import JixiaoError
from jixiao.common.figures import Section
from jixiao.common.text import Text
from jixiao.common.workbook import workbook_response

from .services import audit_record

ACTION = "export.personal"
REASON_MIN = 4
REASON_MAX = 500


def export_reason_clean(reason: object) -> str:
    """The stated reason, stripped, or a refusal: 4 to 500 characters of printable text."""
    if not isinstance(reason, str):
        raise _refused("请填写导出原因。", "State the reason for this export.")
    text = reason.strip()
    if len(text) > REASON_MAX:
        raise _refused(
            f"导出原因过长（{len(text):,} 个字符），最多 {REASON_MAX} 个字符。",
            f"The reason is too long ({len(text):,} characters); at most {REASON_MAX}.",
        )
    if any(unicodedata.category(ch) in {"Cc", "Cs"} for ch in text):
        raise _refused(
            "导出原因含有控制字符，请只填写文字。",
            "The reason contains control characters; write plain text.",
        )
    if len(text) < REASON_MIN:
        raise _refused(
            f"导出个人数据必须说明原因（至少 {REASON_MIN} 个字）。",
            f"Exporting personal data needs a stated reason (at least {REASON_MIN} characters).",
        )
    return text


def personal_export_record(*, user: object, what: str, reason: str, rows: int, scope: str) -> None:
    """Check ``reason`` (refusing with :class:`JixiaoError`) and record one ``export.personal``
    event: ``what`` was exported (a short code such as ``cycles.results``), ``rows`` rows, under
    ``scope`` (``all``, ``department:7``, ``own``), and why."""
    stated = export_reason_clean(reason)
    if not what or not scope or isinstance(rows, bool) or not isinstance(rows, int) or rows < 0:
        raise ValueError("what, scope and a row count are required")
    audit_record(
        actor=user,
        action=ACTION,
        object_type="",
        after={"what": what, "rows": rows, "scope": scope},
        reason=stated,
    )


def _refused(zh: str, en: str) -> JixiaoError:
    return JixiaoError(zh=zh, en=en, code="export_reason")


# --- The download flow, for the views of every list with an Excel download -------------------


@dataclass(frozen=True)
class Download:
    """What a list's download holds, built by the page's own selector (so it never holds a row
    the page would not show): the workbook's title and sections, its file name, and for the
    audit, ``what`` (a short code: ``cycles.results``), ``scope`` (``all``, ``department:7``…)
    and ``rows`` (how many people or records it names)."""

    title: Text
    sections: Sequence[Section]
    filename: str
    what: str
    scope: str
    rows: int


def export_download(
    request: HttpRequest,
    *,
    build: Callable[[], Download],
    personal: bool,
    refused: Callable[[JixiaoError], HttpResponse] | None = None,
) -> HttpResponse:
    """Answer a list's Excel download.

    ``personal``: the request is the POST of ``_export.html``'s form; its ``reason`` is checked
    first (a refusal calls ``refused(error)``, which re-renders the list page with
    ``export_error`` beside the form — see :func:`export_refused`), then the workbook is built,
    the export recorded (one ``export.personal`` event with the row count) and answered.
    Otherwise the workbook is built and answered, nothing recorded.
    """
    if personal:
        try:
            reason = export_reason_clean(request.POST.get("reason", ""))
        except JixiaoError as error:
            if refused is None:
                raise
            return refused(error)
    download = build()
    if personal:
        personal_export_record(
            user=request.user, what=download.what, reason=reason, rows=download.rows, scope=download.scope
        )
    return workbook_response(download.title, download.sections, download.filename)


def export_refused(
    request: HttpRequest, template: str, context: dict[str, Any], error: JixiaoError
) -> HttpResponse:
    """The list page again, with the refusal beside the export form (``export_error``) and the
    typed reason kept (``export_reason``, cut to the longest allowed), answering 400."""
    typed = request.POST.get("reason", "")
    kept = typed[:REASON_MAX] if isinstance(typed, str) else ""
    kept = "".join(ch for ch in kept if unicodedata.category(ch) not in {"Cc", "Cs"})
    extra = {"export_error": error.text(), "export_reason": kept}
    return render(request, template, {**context, **extra}, status=error.status)


def table_rows(sections: Sequence[Section]) -> int:
    """The number of data rows in every table of ``sections`` (a download's default count)."""
    return sum(len(table.rows) for section in sections for table in section.tables)
