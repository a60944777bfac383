"""The review chain: every step by the right person, nobody on their own plan, every step audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jixiao.access.models import Role, RoleGrant
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import Conflict, JixiaoError, PermissionRefused
from jixiao.demo.plans import _table
from jixiao.plans import reviews, services
from jixiao.plans.models import Plan, Revision, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(personas: Any) -> Plan:
    return services.plan_create(
        user=personas["head"],
        department=personas.department,
        name="销售部考核细则（新）",
        framework=personas.plans["framework"],
        content=_table("plan_customer_service.toml", "plan"),
    )


def _meeting(personas: Any) -> Any:
    return reviews.meeting_record(
        user=personas["deputy"],
        held_on=dt.date(2026, 3, 1),
        title="小组会议",
        attendees=[personas.employees["leader"], personas.employees["deputy"]],
        decision="通过",
    )


def _go(personas: Any, plan: Any, *steps: tuple[str, str]) -> Any:
    for who, action in steps:
        extra: dict[str, Any] = {}
        if action.startswith("committee_"):
            extra["meeting"] = _meeting(personas)
        if action.endswith("_return"):
            extra["note"] = "请修改"
        if action == "leader_approve":
            extra["effective_from"] = "2026-04"
        plan = reviews.document_transition(user=personas[who], document=plan, action=action, **extra)
    return plan


def test_the_whole_chain_publishes_and_supersedes_the_old_version(personas: Any, draft: Plan) -> None:
    plan = _go(
        personas,
        draft,
        ("head", "submit"),
        ("hr", "hr_pass"),
        ("deputy", "deputy_pass"),
        ("deputy", "committee_approve"),
        ("leader", "leader_approve"),
    )
    assert plan.status == Status.PUBLISHED and plan.effective_from == "2026-04" and plan.meeting is not None
    actions = list(
        AuditEvent.objects.filter(object_type="plans.plan", object_id=str(plan.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "plan.create",
        "plan.submit",
        "plan.hr_pass",
        "plan.deputy_pass",
        "plan.committee_approve",
        "plan.leader_approve",
    ]


def test_a_new_version_supersedes_the_published_one_on_publishing(personas: Any) -> None:
    published = personas.plans["published"]
    Plan.objects.filter(pk=personas.plans["draft"].pk).delete()
    nxt = services.document_new_version(user=personas["head"], document=published)
    assert nxt.number == published.number + 1 and nxt.status == Status.DRAFT
    _go(
        personas,
        nxt,
        ("head", "submit"),
        ("hr", "hr_pass"),
        ("deputy", "deputy_pass"),
        ("deputy", "committee_approve"),
        ("leader", "leader_approve"),
    )
    published.refresh_from_db()
    assert published.status == Status.SUPERSEDED


def test_returns_need_a_reason_and_rounds_repeat_with_a_revision_each(personas: Any, draft: Plan) -> None:
    plan = _go(personas, draft, ("head", "submit"))
    with pytest.raises(JixiaoError, match="needs a reason") as refused:
        reviews.document_transition(user=personas["hr"], document=plan, action="hr_return")
    assert refused.value.code == "reason_required"
    plan = _go(
        personas, plan, ("hr", "hr_return"), ("head", "submit"), ("hr", "hr_return"), ("head", "submit")
    )
    assert plan.status == Status.SUBMITTED
    assert list(Revision.objects.filter(plan=plan).values_list("round", flat=True)) == [1, 2, 3]


def test_a_blocking_lint_finding_refuses_submission(personas: Any, draft: Plan) -> None:
    indicator = {**draft.content["indicators"][0], "weight": "90"}
    plan = services.plan_indicator_save(
        user=personas["head"], plan=draft, index=0, indicator=indicator, version=draft.version
    )
    with pytest.raises(JixiaoError) as refused:
        reviews.document_transition(user=personas["head"], document=plan, action="submit")
    assert refused.value.problems and any("100" in p.zh for p in refused.value.problems)
    assert Plan.objects.get(pk=plan.pk).status == Status.DRAFT


@pytest.mark.parametrize("who", ["employee", "colleague", "other_head", "finance", "deputy", "leader"])
def test_only_the_head_submits(personas: Any, draft: Plan, who: str) -> None:
    with pytest.raises(PermissionRefused):
        reviews.document_transition(user=personas[who], document=draft, action="submit")


def test_the_head_cannot_skip_hr(personas: Any, draft: Plan) -> None:
    plan = _go(personas, draft, ("head", "submit"))
    for who, action in [("deputy", "deputy_pass"), ("leader", "leader_approve"), ("head", "hr_pass")]:
        with pytest.raises((PermissionRefused, JixiaoError)):
            reviews.document_transition(user=personas[who], document=plan, action=action)
    assert Plan.objects.get(pk=plan.pk).status == Status.SUBMITTED


def test_nobody_reviews_their_own_plan(personas: Any) -> None:
    RoleGrant.objects.create(user=personas["head"], role=Role.HR_OFFICER)
    plan = services.plan_create(
        user=personas["head"],
        department=personas.department,
        name="自己的方案",
        framework=personas.plans["framework"],
        content=_table("plan_customer_service.toml", "plan"),
    )
    plan = _go(personas, plan, ("head", "submit"))
    personas["head"].__dict__.pop("_jixiao_actor", None)
    with pytest.raises(PermissionRefused):
        reviews.document_transition(user=personas["head"], document=plan, action="hr_pass")


def test_a_published_plan_is_read_only(personas: Any) -> None:
    published = personas.plans["published"]
    with pytest.raises(JixiaoError, match="edited"):
        services.plan_indicator_save(
            user=personas["head"], plan=published, index=0, indicator={"key": "x"}, version=None
        )


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(personas: Any, draft: Plan) -> None:
    first = services.plan_indicator_save(
        user=personas["head"],
        plan=draft,
        index=0,
        indicator={**draft.content["indicators"][0], "weight": "25"},
        version=draft.version,
    )
    with pytest.raises(Conflict):
        services.plan_indicator_save(
            user=personas["hr"],
            plan=draft,
            index=0,
            indicator={**draft.content["indicators"][0], "weight": "35"},
            version=draft.version,
        )
    assert (
        Plan.objects.get(pk=draft.pk).content["indicators"][0]["weight"]
        == "25"
        == first.content["indicators"][0]["weight"]
    )


def test_hr_comments_on_an_item_and_the_head_answers(personas: Any, draft: Plan) -> None:
    plan = _go(personas, draft, ("head", "submit"))
    key = plan.content["indicators"][1]["key"]
    comment = reviews.comment_add(user=personas["hr"], plan=plan, indicator_key=key, text="分档不合理")
    with pytest.raises(JixiaoError):
        reviews.comment_add(user=personas["hr"], plan=plan, indicator_key="nope", text="x")
    with pytest.raises(PermissionRefused):
        reviews.comment_add(user=personas["head"], plan=plan, indicator_key=key, text="自评")
    plan = _go(personas, plan, ("hr", "hr_return"))
    reviews.comment_answer(user=personas["head"], comment=comment, answer="已调整")
    comment.refresh_from_db()
    assert comment.answer == "已调整" and comment.round == 1


def test_a_committee_decision_names_its_meeting(personas: Any, draft: Plan) -> None:
    plan = _go(personas, draft, ("head", "submit"), ("hr", "hr_pass"), ("deputy", "deputy_pass"))
    with pytest.raises(JixiaoError, match="meeting"):
        reviews.document_transition(user=personas["deputy"], document=plan, action="committee_approve")


def test_the_framework_goes_through_the_same_chain(personas: Any) -> None:
    framework = services.framework_create(
        user=personas["hr"], code="fw-2", name="新框架", content=_table("framework.toml", "framework")
    )
    framework = reviews.document_transition(user=personas["hrsup"], document=framework, action="submit")
    assert framework.status == Status.HR_PASSED
    with pytest.raises(PermissionRefused):
        reviews.document_transition(user=personas["hr"], document=framework, action="deputy_pass")
    framework = _go(
        personas,
        framework,
        ("deputy", "deputy_pass"),
        ("deputy", "committee_approve"),
        ("leader", "leader_approve"),
    )
    assert framework.status == Status.PUBLISHED
