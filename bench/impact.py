"""Benchmark the plan impact preview (方案影响预览): a 100-person department, its plan's version 2
previewed on the last 3 and the last 12 closed cycles, on SQLite, from a fresh cache and again
from the cache; queries counted.

The world is the demo company with the production department grown to ``PEOPLE`` members in each
closed month: copies of its members with their stored results and pay lines (bench scaffolding —
the preview reads stored inputs, so copies cost the engine exactly what real people would).
The demo has six closed months; N = 12 previews all of them. Printed beside it, from the same
run: one plain query fetching the same stored inputs (the floor: reading is all it would cost
without the engine). Target: the cold preview for 100 people × 3 cycles ≤ 2 s (else it
would be a background job). Prints figures; asserts nothing.

    .venv/bin/python -m bench.impact          # BENCH_SCALE=0.1 makes it a 10-person department
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = 100


def scale() -> float:
    return float(os.environ.get("BENCH_SCALE", "1"))


def _grow(people: int) -> int:
    """Copy production's members (result and pay line) until each closed month has ``people``."""
    from django.db import transaction

    from jixiao.cycles.lifecycle.models import COMPUTED, CycleMember
    from jixiao.cycles.results.models import Result
    from jixiao.org.models import Employee
    from jixiao.pay.monthly.models import MonthlyPayLine

    added = 0
    with transaction.atomic():
        members = list(
            CycleMember.objects.filter(
                department__code="PRD", cycle__state__in=COMPUTED, result__isnull=False
            )
            .select_related("result", "employee")
            .order_by("cycle_id", "pk")
        )
        by_cycle: dict[int, list[Any]] = {}
        for m in members:
            by_cycle.setdefault(m.cycle_id, []).append(m)
        lines = {(ln.run.cycle_id, ln.employee_id): ln for ln in MonthlyPayLine.objects.select_related("run")}
        extra = max(0, people - max(len(v) for v in by_cycle.values()))
        clones = Employee.objects.bulk_create(
            Employee(number=f"BI{i:05d}", name=f"基准{i}", department=members[0].employee.department)
            for i in range(extra)
        )
        for cycle_members in by_cycle.values():
            for i, employee in enumerate(clones[: people - len(cycle_members)]):
                model = cycle_members[i % len(cycle_members)]
                member = CycleMember.objects.create(
                    cycle_id=model.cycle_id,
                    employee=employee,
                    snapshot_id=model.snapshot_id,
                    department_id=model.department_id,
                    position_id=model.position_id,
                )
                result: Result = model.result
                result.pk = result.id = None
                result.member = member
                result.save()
                line = lines.get((model.cycle_id, model.employee_id))
                if line is not None:
                    line.pk = line.id = None
                    line.employee = employee
                    MonthlyPayLine.objects.bulk_create([line])  # a released run refuses save()
                added += 1
    return added


def child() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jixiao.access.actor import SYSTEM
    from jixiao.cycles.lifecycle.models import COMPUTED, Cycle
    from jixiao.cycles.results.models import Result
    from jixiao.plans.models import Plan
    from jixiao.reports.impact.selectors import impact_page

    call_command("migrate", "--noinput", verbosity=0)
    call_command("demo", verbosity=0)
    people = max(1, int(PEOPLE * scale()))
    added = _grow(people)
    plan = Plan.objects.get(department__code="PRD", kind="appraisal", number=2)
    print(f"  department: {people} people per month ({added} copies added); production plan v2")
    for n in (3, 12):
        cycles = list(Cycle.objects.filter(state__in=COMPUTED).order_by("-start")[:n])
        start = time.perf_counter()
        fetched = list(
            Result.objects.filter(cycle__in=cycles, member__department__code="PRD").values_list(
                "inputs", "grade"
            )
        )
        floor = time.perf_counter() - start
        print(
            f"  baseline N={n:>2}: one query fetching the {len(fetched)} stored inputs: {floor * 1000:.0f} ms"
        )
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            page = impact_page(user=SYSTEM, pk=plan.pk, n=str(n))
            cold = time.perf_counter() - start
        assert page.impact is not None, page.error
        start = time.perf_counter()
        impact_page(user=SYSTEM, pk=plan.pk, n=str(n))
        warm = time.perf_counter() - start
        rows = len(page.impact.rows)
        moved = sum(r.grade_changed for r in page.impact.rows)
        print(
            f"  N={n:>2}: {len(page.impact.cycles)} cycles, {rows} results, {moved} change grade; "
            f"cold {cold * 1000:.0f} ms ({len(queries)} queries), cached {warm * 1000:.0f} ms "
            f"({'within' if cold <= 2 else 'OVER'} the 2 s target)"
        )


def main() -> None:
    print(f"Plan impact preview: {int(PEOPLE * scale())}-person department (BENCH_SCALE={scale()})")
    print("SQLite:")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jixiao.settings", "PYTHONPATH": str(ROOT)}
    env["JIXIAO_DATA_DIR"] = tempfile.mkdtemp(prefix="jixiao-bench-impact-")
    env.pop("JIXIAO_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "bench.impact", "--child"], check=True, cwd=ROOT, env=env)


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        child()
    else:
        main()
