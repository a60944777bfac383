"""Two rechecks of two results in one cycle at the same time, on a real file database (SQLite,
and PostgreSQL / MariaDB when the suite runs there): both versions kept, both totals new, every
rank consistent with the final totals."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from jixiao.audit.models import AuditEvent
from jixiao.cycles.results.models import Result, ResultVersion
from jixiao.cycles.results.recheck import Corrections, recheck_apply, recheck_preview
from jixiao.engine.grading import rank_competition

from .scenario import recheck_cycle, result_of

ROUNDS = 3


@pytest.mark.django_db(transaction=True)
def test_two_rechecks_at_once_in_one_cycle_lose_nothing(personas: Any) -> None:
    cycle = recheck_cycle(personas)
    results = [result_of(personas, cycle, name) for name in ("employee", "worker")]
    corrections = [
        [Corrections(measures={"orders": str(30 + 5 * n), "satisfaction": "97"}) for n in range(ROUNDS)],
        [Corrections(measures={"orders": str(10 + 4 * n)}, ratings={("teamwork", "manager"): "poor"})
         for n in range(ROUNDS)],
    ]  # fmt: skip
    expected = [
        recheck_preview(r, c[-1]).after.total_milli for r, c in zip(results, corrections, strict=True)
    ]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def recheck(result: Result, steps: list[Corrections], who: int) -> None:
        try:
            start.wait()
            for n, step in enumerate(steps):
                recheck_apply(
                    user=personas["leader"],
                    result=result,
                    corrections=step,
                    reason=f"第 {n} 次",
                    source=f"appeal:{who}",
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=recheck, args=(result, steps, who))
        for who, (result, steps) in enumerate(zip(results, corrections, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors  # in particular no "database is locked", no deadlock
    for result, total in zip(results, expected, strict=True):
        result.refresh_from_db()
        assert result.revision == ROUNDS + 1
        assert result.total_milli == total
        assert [v.number for v in result.versions.order_by("number")] == list(range(1, ROUNDS + 1))
    assert ResultVersion.objects.count() == 2 * ROUNDS
    assert AuditEvent.objects.filter(action="result.recheck").count() == 2 * ROUNDS
    rows = list(
        Result.objects.filter(cycle=cycle)
        .order_by("pk")
        .values_list("total_milli", "member__department_id", "rank_department", "rank_company")
    )
    totals = [r[0] for r in rows]
    assert [r[3] for r in rows] == rank_competition(totals)
    assert [r[2] for r in rows] == rank_competition(totals, [str(r[1]) for r in rows])
