"""The home page's to-dos: each count equals the rows of the list it links to (followed with the
test client as that person, rows counted on the page); what each person sees is their own; the
page's queries do not grow with the data; the filters it links with take hostile input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jixiao.cycles.lifecycle.models import CycleMember
from jixiao.cycles.tests.helpers import member_of, open_cycle, summary_submitted
from jixiao.engine.text import Text
from jixiao.notifications.services import notify
from jixiao.org.models import Employee

from .rows import count_rows, todos

pytestmark = pytest.mark.django_db


def _home(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _follow_every_todo(client: Client, who: str) -> set[str]:
    """Follow each to-do's link; its count must equal the rows the list shows. Return the kinds."""
    kinds = set()
    for kind, url, count, rows in todos(_home(client)):
        assert count > 0, (who, kind)
        response = client.get(url)
        assert response.status_code == 200, (who, kind, url)
        shown = count_rows(response.content.decode(), rows)
        assert shown == count, f"{who}: {kind} says {count}, {url} shows {shown} rows ({rows})"
        kinds.add(kind)
    return kinds


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_every_demo_login_sees_counts_that_equal_the_lists_they_open() -> None:
    """The demo company, as each of its logins: every to-do's count is the rows of its list."""
    from jixiao.demo.loader import demo_load
    from jixiao.pay.monthly.services import monthly_pay_run_compute

    demo_load()
    users = {u.username: u for u in get_user_model().objects.all()}
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - 2  # the demo leaves this locked month's pay to HR
    monthly_pay_run_compute(user=users["hr"], month=f"{index // 12:04d}-{index % 12 + 1:02d}")
    seen: dict[str, set[str]] = {}
    for name, user in sorted(users.items()):
        seen[name] = _follow_every_todo(_client(user), name)
    every = set().union(*seen.values())
    expected = {
        "score_manager",
        "score_peer",
        "case_appeal",
        "case_complaint",
        "case_suggestion",
        "plans",
        "rectifications",
        "interviews",
        "training",
        "handbook",
        "nominations",
        "proposals",
        "notifications",
    }
    assert expected <= every, expected - every
    assert "pay_release" in seen["hr"] | seen["leader"]
    assert seen["admin"] <= {"notifications"}  # the bare administrator scores, decides and is paid nothing
    assert {"score_manager", "rectifications"} <= seen["cs_head"]
    assert "interviews" in seen["cs_agent"] and "plans" not in seen["cs_agent"]


def test_heads_write_and_hr_checks_the_summaries_the_home_page_counts(personas: Any, client_for: Any) -> None:
    """Persona cycle 2026-09 is closed for scoring: the sales head has one summary to write; once
    it is submitted, HR has it to check and the head nothing."""
    head, hr = client_for("head"), client_for("hr")
    assert "summaries" in _follow_every_todo(head, "head")
    assert "summaries" not in _follow_every_todo(hr, "hr")
    summary_submitted(personas, personas.cycles["2026-09"])
    assert "summaries" not in _follow_every_todo(head, "head")
    assert "summaries" in _follow_every_todo(hr, "hr")


def test_team_scores_left_count_the_grid_rows_with_a_cell_empty(personas: Any, client_for: Any) -> None:
    cycle = open_cycle(personas)
    head = client_for("head")
    kinds = {k: n for k, _u, n, _r in todos(_home(head))}
    assert kinds["score_manager"] == 2  # employee and colleague, nothing scored yet
    from jixiao.cycles.entry.services import score_set

    member = member_of(personas, cycle)
    for key, value in (("teamwork", "good"), ("attitude", "excellent")):
        score_set(user=personas["head"], member=member, indicator_key=key, rater_kind="manager", value=value)
    kinds = {k: n for k, _u, n, _r in todos(_home(head))}
    assert kinds["score_manager"] == 1
    _follow_every_todo(head, "head")
    assert "score_manager" not in {k for k, *_ in todos(_home(client_for("employee")))}


