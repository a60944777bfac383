"""Reads of the monthly report: one page selector per page, through ``access``.

A head's report is the same snapshot filtered to the departments they head (``actor_for``):
the figures of other departments, the company totals and the pay section never reach their page
or their download."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can, require, scope
from jixiao.common.errors import JixiaoError, NotFound
from jixiao.common.figures import Section
from jixiao.common.text import named
from jixiao.jobs.models import JobRun
from jixiao.org.history import names_of_users
from jixiao.workflow.table import Transition

from . import files
from .models import MonthlyReport, ReportCorrection
from .running import report_job_latest
from .sections import report_sections
from .snapshot import parse_month
from .workflow import REPORT_WORKFLOW

LIST_LIMIT = 120  # ten years of months


def report_get(*, user: ActingUser, pk: int) -> MonthlyReport:
    """The report ``pk`` if ``user`` may read it, else 404 (its existence is not revealed)."""
    report = scope(user, "monthly_report.view", MonthlyReport.objects.all()).filter(pk=pk).first()
    if report is None:
        raise NotFound()
    return report


def _departments(user: ActingUser, report: MonthlyReport) -> Collection[int] | None:
    """None for the whole report; else the departments the reader heads."""
    if can(user, "monthly_report.whole", report):
        return None
    return actor_for(user).headed_department_ids


@dataclass
class ReportListPage:
    reports: QuerySet[MonthlyReport]
    can_generate: bool
    suggested_month: str
    error: str = ""
    month: str = ""


def report_list_page(*, user: ActingUser, error: str = "", month: str = "") -> ReportListPage:
    require(user, "monthly_report.list")
    reports = scope(user, "monthly_report.view", MonthlyReport.objects.all()).order_by("-month")[:LIST_LIMIT]
    today = timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)
    return ReportListPage(
        reports.select_related(None).only("pk", "month", "state", "generated_at", "published_at", "version"),
        can(user, "monthly_report.generate"),
        f"{last:%Y-%m}",
        error,
        month,
    )


@dataclass
class ReportPage:
    report: MonthlyReport
    sections: tuple[Section, ...]
    whole: bool  # False: a head's view, their departments only
    actions: list[Transition]
    can_edit: bool
    can_correct: bool
    can_regenerate: bool
    corrections: list[tuple[ReportCorrection, str]]
    generated_by: str
    published_by: str
    job: JobRun | None
    job_message: str
    state_label: Any
    departments: list[str] = field(default_factory=list)
    error: str = ""


def report_page(*, user: ActingUser, pk: int, error: str = "") -> ReportPage:
    """Everything the report page shows (a fixed number of queries, whatever the company's size:
    the figures come from the stored snapshot)."""
    report = report_get(user=user, pk=pk)
    departments = _departments(user, report)
    corrections = list(ReportCorrection.objects.filter(report=report))
    names = names_of_users(
        {report.generated_by_id, report.published_by_id, *(c.author_id for c in corrections)}
    )
    job = report_job_latest(report) if departments is None else None
    names_of = report.snapshot.get("departments", {})
    return ReportPage(
        report=report,
        sections=report_sections(report.snapshot, report.conclusion, departments),
        whole=departments is None,
        actions=REPORT_WORKFLOW.available(user, report),
        can_edit=can(user, "monthly_report.edit", report),
        can_correct=can(user, "monthly_report.correct", report),
        can_regenerate=can(user, "monthly_report.regenerate", report),
        corrections=[(c, names.get(c.author_id or 0, "系统")) for c in corrections],
        generated_by=names.get(report.generated_by_id or 0, ""),
        published_by=names.get(report.published_by_id or 0, ""),
        job=job,
        job_message=named(job, "message", "message_en") if job else "",
        state_label=REPORT_WORKFLOW.state_label(report.state),
        departments=[names_of.get(str(d), str(d)) for d in sorted(departments or ())],
        error=error,
    )


def report_progress_page(*, user: ActingUser, pk: int) -> tuple[MonthlyReport, JobRun | None, str]:
    """The generating job's progress (the page polls it)."""
    report = report_get(user=user, pk=pk)
    require(user, "monthly_report.whole", report)
    job = report_job_latest(report)
    return report, job, named(job, "message", "message_en") if job else ""


@dataclass(frozen=True)
class Download:
    data: bytes
    name: str
    content_type: str


def report_download(*, user: ActingUser, pk: int, kind: str) -> Download:
    """The workbook or PDF: the whole report's kept file, or a head's copy of their departments."""
    if kind not in ("xlsx", "pdf"):
        raise NotFound()
    chosen: files.Kind = "xlsx" if kind == "xlsx" else "pdf"
    report = report_get(user=user, pk=pk)
    if not report.snapshot:
        raise JixiaoError(zh="月报尚未生成数据。", en="The report has no figures yet.", status=409)
    departments = _departments(user, report)
    sections = report_sections(report.snapshot, report.conclusion, departments)
    if departments is None:
        data = files.stored(report, sections, chosen)
        return Download(data, files.file_name(report, chosen), files.CONTENT_TYPES[chosen])
    data = files.render(report, sections, chosen)
    return Download(data, files.file_name(report, chosen, "-本部门"), files.CONTENT_TYPES[chosen])


def month_checked(text: object) -> str:
    """The month a form asked for, or the refusal (for the list page's form)."""
    return parse_month(text)
