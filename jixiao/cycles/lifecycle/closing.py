"""Closing scoring as a background job (后台任务): start it from the web, run it in the worker,
read its progress. The work itself is ``services.cycle_close_scoring``; this module only queues
it (django-tasks, see DESIGN "background work") and records it in a ``JobRun`` row.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from jixiao.access.actor import SYSTEM, ActingUser
from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError
from jixiao.jobs.models import JobRun
from jixiao.jobs.services import Progress, job_create, job_execute, job_latest

from . import services
from .locks import cycle_locked
from .models import Cycle, State

KIND = "cycle.close_scoring"

# A close reports progress at least every chunk (seconds apart); one silent this long lost its
# worker (killed, machine restarted) and must not block closing the cycle for ever.
STALE_AFTER = dt.timedelta(minutes=15)


def cycle_close_start(*, user: ActingUser, cycle: Cycle, reason: str = "") -> JobRun:
    """Queue closing the cycle's scoring; refuse while a close of it is already queued or running,
    and refuse at once what the close itself would refuse (missing data, an early close without
    a reason), so the page says so instead of a failed job."""
    require(user, "cycle.manage")
    if cycle.state == State.OPEN:
        services.close_check(user=user, cycle=cycle, reason=reason)
    with transaction.atomic():
        cycle = cycle_locked(cycle.pk, (State.OPEN, State.SCORING_CLOSED))
        running = job_latest(kind=KIND, target=cycle)
        if running is not None and not running.finished and _stale(running):
            _abandon(running)
        elif running is not None and not running.finished:
            raise JixiaoError(
                zh=f"周期 {cycle.label} 正在计算结果，请等待完成。",
                en=f"The results of cycle {cycle.label} are being computed; wait until it finishes.",
                status=409,
            )
        job = job_create(kind=KIND, target=cycle, user=user)
    result = close_scoring_task.enqueue(job.pk, cycle.pk, getattr(user, "pk", None), reason)
    JobRun.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def _stale(job: JobRun) -> bool:
    return job.updated_at < timezone.now() - STALE_AFTER


def _abandon(job: JobRun) -> None:
    """Mark a job whose worker went away as failed, saying so, so a new close may start."""
    minutes = int(STALE_AFTER.total_seconds() // 60)
    JobRun.objects.filter(pk=job.pk).update(
        state=JobRun.State.FAILED,
        finished_at=timezone.now(),
        message=f"后台任务已中断：超过 {minutes} 分钟没有进展（工作进程可能已停止），已重新开始计算。",
        message_en=f"The background job stopped: no progress for {minutes} minutes (its worker may have "
        "stopped); the close was started again.",
    )


def close_job_latest(*, user: ActingUser, cycle: Cycle) -> JobRun | None:
    """The latest close job of the cycle, for those who may close it."""
    require(user, "cycle.manage")
    return job_latest(kind=KIND, target=cycle)


@task()
def close_scoring_task(job_pk: int, cycle_pk: int, user_pk: int | None, reason: str = "") -> None:
    """The worker's side: close scoring as the user who asked, reporting into the job row."""

    def work(progress: Progress) -> tuple[str, str]:
        # A job asked for by no one (a command, a schedule) closes as the system.
        user: ActingUser = (
            get_user_model().objects.filter(pk=user_pk).first() if user_pk else None
        ) or SYSTEM
        cycle = services.cycle_close_scoring(
            user=user, cycle=Cycle.objects.get(pk=cycle_pk), progress=progress, reason=reason
        )
        count = cycle.results.count()
        return (
            f"周期 {cycle.label} 已截止评分，计算了 {count} 个结果。",
            f"Scoring of cycle {cycle.label} is closed; {count} results computed.",
        )

    job_execute(job_pk, work)
