"""HR's step deadlines page: every step with its default and HR's figure by their labels, edited
through audited services, bounded 1..365 days; hostile input refused on the form, input kept."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from jixiao.audit.models import AuditEvent
from jixiao.cases.deadlines import DEFAULT_DAYS, due_date
from jixiao.cases.models import StepDeadline
from jixiao.cases.services import step_deadline_set
from jixiao.common.errors import JixiaoError, PermissionRefused

pytestmark = pytest.mark.django_db


def post(client: Any, days: str, *, kind: str = "appeal", step: str = "filed", version: str = "0") -> Any:
    return client.post("/cases/deadlines/", {"kind": kind, "step": step, "days": days, "version": version})


def test_the_page_lists_every_step_by_its_labels_with_default_and_figure_in_force(client_for: Any) -> None:
    page = client_for("hr").get("/cases/deadlines/")
    assert page.status_code == 200
    body = page.text
    assert body.count('name="days"') == len(DEFAULT_DAYS)
    for shown in ("申诉", "投诉", "举报", "意见反馈", "调查中"):
        assert shown in body
    client = client_for("hr")
    client.cookies["django_language"] = "en"
    english = client.get("/cases/deadlines/").text
    for shown in ("Appeal", "Complaint", "Allegation", "Suggestion"):
        assert shown in english


def test_hr_sets_a_figure_which_is_audited_and_used_for_due_dates(client_for: Any, personas: Any) -> None:
    hr = client_for("hr")
    assert post(hr, "5").status_code == 302
    row = StepDeadline.objects.get(kind="appeal", step="filed")
    assert row.days == 5 and row.version == 1
    assert due_date("appeal", "filed", dt.date(2026, 12, 1)) == dt.date(2026, 12, 6)
    event = AuditEvent.objects.get(action="stepdeadline.set", object_id=str(row.pk))
    assert json.loads(event.body)["after"]["days"] == 5
    assert post(hr, "9", version="1").status_code == 302
    row.refresh_from_db()
    assert row.days == 9 and row.version == 2
    assert AuditEvent.objects.filter(action="stepdeadline.set").count() == 2
    assert "9" in hr.get("/cases/deadlines/").text


def test_a_stale_page_is_refused_with_409_and_keeps_the_input(client_for: Any) -> None:
    hr = client_for("hr")
    post(hr, "5")
    stale = post(hr, "17", version="0")
    assert stale.status_code == 409 and 'value="17"' in stale.text
    assert StepDeadline.objects.get(kind="appeal", step="filed").days == 5


@pytest.mark.parametrize("days", ["0", "366", "1e30", "nan", "-1", "七天", "3.5", "", "9" * 20_000])
def test_hostile_days_are_refused_on_the_form_and_nothing_is_written(client_for: Any, days: str) -> None:
    response = post(client_for("hr"), days)
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    if len(days) < 100:
        assert f'value="{days}"' in response.text or days == ""
    assert (
        not StepDeadline.objects.exists()
        and not AuditEvent.objects.filter(action="stepdeadline.set").exists()
    )


@pytest.mark.parametrize(
    ("kind", "step", "version"),
    [
        ("appeal", "nosuch", "0"),
        ("nosuch", "filed", "0"),
        ("suggestion", "filed", "0"),
        ("appeal", "filed", "1e30"),
    ],
)
def test_an_unknown_step_or_a_hostile_version_is_refused(
    client_for: Any, kind: str, step: str, version: str
) -> None:
    response = post(client_for("hr"), "5", kind=kind, step=step, version=version)
    assert response.status_code == 400 and 'role="alert"' in response.text
    assert not StepDeadline.objects.exists()


@pytest.mark.parametrize(
    "who", ["employee", "head", "leader", "deputy", "member", "finance", "auditor", "admin"]
)
def test_only_hr_sets_deadlines(client_for: Any, personas: Any, who: str) -> None:
    assert post(client_for(who), "5").status_code == 403
    with pytest.raises(PermissionRefused):
        step_deadline_set(user=personas[who], kind="appeal", step="filed", days=5, version=0)
    assert not StepDeadline.objects.exists()


@pytest.mark.parametrize("days", [0, 366, -1, 10**30, True])
def test_the_service_bounds_the_days_itself(personas: Any, days: Any) -> None:
    with pytest.raises(JixiaoError) as refused:
        step_deadline_set(user=personas["hr"], kind="appeal", step="filed", days=days, version=0)
    assert refused.value.code == "days"
    assert not StepDeadline.objects.exists()


def test_the_edges_1_and_365_are_allowed(personas: Any) -> None:
    step_deadline_set(user=personas["hr"], kind="complaint", step="investigating", days=1, version=0)
    step_deadline_set(user=personas["hrsup"], kind="complaint", step="investigating", days=365, version=1)
    assert StepDeadline.objects.get(kind="complaint", step="investigating").days == 365
