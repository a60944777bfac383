"""Writes of the monthly report: generate (or generate again while a draft), the conclusion,
publish, and corrections noted after publishing. Generating is also a background job
(``running.py``) and a command (``jixiao report monthly``): all three call ``report_generate``."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser, stored_user
from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text
from jixiao.workflow.services import audited_create, audited_write, transition_apply

from . import files
from .models import CONCLUSION_MAX, CORRECTION_MAX, EDITABLE, MonthlyReport, ReportCorrection
from .sections import report_sections
from .snapshot import build, parse_month
from .workflow import REPORT_WORKFLOW

Progress = Callable[[str, int, int], None]
CORRECTION_MIN = 4


def _quiet(phase: str, done: int, total: int) -> None:
    del phase, done, total


def _published_refusal(month: str) -> JixiaoError:
    return JixiaoError(
        zh=f"{month} 的月报已发布，不能重新生成；如有错误，请添加更正说明。",
        en=f"The report of {month} is published and cannot be generated again; add a correction note instead.",
        code="state",
        status=409,
    )


def report_open(*, user: ActingUser, month: str) -> MonthlyReport:
    """The month's report, created as an empty draft if there is none yet (the job's target)."""
    require(user, "monthly_report.generate")
    month = parse_month(month)
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().filter(month=month).first()
        if report is None:
            report = audited_create(user=user, obj=MonthlyReport(month=month), action="monthly_report.create")
    return report


def report_generate(
    *,
    user: ActingUser,
    month: str,
    progress: Progress | None = None,
    render: tuple[files.Kind, ...] = ("xlsx", "pdf"),
) -> MonthlyReport:
    """Count the month's figures and store them on its draft report (created if none), then
    render the workbook and the PDF of the new version. A published report is refused."""
    tell = progress or _quiet
    report = report_open(user=user, month=month)
    if not report.is_draft:
        raise _published_refusal(report.month)
    data = build(report.month, tell)  # read and count before the write transaction

    def change(r: MonthlyReport) -> None:
        r.snapshot = data
        r.generated_by = stored_user(user)
        r.generated_at = timezone.now()

    report = transition_apply(
        user=user,
        workflow=REPORT_WORKFLOW,
        obj=report,
        action="regenerate",
        change=change,
        fields=("state", "generated_at"),
        extra={"cycles": data["cycles"]},
    )
    report_render(report=report, kinds=render, progress=tell)
    return report


def report_render(
    *, report: MonthlyReport, kinds: tuple[files.Kind, ...], progress: Progress | None = None
) -> None:
    """Render and keep the whole report's files of its current version (the job's last phases)."""
    tell = progress or _quiet
    sections = report_sections(report.snapshot, report.conclusion)
    for done, kind in enumerate(kinds):
        tell(kind, done, len(kinds))
        files.stored(report, sections, kind)


def _bounded(text: object, limit: int, what: tuple[str, str]) -> str:
    value = str(text if text is not None else "").replace("\x00", "").replace("\r\n", "\n").strip()
    if len(value) > limit:
        raise JixiaoError(
            zh=f"{what[0]}最多 {limit} 个字，现有 {len(value)} 个字。",
            en=f"The {what[1]} may have at most {limit} characters; it has {len(value)}.",
            code="too_long",
            status=400,
        )
    return value


def report_conclusion_save(
    *, user: ActingUser, report: MonthlyReport, conclusion: object, version: int | None
) -> MonthlyReport:
    """HR writes the conclusion of a draft (refused once published: 409)."""
    require(user, "monthly_report.edit", report)
    text = _bounded(conclusion, CONCLUSION_MAX, ("结论", "conclusion"))

    def change(r: MonthlyReport) -> None:
        r.conclusion = text

    return audited_write(
        user=user,
        obj=report,
        action="monthly_report.conclusion",
        change=change,
        expected_version=version,
        states=EDITABLE,
        workflow=REPORT_WORKFLOW,
        fields=("conclusion",),
        skip_unchanged=True,
    )


def report_publish(*, user: ActingUser, report: MonthlyReport, version: int | None = None) -> MonthlyReport:
    """HR publishes the draft: from now on its figures and conclusion never change."""

    def change(r: MonthlyReport) -> None:
        r.published_by = stored_user(user)
        r.published_at = timezone.now()

    return transition_apply(
        user=user,
        workflow=REPORT_WORKFLOW,
        obj=report,
        action="publish",
        expected_version=version,
        change=change,
        fields=("state", "published_at"),
    )


def report_correct(*, user: ActingUser, report: MonthlyReport, text: object) -> ReportCorrection:
    """Note a correction on a published report (the report itself stays as published)."""
    require(user, "monthly_report.correct", report)
    value = _bounded(text, CORRECTION_MAX, ("更正说明", "correction"))
    if len(value) < CORRECTION_MIN:
        raise JixiaoError(
            zh=f"更正说明至少 {CORRECTION_MIN} 个字。",
            en=f"A correction needs at least {CORRECTION_MIN} characters.",
            code="too_short",
            status=400,
        )
    correction = ReportCorrection(report=report, text=value, author=stored_user(user))
    return audited_create(user=user, obj=correction, action="monthly_report.correct", fields=("text",))


def generated_message(report: MonthlyReport) -> Text:
    cycles = "、".join(report.snapshot.get("cycles", [])) or "—"
    return Text(
        f"已生成 {report.month} 的月报（考核周期：{cycles}）。",
        f"The report of {report.month} is generated (cycles: {cycles}).",
    )
