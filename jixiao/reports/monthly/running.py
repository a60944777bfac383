"""Generating the monthly report as a background job (后台任务) with progress: HR's or the
committee's button queues it (django-tasks) and records it in a ``JobRun`` row; the report page
polls it like the close page does. The work is ``services.report_generate``, the same as the
command ``jixiao report monthly``."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from jixiao.access.actor import SYSTEM, ActingUser
from jixiao.engine.text import Text
from jixiao.jobs.models import JobRun
from jixiao.jobs.services import Progress, job_create, job_execute, job_latest

from . import services
from .models import MonthlyReport

KIND = "monthly_report.generate"
# The phases the page names: reading, computing (the figures), xlsx and pdf (the files).
PHASES = ("reading", "computing", "xlsx", "pdf")


def report_generate_start(*, user: ActingUser, month: str) -> tuple[MonthlyReport, JobRun]:
    """Open (or create) the month's draft and queue generating it as ``user``."""
    report = services.report_open(user=user, month=month)
    if not report.is_draft:
        raise services._published_refusal(report.month)
    job = job_create(kind=KIND, target=report, user=user)
    result = generate_task.enqueue(job.pk, report.month, getattr(user, "pk", None))
    JobRun.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return report, job


def report_job_latest(report: MonthlyReport) -> JobRun | None:
    return job_latest(kind=KIND, target=report)


@task()
def generate_task(job_pk: int, month: str, user_pk: int | None) -> None:
    """The worker's side: generate the month's report as the user who asked (else the system)."""

    def work(progress: Progress) -> Text:
        user: ActingUser = (
            get_user_model().objects.filter(pk=user_pk).first() if user_pk else None
        ) or SYSTEM
        report = services.report_generate(user=user, month=month, progress=progress)
        said: Text = services.generated_message(report)
        return said

    job_execute(job_pk, work)
