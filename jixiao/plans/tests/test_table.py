"""The plan table applied: a step refused in the wrong state (409, nothing written), the
guards of the chain refusing (blocking lint on submit, a committee decision without its
meeting), a return without a reason, publication superseding in the step's one event, and the
page offering only the steps the user may take now."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError
from jixiao.demo.plans import _table
from jixiao.plans import reviews, services
from jixiao.plans.models import Plan, Revision, Status
from jixiao.plans.workflow import PLAN_WORKFLOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(personas: Any) -> Plan:
    return services.plan_create(
        user=personas["head"],
        department=personas.department,
        name="销售部考核细则（表）",
        framework=personas.plans["framework"],
        content=_table("plan_customer_service.toml", "plan"),
    )


def _written() -> tuple[int, int]:
    return AuditEvent.objects.count(), Revision.objects.count()


def _step(personas: Any, plan: Plan, who: str, action: str, **extra: Any) -> Plan:
    return reviews.document_transition(user=personas[who], document=plan, action=action, **extra)


def _meeting(personas: Any) -> Any:
    return reviews.meeting_record(
        user=personas["deputy"],
        held_on=dt.date(2026, 3, 1),
        title="小组会议",
        attendees=[personas.employees["leader"]],
        decision="通过",
    )


def test_a_step_from_the_wrong_state_is_a_409_and_writes_nothing(personas: Any, draft: Plan) -> None:
    before = _written()
    with pytest.raises(JixiaoError) as refused:
        _step(personas, draft, "hr", "hr_pass")
    assert refused.value.status == 409 and "草稿" in refused.value.zh
    assert Plan.objects.get(pk=draft.pk).status == Status.DRAFT and _written() == before


def test_the_lint_guard_refuses_submission_and_writes_nothing(personas: Any, draft: Plan) -> None:
    indicator = {**draft.content["indicators"][0], "weight": "90"}
    plan = services.plan_indicator_save(
        user=personas["head"], plan=draft, index=0, indicator=indicator, version=draft.version
    )
    before = _written()
    with pytest.raises(JixiaoError) as refused:
        _step(personas, plan, "head", "submit")
    assert refused.value.code == "lint" and refused.value.problems
    assert Plan.objects.get(pk=plan.pk).status == Status.DRAFT and _written() == before


def test_a_committee_decision_without_its_meeting_is_refused_and_writes_nothing(
    personas: Any, draft: Plan
) -> None:
    plan = _step(personas, draft, "head", "submit")
    plan = _step(personas, plan, "hr", "hr_pass")
    plan = _step(personas, plan, "deputy", "deputy_pass")
    before = _written()
    with pytest.raises(JixiaoError) as refused:
        _step(personas, plan, "deputy", "committee_approve")
    assert refused.value.code == "meeting_required"
    assert Plan.objects.get(pk=plan.pk).status == Status.SCHEDULED and _written() == before
    meeting = _meeting(personas)
    plan = _step(personas, plan, "deputy", "committee_approve", meeting=meeting)
    assert plan.status == Status.COMMITTEE_APPROVED and plan.meeting == meeting


def test_a_return_without_a_reason_is_refused_and_writes_nothing(personas: Any, draft: Plan) -> None:
    plan = _step(personas, draft, "head", "submit")
    before = _written()
    with pytest.raises(JixiaoError) as refused:
        _step(personas, plan, "hr", "hr_return", note="   ")
    assert refused.value.code == "reason_required"
    assert Plan.objects.get(pk=plan.pk).status == Status.SUBMITTED and _written() == before
    plan = _step(personas, plan, "hr", "hr_return", note="目标偏高")
    event = AuditEvent.objects.order_by("-seq").first()
    assert plan.status == Status.RETURNED and event is not None and "目标偏高" in event.body


def test_publishing_supersedes_the_old_version_in_the_same_event(personas: Any) -> None:
    published = personas.plans["published"]
    Plan.objects.filter(pk=personas.plans["draft"].pk).delete()
    plan = services.document_new_version(user=personas["head"], document=published)
    for who, action in [("head", "submit"), ("hr", "hr_pass"), ("deputy", "deputy_pass")]:
        plan = _step(personas, plan, who, action)
    plan = _step(personas, plan, "deputy", "committee_approve", meeting=_meeting(personas))
    before = AuditEvent.objects.count()
    plan = _step(personas, plan, "leader", "leader_approve", effective_from="2026-05")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.action == "plan.leader_approve"
    assert json.loads(event.body)["after"]["supersedes"] == [published.pk]
    assert Plan.objects.get(pk=published.pk).status == Status.SUPERSEDED


def test_the_page_offers_only_the_steps_the_user_may_take_now(
    personas: Any, draft: Plan, client_for: Any
) -> None:
    url = reverse("plans:plan_detail", args=[draft.pk])
    assert [t.action for t in PLAN_WORKFLOW.available(personas["head"], draft)] == ["submit"]
    page = client_for("head").get(url).content.decode()
    assert 'value="submit"' in page and 'name="note"' not in page
    assert 'value="hr_pass"' not in client_for("hr").get(url).content.decode()
    plan = _step(personas, draft, "head", "submit")
    page = client_for("hr").get(url).content.decode()
    assert 'value="hr_pass"' in page and 'value="hr_return"' in page and 'name="note"' in page
    assert 'value="submit"' not in client_for("head").get(url).content.decode()
    assert PLAN_WORKFLOW.available(personas["employee"], plan) == []


def test_a_refused_step_through_the_page_says_why_in_english(personas: Any, client_for: Any) -> None:
    draft = personas.plans["draft"]
    client = client_for("hr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("plans:plan_transition", args=[draft.pk]), {"action": "hr_pass"}, follow=True
    )
    assert response.status_code == 200 and "is not possible now" in response.content.decode()
    assert Plan.objects.get(pk=draft.pk).status == draft.status
