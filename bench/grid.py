"""Benchmark the manager's scoring grid: a head with a 30-person team × 12 rubric indicators, half
scored, fetched by 8 concurrent users over loopback from the real server (granian as
``make run`` starts it). Beside it, the same load on the login page (no data, no queries beyond
the session): the floor of this server on this machine. Targets: grid p95 ≤ 100 ms and
≥ 100 pages/s on 2 cores. Prints figures; asserts nothing.

    BENCH_SCALE=0.2 .venv/bin/python -m bench.grid     # a fifth of the duration
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

from bench.web import Client, data_dir, latency_line, scale, server

TEAM = 30
INDICATORS = 12
USERS = 8
LEVELS = [
    ("excellent", "优", 100, "超出预期"),
    ("good", "良", 80, "达到预期"),
    ("fair", "中", 60, "基本达到"),
    ("poor", "差", 40, "未达到"),
]


def build_world() -> int:
    """A department of 30 under a head (login ``bench_head``) in an open cycle; return its pk."""
    from django.contrib.auth import get_user_model

    from jixiao.cycles.entry.models import Score
    from jixiao.cycles.lifecycle.models import Cycle, CycleMember, CyclePlan, State
    from jixiao.org.models import Department, Employee

    source = CyclePlan.objects.filter(cycle__state=State.OPEN).first()
    assert source is not None, "the demo has an open cycle"
    indicators = [
        {
            "key": f"i{i}",
            "name_zh": f"能力项{i + 1}",
            "name_en": f"Skill {i + 1}",
            "kind": "rubric",
            "category": "performance",
            "weight": 12 if i == 0 else 8,
            "source": "manual",
            "raters": ["manager"],
            "levels": [{"key": k, "name_zh": n, "points": p, "description_zh": d} for k, n, p, d in LEVELS],
        }
        for i in range(INDICATORS)
    ]
    content = {
        **source.plan_content,
        "key": "bench-grid",
        "name_zh": "基准评分细则",
        "measures": [],
        "indicators": indicators,
    }
    department = Department.objects.create(code="GRID", name="评分基准部")
    user = get_user_model().objects.create_user("bench_head", password="jixiao-demo")
    head = Employee.objects.create(number="G0000", name="基准主管", department=department, user=user)
    department.head = head
    department.save()
    team = Employee.objects.bulk_create(
        Employee(number=f"G{i + 1:04d}", name=f"组员{i + 1}", department=department, manager=head)
        for i in range(TEAM)
    )
    cycle = Cycle.objects.create(
        label="2099-02", start=dt.date(2099, 2, 1), end=dt.date(2099, 2, 28), state=State.OPEN
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
        CycleMember(cycle=cycle, employee=e, snapshot=snapshot, department=department, manager=head)
        for e in team
    )
    Score.objects.bulk_create(
        Score(member=m, indicator_key=f"i{i}", rater_kind="manager", rater=head, value=LEVELS[(n + i) % 4][0])
        for n, m in enumerate(members)
        for i in range(INDICATORS)
        if (n + i) % 2
    )
    return int(cycle.pk)


def load(port: int, path: str, seconds: float, username: str | None) -> tuple[list[float], float, int]:
    """``USERS`` threads fetching ``path`` back to back for ``seconds``; latencies, wall, errors."""
    clients = [Client(port).login(username) if username else Client(port) for _ in range(USERS)]
    for client in clients:
        client.get(path)  # warm: sessions, template caches, the plan's parsed rules
    latencies: list[float] = []
    errors = [0]
    stop = threading.Event()

    def run(client: Client) -> None:
        while not stop.is_set():
            started = time.perf_counter()
            status, _ = client.get(path)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors[0] += 1

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started, errors[0]


def main() -> None:
    seconds = max(2.0, 10 * scale())
    folder = data_dir("grid")
    cycle = build_world()
    print(
        f"Scoring grid: {TEAM} people × {INDICATORS} indicators, {USERS} concurrent users, {seconds:.0f} s each, "
        f"load average before {os.getloadavg()[0]:.2f} ({folder})"
    )
    with server() as port:
        _, page = Client(port).login("bench_head").get(f"/cycles/{cycle}/grid/")
        print(f"  page: {len(page) / 1024:.0f} KiB, {page.count('<select')} rating cells")
        floor = load(port, "/accounts/login/", seconds, None)
        grid = load(port, f"/cycles/{cycle}/grid/", seconds, "bench_head")
    print("  " + latency_line("login page, anonymous (floor)", *floor))
    print("  " + latency_line("manager grid", *grid))
    pages = len(grid[0]) / grid[1]
    print(
        f"  grid: {pages:.0f} pages/s = {pages / (len(floor[0]) / floor[1]):.2f}× the floor's rate"
        "  [targets: p95 ≤ 100 ms, ≥ 100 pages/s]"
    )


if __name__ == "__main__":
    main()
