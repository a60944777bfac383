"""The rules run by themselves when a cycle locks (a background job after the lock commits), and
from ``jixiao people propose <label>``; either way nothing is proposed twice."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from jixiao.cycles.lifecycle import services as cycles
from jixiao.cycles.lifecycle.models import Cycle, State
from jixiao.jobs.models import JobRun
from jixiao.people.rules.models import Proposal
from jixiao.people.rules.running import KIND

from .world import cycle, graded, in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _published(p: Any) -> Cycle:
    graded(p)
    Cycle.objects.filter(label="2026-09").update(state=State.PUBLISHED)
    return cycle()


def test_locking_a_cycle_runs_the_active_rules_once_the_lock_commits(
    personas: Any, immediate: None, django_capture_on_commit_callbacks: Any
) -> None:
    september = _published(personas)
    in_force(personas)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        cycles.cycle_lock(user=personas["hr"], cycle=september)
    assert callbacks  # sent after the commit, not inside the lock's transaction
    assert Proposal.objects.filter(cycle=september).count() == 5
    assert set(Proposal.objects.values_list("proposed_by", flat=True)) == {None}  # the system proposes
    job = JobRun.objects.get(kind=KIND)
    assert job.state == "done" and "新提出 5 条建议" in job.message and "5 new proposals" in job.message_en


def test_without_rules_for_its_kind_a_lock_queues_nothing(
    personas: Any, immediate: None, django_capture_on_commit_callbacks: Any
) -> None:
    september = _published(personas)
    with django_capture_on_commit_callbacks(execute=True):
        cycles.cycle_lock(user=personas["hr"], cycle=september)
    assert not JobRun.objects.filter(kind=KIND).exists()
    assert not Proposal.objects.exists()


def test_the_command_proposes_once(personas: Any) -> None:
    graded(personas)
    in_force(personas)
    out = StringIO()
    call_command("people", "propose", "2026-09", stdout=out)
    assert "新提出 5 条建议" in out.getvalue()
    call_command("people", "propose", "2026-09", stdout=out)
    assert "新提出 0 条建议" in out.getvalue() and Proposal.objects.count() == 5
    for label in ("2031-01", "1e30", "x" * 20_000):
        with pytest.raises(CommandError):
            call_command("people", "propose", label, stdout=out)
    Cycle.objects.filter(label="2026-08").update(state=State.PUBLISHED)
    with pytest.raises(CommandError, match="not locked"):
        call_command("people", "propose", "2026-08", stdout=out)
