"""Benchmark closing a cycle's scoring: 100,000 employees × 12 indicators (4 measured from
400,000 actuals, 8 rated from 800,000 manager scores), end to end through the real service
(read, compute with the engine's batch form, store results with their inputs for the trace,
state change and audit), on SQLite and, when it answers on 127.0.0.1:5432, on PostgreSQL.

Printed beside it, from the same run and the same rows:
- the per-employee ORM loop (a query or three per person, ``score_person``, ``update_or_create``),
  timed on a sample of 2,000 people inside a rolled-back transaction and **extrapolated** to
  the whole cycle (target: the close ≥ 50× faster);
- one plain SQL aggregate over the same input rows, the floor (target: within 10× of it).
Targets for the close: ≤ 5 s and ≤ 1 GiB peak memory (the close runs in a fresh process, whose
peak RSS is reported). Prints figures and ratios; asserts nothing.

    BENCH_SCALE=0.1 .venv/bin/python -m bench.close     # 10,000 employees
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = 100_000
SAMPLE = 2_000
DEPARTMENT = 500  # people per department (ranks are per department and company)
RATED, MEASURED = 8, 4
LABEL = "2098-01"
PG_URL = "postgres://postgres@127.0.0.1:5432/jixiao_bench_close"
LEVELS = [("excellent", "优", 100), ("good", "良", 80), ("fair", "中", 60), ("poor", "差", 40)]


def scale() -> float:
    return float(os.environ.get("BENCH_SCALE", "1"))


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def build_world(people: int) -> int:
    """An open cycle of ``people`` members under one 12-indicator plan, fully scored; its pk."""
    from django.db import transaction
    from django.utils import timezone

    from jixiao.cycles.entry.models import Actual, Score
    from jixiao.cycles.lifecycle.models import Cycle, CycleMember, CyclePlan, State
    from jixiao.org.models import Department, Employee

    source = CyclePlan.objects.first()
    assert source is not None, "the demo company has cycles"
    rubric = [{"key": k, "name_zh": n, "points": p} for k, n, p in LEVELS]
    indicators = [
        {
            "key": f"m{i}",
            "name_zh": f"业绩{i + 1}",
            "kind": "ratio",
            "measure": f"m{i}",
            "target": "100",
            "cap": "1.2",
            "category": "performance",
            "weight": "12.5",
            "source": "import",
        }
        for i in range(MEASURED)
    ] + [
        {
            "key": f"r{i}",
            "name_zh": f"能力{i + 1}",
            "kind": "rubric",
            "category": "ability" if i < 4 else "attitude",
            "weight": "6.25",
            "source": "manual",
            "raters": ["manager"],
            "levels": rubric,
        }
        for i in range(RATED)
    ]
    measures = [
        {"key": f"m{i}", "name_zh": f"数据{i + 1}", "unit": "", "source": "import"} for i in range(MEASURED)
    ]
    content = {
        **source.plan_content,
        "key": "bench-close",
        "name_zh": "基准细则",
        "measures": measures,
        "indicators": indicators,
    }
    now = timezone.now()
    with transaction.atomic():
        departments = Department.objects.bulk_create(
            Department(code=f"BC{d:04d}", name=f"基准部{d}") for d in range(-(-people // DEPARTMENT))
        )
        rater = Employee.objects.create(number="BC-HEAD", name="基准主管", department=departments[0])
        employees = Employee.objects.bulk_create(
            (
                Employee(
                    number=f"BC{i:07d}",
                    name=f"员工{i}",
                    department=departments[i // DEPARTMENT],
                    manager=rater,
                )
                for i in range(people)
            ),
            batch_size=5000,
        )
        cycle = Cycle.objects.create(
            label=LABEL, start=dt.date(2098, 1, 1), end=dt.date(2098, 1, 31), state=State.OPEN
        )
        snapshot = CyclePlan.objects.create(
            cycle=cycle,
            plan_id=source.plan_id,
            plan_number=1,
            plan_content=content,
            framework_id=source.framework_id,
            framework_number=source.framework_number,
            framework_content=source.framework_content,
        )
        members = CycleMember.objects.bulk_create(
            (
                CycleMember(
                    cycle=cycle, employee=e, snapshot=snapshot, department_id=e.department_id, manager=rater
                )
                for e in employees
            ),
            batch_size=5000,
        )
        _insert(
            Actual._meta.db_table,
            ["member_id", "measure_key", "value", "source", "version", "created_at", "updated_at"],
            [
                (m.pk, f"m{i}", str(60 + (n * 7 + i * 13) % 61), "import", 1, now, now)
                for n, m in enumerate(members)
                for i in range(MEASURED)
            ],
        )
        _insert(
            Score._meta.db_table,
            [
                "member_id",
                "indicator_key",
                "rater_kind",
                "rater_id",
                "value",
                "comment",
                "version",
                "created_at",
                "updated_at",
            ],
            [
                (m.pk, f"r{i}", "manager", rater.pk, LEVELS[(n + i * 3) % 4][0], "", 1, now, now)
                for n, m in enumerate(members)
                for i in range(RATED)
            ],
        )
    return int(cycle.pk)


def floor(cycle_pk: int) -> float:
    """One plain SQL aggregate over the same input rows (scores and actuals per member)."""
    from django.db import connection

    sql = (
        "SELECT m.id, COUNT(*), SUM(LENGTH(s.value)) FROM cycles_cyclemember m "
        "JOIN cycles_score s ON s.member_id = m.id WHERE m.cycle_id = %s GROUP BY m.id "
        "UNION ALL SELECT m.id, COUNT(*), SUM(LENGTH(a.value)) FROM cycles_cyclemember m "
        "JOIN cycles_actual a ON a.member_id = m.id WHERE m.cycle_id = %s GROUP BY m.id"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle_pk, cycle_pk])
        cursor.fetchall()
    return time.perf_counter() - started


def orm_loop(cycle_pk: int, sample: int) -> float:
    """The per-employee way: per person fetch, score, update_or_create; rolled back."""
    from django.db import transaction

    from jixiao.cycles.lifecycle.models import CycleMember
    from jixiao.cycles.lifecycle.snapshot import decimal_or_none, rating_cell, rules
    from jixiao.cycles.results.models import Result
    from jixiao.engine.batch import score_person
    from jixiao.engine.grading import grade_batch
    from jixiao.engine.types import Rater

    pks = list(
        CycleMember.objects.filter(cycle_id=cycle_pk).order_by("pk").values_list("pk", flat=True)[:sample]
    )
    started = time.perf_counter()
    with transaction.atomic():
        for pk in pks:
            member = CycleMember.objects.select_related("snapshot").get(pk=pk)
            plan, framework = rules(member.snapshot)
            measures = {a.measure_key: decimal_or_none(a.value) for a in member.actuals.all()}
            ratings = {
                (s.indicator_key, Rater(s.rater_kind)): rating_cell(s.value) for s in member.scores.all()
            }
            person = score_person(framework, plan, str(pk), measures, ratings, with_trace=False)
            total = int(person.total * 1000)
            grades = grade_batch(framework, [total], [person.grade_cap])
            Result.objects.update_or_create(
                member=member,
                defaults={
                    "cycle_id": cycle_pk,
                    "total_milli": total,
                    "weighted_milli": int(person.weighted * 1000),
                    "bonus_milli": int(person.bonus * 1000),
                    "deduction_milli": int(person.deduction * 1000),
                    "grade": grades.grade[0],
                    "engine_grade": grades.grade[0],
                    "coefficient": str(grades.coefficient[0]),
                    "rank_department": 0,
                    "rank_company": 0,
                    "inputs": {"measures": {}, "ratings": []},
                    "engine_version": "loop",
                    "computed_at": member.cycle.computed_at or dt.datetime.now(dt.UTC),
                },
            )
        transaction.set_rollback(True)
    return time.perf_counter() - started


def close_child(label: str) -> None:
    """In a fresh process: close the cycle through the service; print seconds and peak RSS."""
    import django

    django.setup()
    from jixiao.access.actor import SYSTEM
    from jixiao.cycles.lifecycle.models import Cycle
    from jixiao.cycles.lifecycle.services import cycle_close_scoring

    cycle = Cycle.objects.get(label=label)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    phases: dict[str, float] = {}
    started = time.perf_counter()

    def progress(phase: str, done: int, total: int) -> None:
        phases.setdefault(phase, time.perf_counter() - started)

    cycle_close_scoring(
        user=SYSTEM, cycle=cycle, progress=progress, reason="benchmark: a synthetic future month"
    )
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "rss_kib": rss, "rss_before_kib": rss_before, "phases": phases}))


def run_close(label: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.close", "--close", label],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def database_child(name: str) -> None:
    """Set up one database, build the world, print the figures."""
    import django
    from django.core.management import call_command

    django.setup()
    people = max(1000, int(PEOPLE * scale()))
    call_command("migrate", "--noinput", verbosity=0)
    call_command("demo", verbosity=0)
    started = time.perf_counter()
    cycle_pk = build_world(people)
    print(
        f"  setup: {people:,} members, {people * MEASURED:,} actuals, {people * RATED:,} scores "
        f"({time.perf_counter() - started:.1f} s)"
    )
    floor_s = min(floor(cycle_pk) for _ in range(3))
    sample = min(SAMPLE, people)
    loop_s = orm_loop(cycle_pk, sample) * people / sample
    first = run_close(LABEL)
    again = run_close(LABEL)
    best = min(first["seconds"], again["seconds"])
    phases = ", ".join(f"{k} from {v:.2f} s" for k, v in first["phases"].items())
    print(
        f"  close (first):     {first['seconds']:6.2f} s   peak RSS {first['rss_kib'] / 1024:6.0f} MiB   "
        f"({phases})"
    )
    print(
        f"  close (again):     {again['seconds']:6.2f} s   peak RSS {again['rss_kib'] / 1024:6.0f} MiB   "
        f"(replaces the results; target ≤ 5 s, ≤ 1024 MiB)"
    )
    print(
        f"  ORM loop:          {loop_s:6.2f} s   (timed on {sample:,} people, extrapolated ×{people / sample:g})"
        f"   close is {loop_s / best:5.1f}× faster (target ≥ 50×)"
    )
    print(
        f"  SQL aggregate:     {floor_s:6.2f} s   (the floor)   close is {best / floor_s:5.1f}× the floor "
        f"(target ≤ 10×)"
    )


def _postgres_ready() -> bool:
    try:
        import psycopg
    except ImportError:
        print("  skipped: psycopg is not installed (pip install -e '.[postgres]')")
        return False
    try:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as db:
            db.execute("DROP DATABASE IF EXISTS jixiao_bench_close")
            db.execute("CREATE DATABASE jixiao_bench_close")
    except psycopg.Error as error:
        print(f"  skipped: PostgreSQL on 127.0.0.1:5432 did not answer ({error})")
        return False
    return True


def main() -> None:
    print(
        f"Close scoring: {int(PEOPLE * scale()):,} employees × {RATED + MEASURED} indicators (BENCH_SCALE={scale()})"
    )
    for name in ("SQLite", "PostgreSQL"):
        print(f"{name}:")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jixiao.settings", "PYTHONPATH": str(ROOT)}
        env["JIXIAO_DATA_DIR"] = tempfile.mkdtemp(prefix="jixiao-bench-close-")
        env.pop("JIXIAO_DATABASE_URL", None)
        if name == "PostgreSQL":
            if not _postgres_ready():
                continue
            env["JIXIAO_DATABASE_URL"] = PG_URL
        subprocess.run(
            [sys.executable, "-m", "bench.close", "--database", name], check=True, cwd=ROOT, env=env
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--close":
        close_child(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "--database":
        database_child(sys.argv[2])
    else:
        main()