def test_each_person_sees_their_own_result_and_the_admin_sees_none(personas: Any, client_for: Any) -> None:
    """The employee's latest published result is theirs (2026-08, rated excellent by the head);
    the bare system administrator is shown no result, no pay and no to-do about scores or pay."""
    page = _home(client_for("employee"))
    assert 'id="my-latest"' in page and "2026-08" in page
    assert "测试colleague" not in page
    admin = _home(client_for("admin"))
    assert 'id="my-latest"' not in admin
    kinds = {k for k, *_ in todos(admin)}
    assert not kinds & {"score_manager", "score_peer", "pay_release", "interviews", "summaries"}
    employee_kinds = {k for k, *_ in todos(page)}
    assert not employee_kinds & {
        "plans",
        "pay_release",
        "proposals",
        "nominations",
        "summaries",
        "rectifications",
    }


def test_nothing_waits_says_so(personas: Any, client_for: Any) -> None:
    page = _home(client_for("auditor"))
    assert todos(page) == [] and 'id="nothing-waits"' in page


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        _home(client)
    return len(captured.captured_queries)


def _grow(personas: Any) -> None:
    """More of everything the home page counts: members to score, notifications."""
    cycle = open_cycle(personas)
    template = member_of(personas, cycle)
    for n in range(8):
        employee = Employee.objects.create(
            number=f"G{n:03d}",
            name=f"新人{n}",
            department=personas.department,
            manager=personas.employees["head"],
            hire_date=dt.date(2024, 1, 1),
        )
        CycleMember.objects.create(
            cycle=cycle,
            employee=employee,
            snapshot=template.snapshot,
            department=personas.department,
            manager=personas.employees["head"],
        )
    users = [personas[name] for name in ("head", "hr", "employee", "leader")]
    for n in range(12):
        notify(recipients=users, kind="test", text=Text(f"通知 {n}", f"Notice {n}"), link="/")


def test_the_home_page_queries_do_not_grow_with_the_data(personas: Any, client_for: Any) -> None:
    open_cycle(personas)
    names = ("head", "hr", "employee", "leader", "admin")
    for name in names:  # warm the caches that are loaded once per process (content types, …)
        _queries(client_for(name))
    before = {name: _queries(client_for(name)) for name in names}
    _grow(personas)
    after = {name: _queries(client_for(name)) for name in names}
    assert after == before
    assert {k: n for k, _u, n, _r in todos(_home(client_for("head")))}["score_manager"] == 10


HOSTILE = ["1e30", "nan", "-1", "0", "<script>alert(1)</script>", "x" * 20000, "%00", "1&todo=1", "１"]
FILTERED = [
    "/plans/?todo={}",
    "/cycles/rectifications/?todo={}",
    "/cycles/mine/?todo={}",
    "/pay/monthly/?todo={}",
    "/people/training/?todo={}",
    "/people/handbook/?todo={}",
    "/people/cadres/?todo={}",
    "/people/rules/proposals/?todo={}",
    "/notifications/?unread={}",
    "/people/improvement/?todo={}",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_filters_the_home_page_links_with_take_hostile_input(
    personas: Any, client_for: Any, value: str
) -> None:
    cycle = open_cycle(personas)
    urls = [
        *FILTERED,
        f"/cycles/{cycle.pk}/grid/?as=manager&left={{}}",
        f"/cycles/{cycle.pk}/summaries/?todo={{}}",
    ]
    for name in ("hr", "employee", "head"):
        client = client_for(name)
        for url in urls:
            response = client.get(url.format(value))
            assert response.status_code in (200, 403, 404), (name, url, response.status_code)
            assert b"<script>alert(1)" not in response.content


def test_an_improvement_plan_waits_for_the_employee_until_acknowledged(
    personas: Any, client_for: Any
) -> None:
    from jixiao.people.improvement.services import plan_acknowledge
    from jixiao.people.improvement.tests.world import drafted

    plan = drafted(personas)
    employee = client_for("employee")
    assert "improvement_ack" in _follow_every_todo(employee, "employee")
    assert "improvement_ack" not in _follow_every_todo(client_for("head"), "head")
    plan_acknowledge(user=personas["employee"], plan=plan, version=plan.version)
    assert "improvement_ack" not in _follow_every_todo(employee, "employee")
