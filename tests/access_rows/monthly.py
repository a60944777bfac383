"""Access-matrix rows of the monthly report (绩效考核月报, issue 14 item 2).

HR and the committee read every report, drafts included; a department head reads published
reports only (filtered to their departments) and not the generating job's progress; everyone
else (employees, finance, the auditor, the bare administrator) reads none of it. POST-only
steps answer 405 to the matrix's GET (their refusals are proved in the wing's own tests)."""

from __future__ import annotations

from typing import Any

from tests.test_access_matrix import APPRAISAL_READERS, NO_ARGS, everyone, hidden, only

HEADS = {"head", "other_head"}


def draft(p: Any) -> dict[str, Any]:
    from jixiao.reports.monthly.tests.world import draft_report

    return {"pk": draft_report(p).pk}


def published(p: Any) -> dict[str, Any]:
    from jixiao.reports.monthly.tests.world import published_report

    return {"pk": published_report(p).pk}


def _published_progress() -> dict[str, int]:
    return {**hidden(APPRAISAL_READERS | HEADS), **dict.fromkeys(HEADS, 403)}


ROWS: dict[str, Any] = {
    "monthly_reports:list": (NO_ARGS, only(APPRAISAL_READERS | HEADS)),
    "monthly_reports:generate": (NO_ARGS, everyone(405)),
    "monthly_reports:report": (draft, hidden(APPRAISAL_READERS)),
    "monthly_reports:progress": (draft, hidden(APPRAISAL_READERS)),
    "monthly_reports:regenerate": (draft, everyone(405)),
    "monthly_reports:conclusion": (draft, everyone(405)),
    "monthly_reports:publish": (draft, everyone(405)),
    "monthly_reports:correct": (published, everyone(405)),
    "monthly_reports:download": (
        lambda p: {**published(p), "kind": "xlsx"},
        hidden(APPRAISAL_READERS | HEADS),
    ),
}
