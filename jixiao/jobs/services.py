"""Start, report on and finish a background job's ``JobRun`` row.

Progress is written **outside** the job's own transaction, so the page polling it sees it while
the job runs. How, depends on where the caller is:
- outside a transaction: an ordinary autocommit UPDATE on the caller's connection;
- inside one, on PostgreSQL or MariaDB: the UPDATE runs on a second connection (a short-lived
  thread has its own), which commits at once; the job's transaction never locks the job row;
- inside one, on SQLite: skipped. SQLite has one writer: the job's transaction holds the write
  lock, so a second connection would wait for the very transaction it reports on. The close
  therefore reads and computes *before* its write transaction (see ``cycles.calculation``), so
  only the store phase is silent there; the final state is written after the commit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser
from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text

from .models import JobRun

Progress = Callable[[str, int, int], None]

# Progress writes at most this often (seconds), besides every change of phase.
INTERVAL = 0.2


def job_create(*, kind: str, target: Any, user: ActingUser) -> JobRun:
    """Record a queued job on ``target`` (a model instance) for ``user``."""
    return JobRun.objects.create(
        kind=kind,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        created_by_id=getattr(user, "pk", None),  # none for the system user
    )


def job_latest(*, kind: str, target: Any) -> JobRun | None:
    """The most recent job of ``kind`` on ``target``, or None."""
    return JobRun.objects.filter(
        kind=kind, target_type=target._meta.label_lower, target_id=str(target.pk)
    ).first()


def _update_elsewhere(pk: int, fields: dict[str, Any]) -> None:
    """UPDATE the job row on a connection of its own (a new thread has one), committed at once."""

    def write() -> None:
        try:
            JobRun.objects.filter(pk=pk).update(**fields)
        finally:
            connection.close()

    thread = threading.Thread(target=write, name=f"job-progress-{pk}")
    thread.start()
    thread.join()


class JobProgress:
    """A progress callback ``(phase, done, total)`` that writes to one ``JobRun`` row, throttled."""

    def __init__(self, job_pk: int, *, interval: float = INTERVAL) -> None:
        self.job_pk = job_pk
        self.interval = interval
        self.phase = ""
        self.last = 0.0
        self.latest: tuple[str, int, int] = ("", 0, 0)  # written at the end if skipped meanwhile

    def __call__(self, phase: str, done: int, total: int) -> None:
        self.latest = (phase, done, total)
        now = time.monotonic()
        if phase == self.phase and now - self.last < self.interval and done < total:
            return
        self.phase, self.last = phase, now
        fields = {"phase": phase, "done": done, "total": total, "updated_at": timezone.now()}
        if not connection.in_atomic_block:
            JobRun.objects.filter(pk=self.job_pk).update(**fields)
        elif connection.vendor != "sqlite":
            _update_elsewhere(self.job_pk, fields)


def job_execute(job_pk: int, work: Callable[[Progress], Text | tuple[str, str]]) -> JobRun:
    """Run ``work(progress)`` for the job: mark it running, then done with the message ``work``
    returns (a :class:`Text`, or a ``(zh, en)`` pair), or failed with the error's message, in
    both languages. Errors are recorded, not raised."""
    JobRun.objects.filter(pk=job_pk).update(state=JobRun.State.RUNNING, started_at=timezone.now())
    progress = JobProgress(job_pk)
    try:
        said = work(progress)
        message = said if isinstance(said, Text) else Text(*said)
        state = JobRun.State.DONE
    except JixiaoError as error:
        message, state = error.message, JobRun.State.FAILED
    except Exception as error:  # a job must end in a state the page can show
        message = Text(f"任务失败：{error}", f"The job failed: {error}")
        state = JobRun.State.FAILED
    with transaction.atomic():
        job = JobRun.objects.select_for_update().get(pk=job_pk)
        job.state, job.message, job.message_en = state, message.zh, message.en
        job.finished_at = timezone.now()
        if progress.latest[0]:
            job.phase, job.done, job.total = progress.latest
        job.save()
    return job
