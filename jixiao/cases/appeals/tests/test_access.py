"""Who sees an appeal (issue 12, SPEC §10): the appellant, HR, the rechecker, the deputy and the
leader; a rater only once the rechecker asked them for a statement; scope and can agree."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.access.policy import can, scope
from jixiao.cases.appeals import services
from jixiao.cases.appeals.models import Appeal
from jixiao.demo.personas import PERSONA_NAMES

from .world import note, rechecking_appeal, result_of, statement_asked

pytestmark = pytest.mark.django_db

CASE = {"employee", "hr", "hrsup", "leader", "deputy"}


def viewers(appeal: Appeal, personas: Any) -> set[str]:
    return {name for name in PERSONA_NAMES if can(personas[name], "appeal.view", appeal)}


def test_a_rater_sees_the_appeal_only_once_asked_for_a_statement(personas: Any) -> None:
    appeal = rechecking_appeal(personas)
    assert viewers(appeal, personas) == CASE | {"member"}
    statement_asked(personas)
    assert viewers(appeal, personas) == CASE | {"member", "head"}


def test_scope_and_can_agree_for_every_persona_and_appeal(personas: Any) -> None:
    statement_asked(personas)
    services.appeal_file(
        user=personas["colleague"],
        result=result_of(personas, "colleague"),
        indicators=[],
        reason="x",
        files=[note()],
    )
    assert Appeal.objects.count() == 2
    for name in PERSONA_NAMES:
        user = personas[name]
        visible = set(scope(user, "appeal.view", Appeal.objects.all()).values_list("pk", flat=True))
        for appeal in Appeal.objects.all():
            assert (appeal.pk in visible) == can(user, "appeal.view", appeal), (name, appeal)


def test_the_steps_each_role_may_take(personas: Any) -> None:
    appeal = rechecking_appeal(personas)

    def who(action: str) -> set[str]:
        return {name for name in PERSONA_NAMES if can(personas[name], action, appeal)}

    assert who("appeal.triage") == {"hr", "hrsup"}
    assert who("appeal.assign") == {"hr", "hrsup", "deputy"}
    assert who("appeal.recheck") == {"member"}
    assert who("appeal.decide") == {"leader"}
    assert who("appeal.preview") == {"hr", "hrsup", "leader", "deputy", "member"}
    assert who("appeal.withdraw") == {"employee"}
    result = result_of(personas)
    assert {name for name in PERSONA_NAMES if can(personas[name], "appeal.file", result)} == {"employee"}


def test_the_evidence_is_served_only_to_those_who_see_the_appeal(personas: Any, client_for: Any) -> None:
    appeal = statement_asked(personas).appeal
    url = reverse("appeals:evidence", args=[appeal.files.get().pk])
    response = client_for("head").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).decode() == "加班记录：10 月 3 日至 5 日"
    assert client_for("colleague").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_read_a_fixed_number_of_queries_however_many_appeals(
    personas: Any, client_for: Any
) -> None:
    from django.utils import timezone

    from jixiao.cycles.results.models import Result

    statement_asked(personas)
    hr, employee = client_for("hr"), client_for("employee")
    lists = (reverse("appeals:list"), reverse("appeals:list") + "?state=open&overdue=1")
    few = [_queries(hr, url) for url in lists] + [_queries(employee, reverse("appeals:mine"))]
    template = Appeal.objects.get()
    for result in Result.objects.exclude(pk=template.result_id)[:4]:
        Appeal.objects.create(
            result=result, cycle=result.cycle, appellant_id=result.member.employee_id, filed_by=personas["employee"],
            reason="x", state="filed", step_began=timezone.localdate(),
        )  # fmt: skip
    assert Appeal.objects.count() == 5
    many = [_queries(hr, url) for url in lists] + [_queries(employee, reverse("appeals:mine"))]
    assert many == few
