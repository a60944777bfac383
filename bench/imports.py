"""Benchmark the KPI-actuals import at scale while people save from the web.

One xlsx of 1,000,000 rows (工号 | 数据项 | 实际值; 83,334 members × 12 measures, with a few bad
rows) goes through the real command, ``jixiao import actuals FILE --cycle 2099-01
--valid-rows-only``, in a child process whose peak memory (and that of its calamine reader) is
measured. Meanwhile the real server (granian as ``make run`` starts it, on the same SQLite file)
takes score and actual saves from threads; their latency is printed beside the same saves with
no import running. The floor: calamine reading the same file in-process, and one plain
``executemany`` of the same rows into an empty table. Targets: import ≤ 20 s and ≤ 1 GiB peak;
web saves p95 ≤ 60 ms and no "database is locked". Prints figures; asserts nothing.

    BENCH_SCALE=0.1 .venv/bin/python -m bench.imports     # a tenth of the rows
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.web import ROOT, Client, data_dir, latency_line, scale, server

MEASURES = 12
LABEL = "2099-01"
BAD_EVERY = 20_000  # one bad row in this many: alternately an unknown employee and a non-number
SAVERS = 4  # threads saving from the web: two HR officers entering actuals, two heads scoring
THINK_SECONDS = 0.01


def build_world(rows: int) -> tuple[list[int], list[str]]:
    """A department of ``rows / 12`` employees in an open cycle whose plan imports 12 measures.

    Return the members' pks and the measure keys. Setup only (bulk inserts), not measured.
    """
    from jixiao.cycles.lifecycle.models import Cycle, CycleMember, CyclePlan, State
    from jixiao.cycles.lifecycle.snapshot import manual_measures, measure_keys, rules
    from jixiao.org.models import Department, Employee

    source = CyclePlan.objects.filter(cycle__state=State.OPEN).first()
    assert source is not None, "the demo has an open cycle"
    content = dict(source.plan_content)
    imported = [k for k in measure_keys(rules(source)[0]) if k not in manual_measures(rules(source)[0])]
    extra = [f"m{i}" for i in range(MEASURES - len(imported))]
    content["measures"] = [
        *content.get("measures", []),
        *({"key": k, "name_zh": f"数据项{k}", "name_en": k, "unit": "", "source": "import"} for k in extra),
    ]
    department = Department.objects.create(code="BENCH", name="基准部")
    count = -(-rows // MEASURES)
    Employee.objects.bulk_create(
        (Employee(number=f"B{i:07d}", name=f"员工{i}", department=department) for i in range(count)),
        batch_size=5000,
    )
    cycle = Cycle.objects.create(
        label=LABEL, start=dt.date(2099, 1, 1), end=dt.date(2099, 1, 31), state=State.OPEN
    )
    snapshot = CyclePlan.objects.create(
        cycle=cycle,
        plan_id=source.plan_id,
        plan_number=source.plan_number,
        plan_content=content,
        framework_id=source.framework_id,
        framework_number=source.framework_number,
        framework_content=source.framework_content,
    )
    employees = Employee.objects.filter(department=department).order_by("number").values_list("pk", flat=True)
    CycleMember.objects.bulk_create(
        (
            CycleMember(cycle=cycle, employee_id=pk, snapshot=snapshot, department=department)
            for pk in employees
        ),
        batch_size=5000,
    )
    members = list(
        CycleMember.objects.filter(cycle=cycle).order_by("employee__number").values_list("pk", flat=True)
    )
    return members, [*imported, *extra]


def write_file(path: Path, rows: int, keys: list[str]) -> list[tuple[int, str, str]]:
    """Write the xlsx; return the good rows as (member index, measure, value) for the floor."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("实际值")
    for column, title in enumerate(("工号", "数据项", "实际值")):
        sheet.write_string(0, column, title)
    good: list[tuple[int, str, str]] = []
    for i in range(rows):
        member, key = divmod(i, MEASURES)
        number, value = f"B{member:07d}", (i * 37) % 1000 + 0.5
        line = i + 1
        if i % BAD_EVERY == BAD_EVERY - 1:
            if (i // BAD_EVERY) % 2:
                sheet.write_string(line, 0, f"X{member:07d}")
            else:
                sheet.write_string(line, 0, number)
            sheet.write_string(line, 1, keys[key])
            sheet.write_string(line, 2, "n/a" if not (i // BAD_EVERY) % 2 else str(value))
            continue
        sheet.write_string(line, 0, number)
        sheet.write_string(line, 1, keys[key])
        sheet.write_number(line, 2, value)
        good.append((member, keys[key], str(value)))
    workbook.close()
    return good


def floor(path: Path, good: list[tuple[int, str, str]]) -> tuple[float, float]:
    """Calamine reading the file in-process, and one plain executemany of the good rows into an
    empty table with the real table's schema, in one transaction."""
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    read = time.perf_counter() - started
    del rows
    from django.db import connection

    with connection.cursor() as cursor:  # the real table's DDL: same columns, indexes, AUTOINCREMENT
        cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'cycles_actual' AND sql IS NOT NULL")
        ddl = ";".join(row[0] for row in cursor.fetchall())
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(Path(folder) / "floor.sqlite3", isolation_level=None)
        db.executescript(f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; {ddl};")
        now = dt.datetime.now(dt.UTC).isoformat()
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO cycles_actual (member_id, measure_key, value, source, entered_by_id, version, created_at,"
            " updated_at) VALUES (?, ?, ?, 'import', NULL, 1, ?, ?)",
            ((m, k, v, now, now) for m, k, v in good),
        )
        db.execute("COMMIT")
        write = time.perf_counter() - started
        db.close()
    return read, write


class Savers:
    """Threads saving cells through the real endpoints as users do, timing each request."""

    def __init__(self, port: int) -> None:
        from jixiao.cycles.entry.models import Actual, Score
        from jixiao.cycles.lifecycle.models import CycleMember, State

        team = list(
            CycleMember.objects.filter(cycle__state=State.OPEN)
            .exclude(cycle__label=LABEL)
            .select_related("department")
            .order_by("pk")
        )
        team = [m for m in team if m.employee_id != m.department.head_id]
        self.jobs: list[tuple[Client, str, dict[str, str]]] = []
        for i in range(SAVERS):
            member = team[i]
            if i % 2 == 0:
                actual = Actual.objects.filter(member=member, measure_key="praise").first()
                body = {"measure": "praise", "version": str(actual.version if actual else 0)}
                self.jobs.append((Client(port).login("hr"), f"/cycles/members/{member.pk}/actual/", body))
            else:
                head = member.department.head_id
                score = Score.objects.filter(
                    member=member, indicator_key="teamwork", rater_kind="manager", rater_id=head
                ).first()
                body = {
                    "indicator": "teamwork",
                    "kind": "manager",
                    "version": str(score.version if score else 0),
                }
                self.jobs.append((Client(port).login("cs_head"), f"/cycles/members/{member.pk}/score/", body))
        self.stop = threading.Event()
        self.seconds: list[float] = []
        self.starts: list[float] = []  # wall clock (time.time) at each request's start
        self.errors = 0
        self.locked = 0

    def _run(self, client: Client, url: str, body: dict[str, str]) -> None:
        values = ("good", "fair") if "indicator" in body else ("1", "2")
        n = 0
        while not self.stop.is_set():
            n += 1
            body["value"] = values[n % 2]
            self.starts.append(time.time())
            started = time.perf_counter()
            status, text = client.post(url, body)
            self.seconds.append(time.perf_counter() - started)
            if "database is locked" in text:
                self.locked += 1
            if status != 200:
                self.errors += 1
            found = re.search(r'name="version" value="(\d+)"', text)
            if found:
                body["version"] = found.group(1)
            time.sleep(THINK_SECONDS)

    def run_while(self, work: Any) -> tuple[Any, float]:
        """Save from every thread while ``work()`` runs; return its result and the wall time."""
        self.stop.clear()
        self.seconds, self.starts, self.errors, self.locked = [], [], 0, 0
        threads = [threading.Thread(target=self._run, args=job) for job in self.jobs]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        try:
            result = work()
        finally:
            self.stop.set()
            for thread in threads:
                thread.join()
        return result, time.perf_counter() - started


def run_import(path: Path) -> dict[str, Any]:
    """The real command in a child process; its wall time and peak RSS (own and its reader's)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.imports", "--child", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def child(path: str) -> None:
    """Inside the measured child: set Django up and run ``jixiao import actuals``."""
    import io

    import django
    from django.core.management import call_command

    django.setup()
    out, err = io.StringIO(), io.StringIO()
    t0, started = time.time(), time.perf_counter()
    call_command(
        "import", "actuals", path, "--cycle", LABEL, "--valid-rows-only", verbosity=2, stdout=out, stderr=err
    )
    wall = time.perf_counter() - started
    print(
        json.dumps(
            {
                "wall": wall,
                "t0": t0,
                "rss_parent_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rss_reader_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                "out": out.getvalue().strip(),
                "problems": len(err.getvalue().splitlines()),
            },
            ensure_ascii=False,
        )
    )


def main() -> None:
    rows = int(1_000_000 * scale())
    folder = data_dir("imports")
    print(
        f"Actuals import: {rows:,} rows ({MEASURES} measures per member), load average before "
        f"{os.getloadavg()[0]:.2f} ({folder})"
    )
    started = time.perf_counter()
    members, keys = build_world(rows)
    path = folder / "actuals.xlsx"
    good = write_file(path, rows, keys)
    good = [(members[m], k, v) for m, k, v in good]
    print(
        f"  setup: {len(members):,} members, {path.stat().st_size / 2**20:.1f} MiB xlsx, "
        f"{time.perf_counter() - started:.1f} s (not measured)"
    )
    read, write = floor(path, good)
    print(
        f"  floor: calamine read in-process {read:.2f} s + plain executemany of {len(good):,} rows "
        f"{write:.2f} s = {read + write:.2f} s  (one transaction would hold the write lock {write:.2f} s)"
    )
    with server() as port:
        savers = Savers(port)
        savers.run_while(lambda: time.sleep(5))
        base = (list(savers.seconds), savers.errors)
        idle_wall = 5.0
        result, wall = savers.run_while(lambda: run_import(path))
    from jixiao.cycles.entry.models import Actual

    stored = Actual.objects.filter(member__cycle__label=LABEL).count()
    summary = " · ".join(result["out"].splitlines())
    print(
        f"  import (jixiao import actuals, --valid-rows-only): {result['wall']:.2f} s"
        f"  [target ≤ 20 s; {result['wall'] / (read + write):.1f}× the floor]\n    {summary}"
    )
    print(f"  rows written {stored:,} of {len(good):,} good; problems reported {result['problems']}")
    print(
        f"  peak RSS: import process {result['rss_parent_mib']:.0f} MiB, calamine reader "
        f"{result['rss_reader_mib']:.0f} MiB  [target ≤ 1024 MiB each]"
    )
    print("  " + latency_line("web saves, no import (baseline)", base[0], idle_wall, base[1]))
    print("  " + latency_line("web saves during the import", savers.seconds, wall, savers.errors))
    phases = re.findall(r"(\w+) ([\d.]+) s", result["out"])
    edge = result["t0"] + (float(phases[0][1]) if phases else 0.0)
    for name, writing in (("reading and checking", False), ("writing", True)):
        picked = [s for s, t in zip(savers.seconds, savers.starts, strict=True) if (t >= edge) == writing]
        print("  " + latency_line(f"  … of them while {name}", picked, wall, 0))
    print(
        f"  'database is locked' answers during the import: {savers.locked}  [target 0; p95 target ≤ 60 ms]"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
