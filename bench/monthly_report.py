"""Benchmark the monthly report (绩效考核月报) of a 100,000-employee month on PostgreSQL: the
page data (every section counted by ``reports.monthly.snapshot.build`` and turned into sections),
the Excel workbook and the PDF, each timed in a fresh process with its peak memory.

Printed beside it, from the same run and the same rows: one plain SQL aggregation of the same
counts (members, results, scores and on-time scores per department; results per department and
grade; mean, median, lowest, highest and spread of the totals per department), the floor.
Targets: page data ≤ 3× the aggregation; the whole report ≤ 30 s and ≤ 1 GiB. Prints figures
and ratios; asserts nothing. The world is ``bench.close``'s 100,000-person cycle, closed
through the real service so that every person has a result.

    BENCH_SCALE=0.1 .venv/bin/python -m bench.monthly_report     # 10,000 employees
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.close import LABEL, PEOPLE, build_world, scale

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "jixiao_bench_monthly"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
MONTH = LABEL  # bench.close's cycle 2098-01 runs the whole month

FLOOR_SQL = (
    "SELECT department_id, COUNT(*) FROM cycles_cyclemember WHERE cycle_id = %(c)s GROUP BY 1",
    "SELECT m.department_id, COUNT(*) FROM cycles_result r JOIN cycles_cyclemember m ON m.id = r.member_id "
    "WHERE r.cycle_id = %(c)s GROUP BY 1",
    "SELECT m.department_id, COUNT(*), COUNT(*) FILTER (WHERE s.updated_at < %(d)s) FROM cycles_score s "
    "JOIN cycles_cyclemember m ON m.id = s.member_id WHERE m.cycle_id = %(c)s GROUP BY 1",
    "SELECT m.department_id, r.grade, COUNT(*) FROM cycles_result r JOIN cycles_cyclemember m "
    "ON m.id = r.member_id WHERE r.cycle_id = %(c)s GROUP BY 1, 2",
    "SELECT m.department_id, COUNT(*), AVG(r.total_milli), "
    "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY r.total_milli), MIN(r.total_milli), MAX(r.total_milli), "
    "STDDEV_POP(r.total_milli) FROM cycles_result r JOIN cycles_cyclemember m ON m.id = r.member_id "
    "WHERE r.cycle_id = %(c)s GROUP BY 1",
)


def floor(cycle_pk: int) -> float:
    """The same counts in plain SQL (no JSON, no sections): the floor."""
    import datetime as dt

    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in FLOOR_SQL:
            cursor.execute(sql, {"c": cycle_pk, "d": dt.datetime(2098, 2, 6, tzinfo=dt.UTC)})
            cursor.fetchall()
    return time.perf_counter() - started


def report_child() -> None:
    """In a fresh process: page data, workbook, PDF; print seconds and peak RSS after each."""
    import django

    django.setup()
    from jixiao.reports.monthly import files, snapshot
    from jixiao.reports.monthly.models import MonthlyReport
    from jixiao.reports.monthly.sections import report_sections

    figures: dict[str, Any] = {}

    def timed(name: str, work: Any) -> Any:
        started = time.perf_counter()
        value = work()
        figures[name] = {
            "seconds": time.perf_counter() - started,
            "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        }
        return value

    data = timed("page data", lambda: snapshot.build(MONTH))
    sections = report_sections(data, "基准月报结论。")
    report = MonthlyReport(month=MONTH, snapshot=data, conclusion="基准月报结论。", version=1)
    timed("xlsx", lambda: files.render(report, sections, "xlsx"))
    timed("pdf", lambda: files.render(report, sections, "pdf"))
    figures["departments"] = len(data["departments"])
    print(json.dumps(figures))


def database_child() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    from jixiao.access.actor import SYSTEM
    from jixiao.cycles.lifecycle.models import Cycle
    from jixiao.cycles.lifecycle.services import cycle_close_scoring

    people = max(1000, int(PEOPLE * scale()))
    call_command("migrate", "--noinput", verbosity=0)
    call_command("demo", verbosity=0)
    started = time.perf_counter()
    cycle_pk = build_world(people)
    cycle = Cycle.objects.get(pk=cycle_pk)
    cycle.deadlines = {"open": "2098-02-05"}
    cycle.save(update_fields=["deadlines"])
    cycle_close_scoring(user=SYSTEM, cycle=cycle, reason="benchmark: a synthetic future month")
    print(f"  setup: {people:,} members with results ({time.perf_counter() - started:.1f} s)")
    floor_s = min(floor(cycle_pk) for _ in range(3))
    out = subprocess.run(
        [sys.executable, "-m", "bench.monthly_report", "--report"],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    total = 0.0
    for name in ("page data", "xlsx", "pdf"):
        seconds, rss = result[name]["seconds"], result[name]["rss_kib"] / 1024
        total += seconds
        print(f"  {name:<10} {seconds:7.2f} s   peak RSS so far {rss:6.0f} MiB")
    page = result["page data"]["seconds"]
    print(f"  whole      {total:7.2f} s   ({result['departments']} departments; target ≤ 30 s, ≤ 1024 MiB)")
    print(
        f"  SQL aggregation of the same counts: {floor_s:6.2f} s   page data is {page / floor_s:5.1f}× it (target ≤ 3×)"
    )


def _postgres_ready() -> bool:
    try:
        import psycopg
    except ImportError:
        print("  skipped: psycopg is not installed (pip install -e '.[postgres]')")
        return False
    try:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
            db.execute(f"CREATE DATABASE {DATABASE}")
    except psycopg.Error as error:
        print(f"  skipped: PostgreSQL on 127.0.0.1:5432 did not answer ({error})")
        return False
    return True


def main() -> None:
    print(f"Monthly report: {int(PEOPLE * scale()):,} employees, one month (BENCH_SCALE={scale()})")
    print("PostgreSQL:")
    if not _postgres_ready():
        return
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jixiao.settings", "PYTHONPATH": str(ROOT)}
    env["JIXIAO_DATA_DIR"] = tempfile.mkdtemp(prefix="jixiao-bench-monthly-")
    env["JIXIAO_DATABASE_URL"] = PG_URL
    subprocess.run(
        [sys.executable, "-m", "bench.monthly_report", "--database"], check=True, cwd=ROOT, env=env
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--report"]:
        report_child()
    elif sys.argv[1:] == ["--database"]:
        database_child()
    else:
        main()
