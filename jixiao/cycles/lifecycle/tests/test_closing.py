"""Closing scoring as a background job: queued from the web, run by the real worker, shown as a
progress bar; the command's progress; a close killed while storing changes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from jixiao.audit.models import AuditEvent
from jixiao.cycles.lifecycle.closing import STALE_AFTER, cycle_close_start
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.cycles.results.models import Result
from jixiao.cycles.tests.helpers import closed_cycle, open_cycle
from jixiao.jobs.models import JobRun

BIN = Path(sys.executable).parent


def run_worker() -> None:
    """What ``make run``'s worker does, until the queue is empty."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks
def test_hr_closes_from_the_web_the_worker_computes_and_the_page_shows_done(
    personas: Any, client_for: Any
) -> None:
    cycle = open_cycle(personas)
    hr = client_for("hr")
    assert hr.post(f"/cycles/{cycle.pk}/close/").status_code == 302
    job = JobRun.objects.get(target_id=str(cycle.pk), kind="cycle.close_scoring")
    assert job.state == "queued" and job.task_id
    waiting = hr.get(f"/cycles/{cycle.pk}/close/progress/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 500ms"' in waiting.text and "等待后台任务开始" in waiting.text
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.phase, job.done, job.total) == ("done", "storing", 3, 3)
    cycle.refresh_from_db()
    assert cycle.state == "scoring_closed" and Result.objects.filter(cycle=cycle).count() == 3
    done = hr.get(f"/cycles/{cycle.pk}/close/progress/", headers={"HX-Request": "true"})
    assert "every 500ms" not in done.text
    assert "计算了 3 个结果" in done.text and f"/cycles/{cycle.pk}/results/" in done.text
    assert "close-progress" in hr.get(f"/cycles/{cycle.pk}/").text


@pytest.mark.django_db
def test_a_second_close_while_one_is_queued_is_refused(personas: Any) -> None:
    cycle = open_cycle(personas)
    cycle_close_start(user=personas["hr"], cycle=cycle)
    with pytest.raises(Exception) as refused:
        cycle_close_start(user=personas["hr"], cycle=cycle)
    assert getattr(refused.value, "status", None) == 409


@pytest.mark.django_db
def test_a_close_whose_worker_went_silent_no_longer_blocks_a_new_close(personas: Any) -> None:
    cycle = open_cycle(personas)
    first = cycle_close_start(user=personas["hr"], cycle=cycle)
    JobRun.objects.filter(pk=first.pk).update(state="running", updated_at=first.created_at - STALE_AFTER)
    second = cycle_close_start(user=personas["hr"], cycle=cycle)
    first.refresh_from_db()
    assert second.pk != first.pk and second.state == "queued"
    assert first.state == "failed" and "没有进展" in first.message and "no progress" in first.message_en


@pytest.mark.django_db(transaction=True)
def test_a_close_that_fails_in_the_worker_shows_its_error_in_chinese_and_english(
    personas: Any, client_for: Any
) -> None:
    cycle = open_cycle(personas)
    cycle_close_start(user=personas["hr"], cycle=cycle)
    Cycle.objects.filter(pk=cycle.pk).update(state="verified")  # moved on before the worker ran
    run_worker()
    job = JobRun.objects.get(target_id=str(cycle.pk))
    assert job.state == "failed" and "不能进行此操作" in job.message and "not allowed" in job.message_en
    page = client_for("hr").get(f"/cycles/{cycle.pk}/close/progress/")
    assert 'role="alert"' in page.text and "不能进行此操作" in page.text
    assert not Result.objects.filter(cycle=cycle).exists()


@pytest.mark.django_db
def test_only_hr_sees_the_progress_of_a_close(personas: Any, client_for: Any) -> None:
    cycle = open_cycle(personas)
    assert client_for("head").get(f"/cycles/{cycle.pk}/close/progress/").status_code == 403
    assert client_for("employee").post(f"/cycles/{cycle.pk}/close/").status_code in (302, 403)
    assert not JobRun.objects.exists()


@pytest.mark.django_db
def test_the_close_command_prints_each_phase(personas: Any, capsys: Any) -> None:
    cycle = open_cycle(personas)
    call_command("cycle", "close", cycle.label)
    out = capsys.readouterr().out
    for phase in ("reading", "computing", "storing 3/3"):
        assert phase in out
    assert "3 results" in out


def database_url() -> str:
    """The test database as a ``JIXIAO_DATABASE_URL`` for a child process."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    scheme = {"postgresql": "postgres", "mysql": "mysql"}[connection.vendor]
    auth = f"{s['USER']}:{s['PASSWORD']}@" if s["PASSWORD"] else f"{s['USER']}@"
    return f"{scheme}://{auth}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "JIXIAO_DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "jixiao.settings",
        **extra,
    }


@pytest.mark.skipif(
    connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]),
    reason="needs a file database",
)
@pytest.mark.django_db(transaction=True)
def test_the_real_worker_command_runs_a_queued_close_in_its_own_process(personas: Any) -> None:
    cycle = open_cycle(personas)
    job = cycle_close_start(user=personas["hr"], cycle=cycle)
    subprocess.run(
        [str(BIN / "jixiao"), "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0"],
        env=child_env(),
        check=True,
        timeout=120,
    )
    job.refresh_from_db()
    assert job.state == "done", job.message
    assert Cycle.objects.get(pk=cycle.pk).state == "scoring_closed"
    assert Result.objects.filter(cycle=cycle).count() == 3


def snapshot(cycle: Cycle) -> tuple[Any, ...]:
    rows = Result.objects.filter(cycle=cycle).order_by("member_id")
    events = AuditEvent.objects.filter(action="cycle.close_scoring", object_id=str(cycle.pk)).count()
    state = Cycle.objects.values_list("state", "computed_at").get(pk=cycle.pk)
    return state, events, list(rows.values_list("pk", "member_id", "total_milli", "computed_at"))


@pytest.mark.parametrize("closed_before", [False, True], ids=["open", "already-closed"])
@pytest.mark.django_db(transaction=True)
def test_a_close_killed_while_storing_leaves_the_cycle_and_results_as_they_were(
    personas: Any, closed_before: bool
) -> None:
    cycle = closed_cycle(personas) if closed_before else open_cycle(personas)
    before = snapshot(cycle)
    process = subprocess.Popen(
        [str(BIN / "jixiao"), "cycle", "close", cycle.label],
        env=child_env(JIXIAO_CLOSE_STORE_PAUSE="30", PYTHONUNBUFFERED="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + 60
    for line in process.stdout:  # the command prints after each stored chunk, inside the transaction
        seen.append(line)
        if "storing 3/3" in line or time.monotonic() > deadline:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert any("storing 3/3" in line for line in seen), seen
    assert process.returncode == -signal.SIGKILL
    assert snapshot(cycle) == before
    assert Cycle.objects.get(pk=cycle.pk).state == ("scoring_closed" if closed_before else "open")
