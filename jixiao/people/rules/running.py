"""Running the rules as a background job (后台任务): when a cycle locks (the ``cycle_locked``
signal, after the lock commits), from HR's button, or from ``jixiao people propose <label>``.
The work is ``services.proposals_run`` (idempotent: a second run makes nothing twice); this
module queues it (django-tasks) and records it in a ``JobRun`` row."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from jixiao.access.actor import SYSTEM, ActingUser
from jixiao.access.policy import require
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.engine.text import Text
from jixiao.jobs.models import JobRun
from jixiao.jobs.services import Progress, job_create, job_execute

from . import services
from .models import RuleSet, RuleSetState

KIND = "people_rules.propose"


def proposals_start(*, user: ActingUser, cycle: Cycle) -> JobRun:
    """Queue running the active rules on ``cycle`` as ``user`` (HR's button; the system otherwise)."""
    require(user, "proposal.run")
    job = job_create(kind=KIND, target=cycle, user=user)
    result = propose_task.enqueue(job.pk, cycle.pk, getattr(user, "pk", None))
    JobRun.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def on_cycle_locked(sender: Any, cycle: Cycle, **kwargs: Any) -> None:
    """The ``cycle_locked`` receiver: queue the run when an active rule set has rules of its kind."""
    active = RuleSet.objects.filter(state=RuleSetState.ACTIVE, rules__cycle_kind=cycle.kind)
    if active.exists():
        proposals_start(user=SYSTEM, cycle=cycle)


@task()
def propose_task(job_pk: int, cycle_pk: int, user_pk: int | None) -> None:
    """The worker's side: run the rules on the cycle as the user who asked (else the system)."""

    def work(progress: Progress) -> Text:
        user: ActingUser = (
            get_user_model().objects.filter(pk=user_pk).first() if user_pk else None
        ) or SYSTEM
        cycle = Cycle.objects.get(pk=cycle_pk)
        count = services.proposals_run(user=user, cycle=cycle)
        return Text(
            f"已在周期 {cycle.label} 上运行规则，新提出 {count} 条建议。",
            f"The rules ran on cycle {cycle.label}: {count} new proposals.",
        )

    job_execute(job_pk, work)
