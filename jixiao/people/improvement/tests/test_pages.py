"""The pages: a head starts a plan, writes it, the employee acknowledges, a check-in; hostile
input on every form answers 400/409 with the input kept; no raw codes; the list's queries do
not grow with its rows."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jixiao.people.improvement.models import ImprovementPlan, Progress, State, SupportKind
from jixiao.people.improvement.services import improvement_plan_start

from .world import drafted, result_of

pytestmark = pytest.mark.django_db
LONG = "长" * 20_000


def _text(response: Any) -> str:
    return re.sub(r"(?s)<[^>]+>", " ", response.content.decode())


def test_a_head_starts_a_plan_for_their_employee_with_the_result_that_led_to_it(
    personas: Any, client_for: Any
) -> None:
    head = client_for("head")
    employee = personas.employees["employee"]
    page = head.get(reverse("improvement:new") + f"?employee={employee.pk}")
    assert page.status_code == 200 and "2026-08" in _text(page) and "2026-09" in _text(page)
    assert personas.employees["worker"].name not in _text(page)  # not one of the head's people
    result = result_of(personas)
    done = head.post(reverse("improvement:new") + f"?employee={employee.pk}",
                     {"employee": employee.pk, "results": [result.pk], "reason": "帮助提升客户回访"})  # fmt: skip
    plan = ImprovementPlan.objects.get()
    assert done.status_code == 302 and done["Location"] == plan.link
    assert list(plan.results.all()) == [result] and plan.state == State.DRAFT


@pytest.mark.parametrize(
    "data",
    [
        {"reason": LONG},
        {"employee": "1e30"},
        {"employee": "-1"},
        {"results": ["1e30"]},
        {"reason": ""},
    ],
)
def test_the_new_plan_form_refuses_hostile_input(
    personas: Any, client_for: Any, data: dict[str, Any]
) -> None:
    employee = personas.employees["employee"]
    post = {"employee": employee.pk, "results": [], "reason": "成长", **data}
    response = client_for("head").post(reverse("improvement:new"), post)
    assert response.status_code == 400
    assert not ImprovementPlan.objects.exists()


def test_someone_elses_person_or_result_is_refused(personas: Any, client_for: Any) -> None:
    worker = personas.employees["worker"]
    response = client_for("head").post(reverse("improvement:new"), {"employee": worker.pk, "reason": "x"})
    assert response.status_code == 400
    colleague_result = result_of(personas, "colleague")
    response = client_for("head").post(
        reverse("improvement:new") + f"?employee={personas.employees['employee'].pk}",
        {"employee": personas.employees["employee"].pk, "results": [colleague_result.pk], "reason": "x"},
    )
    assert response.status_code == 400 and not ImprovementPlan.objects.exists()


def test_writing_acknowledging_and_checking_in_through_the_pages(personas: Any, client_for: Any) -> None:
    plan = drafted(personas)
    head, employee = client_for("head"), client_for("employee")
    today = timezone.localdate()

    def url(name: str) -> str:
        return reverse(f"improvement:{name}", args=[plan.pk])

    def version() -> int:
        return ImprovementPlan.objects.get(pk=plan.pk).version

    ok = head.post(url("goal_add"), {"text": "学习产品知识", "measure": "考试 80 分", "target_date": "2027-01-31",
                                     "version": version()})  # fmt: skip
    assert ok.status_code == 302
    ok = head.post(
        url("support_add"), {"kind": SupportKind.TRAINING, "text": "产品培训", "version": version()}
    )
    assert ok.status_code == 302
    # Hostile input: each answers 400 (or 409 for a stale version) and keeps what was typed.
    for name, data in (
        ("goal_add", {"text": "x", "measure": "y", "target_date": "2026-13-45", "version": version()}),
        ("goal_add", {"text": LONG, "measure": "y", "target_date": "2027-01-01", "version": version()}),
        ("goal_add", {"text": "x", "measure": "y", "target_date": "2027-01-01", "version": "1e30"}),
        ("review_add", {"due": "99999-01-01", "version": version()}),
        ("review_add", {"due": "1900-01-01", "version": version()}),
        ("support_add", {"kind": "money", "text": "x", "version": version()}),
        ("item_remove", {"kind": "goal", "item": "1e30", "version": version()}),
        ("step", {"op": "no_such_step", "reason": "x", "version": version()}),
        ("step", {"op": "outcome_closed", "reason": LONG, "version": version()}),
        ("comment", {"text": LONG}),
    ):
        response = head.post(url(name), data)
        assert response.status_code == 400, (name, data, response.status_code)
    kept = head.post(
        url("goal_add"), {"text": "保留我的输入", "measure": "y", "target_date": "bad", "version": version()}
    )
    assert "保留我的输入" in kept.content.decode()
    stale = head.post(
        url("goal_add"), {"text": "x", "measure": "y", "target_date": "2027-01-01", "version": 1}
    )
    assert stale.status_code == 409
    # The employee reads the page (growth wording, buttons from the table) and acknowledges.
    page = employee.get(url("detail"))
    assert page.status_code == 200 and "帮助成长" in _text(page) and "我已阅读并确认计划" in _text(page)
    assert (
        employee.post(url("goal_add"), {"text": "x", "measure": "y", "target_date": "2027-01-01"}).status_code
        == 403
    )
    assert employee.post(url("step"), {"op": "acknowledge", "version": version()}).status_code == 302
    assert employee.post(url("comment"), {"text": "谢谢，我会努力"}).status_code == 302
    # The check-in form: bad input refused, then a good one begins the reviews.
    review = plan.reviews.get()
    for data in (
        {"day": "2026-02-30", "progress": Progress.SOME, "note": "n", "review": review.pk},
        {"day": str(today), "progress": Progress.SOME, "note": "n", "review": "1e30"},
        {"day": str(today), "progress": "1e30", "note": "n"},
        {"day": str(today + dt.timedelta(days=3)), "progress": Progress.SOME, "note": "未来"},
        {"day": str(today), "progress": Progress.SOME, "note": LONG},
    ):
        assert head.post(url("checkin"), data).status_code == 400, data
    assert head.get(url("checkin")).status_code == 200
    done = head.post(url("checkin"), {"day": str(today), "progress": Progress.ON_TRACK, "note": "进展顺利",
                                      "review": review.pk})  # fmt: skip
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.state == State.IN_REVIEW and plan.checkins.get().review == review


def test_results_are_shown_as_far_as_the_release_allows(personas: Any, client_for: Any) -> None:
    """The 2026-08 result is published; 2026-09 is closed for scoring: the employee sees it named,
    not its figures; the head sees both."""
    plan = drafted(personas)
    ImprovementPlan.objects.filter(pk=plan.pk).update(started_on=dt.date(2026, 8, 20))  # scaffolding
    september = result_of(personas, label="2026-09")
    mine = client_for("employee").get(plan.link).content.decode()
    assert reverse("cycles:result_detail", args=[result_of(personas).pk]) in mine
    assert "2026-09" in mine and reverse("cycles:result_detail", args=[september.pk]) not in mine
    assert "尚未向您公布" in mine
    theirs = client_for("head").get(plan.link).content.decode()
    assert reverse("cycles:result_detail", args=[september.pk]) in theirs


def test_no_raw_codes_on_the_pages_in_either_language(personas: Any, client_for: Any) -> None:
    plan = drafted(personas)
    codes = {
        *State.values,
        *SupportKind.values,
        *Progress.values,
        "improvement.start",
        "goal_add",
        "improvement",
    }
    for who in ("head", "employee", "hr"):
        client = client_for(who)
        for language in ("zh-hans", "en"):
            client.cookies["django_language"] = language
            for url in (plan.link, reverse("improvement:list")):
                words = set(re.findall(r"[a-z_.]+", _text(client.get(url, HTTP_ACCEPT_LANGUAGE=language))))
                assert not (words & codes), (who, language, url, words & codes)


def test_the_list_costs_the_same_queries_for_more_plans(personas: Any, client_for: Any) -> None:
    def count() -> int:
        client = client_for("hr")
        client.get(reverse("improvement:list"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("improvement:list")).status_code == 200
        return len(queries)

    drafted(personas)
    few = count()
    for name in ("colleague", "head", "employee"):
        improvement_plan_start(
            user=personas["hr"], employee_id=personas.employees[name].pk, result_ids=[], reason="x"
        )
    assert count() == few
