"""The access door: default deny, and ``obj in scope(...)`` ⇔ ``can(...)`` for every rule."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.access.policy import SCOPE_RULES, can, scope
from jixiao.demo.personas import PERSONA_NAMES
from jixiao.org.models import Employee

pytestmark = pytest.mark.django_db

# The model each scoped action reads; a new scoped action must be added here.
MODELS: dict[str, str] = {
    "employee": "org.Employee",
    "department": "org.Department",
    "position": "org.Position",
    "plan": "plans.Plan",
    "framework": "plans.Framework",
    "member": "cycles.CycleMember",
    "result": "cycles.Result",
    "summary": "cycles.DepartmentSummary",
    "rectification": "cycles.Rectification",
    "interview": "cycles.FeedbackInterview",
    "calibration": "cycles.Result",  # calibration.move: which results the user may move
    "pay_line": "pay.AnnualBonusLine",
    "monthly_line": "pay.MonthlyPayLine",
    "appeal": "appeals.Appeal",
    "notification": "notifications.Notification",
    "concern": "concerns.Concern",
    "suggestion": "suggestions.Suggestion",
    "proposal": "people_rules.Proposal",  # rules that propose (rules helper)
    "improvement": "improvement.ImprovementPlan",
    "improvement_candidate": "org.Employee",  # improvement_candidate.start: whom one may start a plan for
    "cadre": "org.Employee",  # cadre.trace, cadre.nominate: whose trace one reads, whom one may nominate
    "nomination": "cadres.Nomination",
    "potential": "cadres.PotentialRating",
    # training (training helper)
    "training_session": "training.TrainingSession",
    "training_invitation": "training.TrainingInvitation",
    "training_attendance": "training.TrainingAttendance",
    # work plans and the handbook (handbook helper)
    "workplan": "workplans.WorkPlan",
    "workitem": "workplans.WorkItem",
    "policy": "handbook.PolicyPage",
    "policy_version": "handbook.PolicyVersion",
    "rater": "cycles.Score",  # rater.view: the ratings (not self-ratings) one may analyse
    "monthly_report": "monthly_reports.MonthlyReport",  # a draft and a published one (_rows_for)
}


def _rows_for(action: str) -> None:
    """Rows the persona company lacks, made so that the property has something to check."""
    if action.startswith("monthly_report."):
        from jixiao.reports.monthly.models import MonthlyReport

        MonthlyReport.objects.create(month="2026-08", state="published")
        MonthlyReport.objects.create(month="2026-09")


# Models the persona company has rows of (its cycles included), so the property checks something.
NOT_EMPTY = {"employee", "department", "position", "plan", "framework", "member", "result", "monthly_report"}


@pytest.mark.parametrize("action", sorted(SCOPE_RULES))
def test_scope_and_can_agree_for_every_persona_and_row(action: str, personas: Any) -> None:
    from django.apps import apps

    model: Any = apps.get_model(MODELS[action.split(".")[0]])
    _rows_for(action)
    if action.split(".")[0] in NOT_EMPTY:
        assert model.objects.exists(), f"no {model.__name__} rows: the property would check nothing"
    for name in PERSONA_NAMES:
        user = personas[name]
        visible = set(scope(user, action, model.objects.all()).values_list("pk", flat=True))
        for obj in model.objects.all():
            assert (obj.pk in visible) == can(user, action, obj), (name, action, obj)


def test_an_employee_sees_their_result_of_the_published_cycle_only(personas: Any) -> None:
    from jixiao.cycles.results.models import Result

    mine = scope(personas["employee"], "result.view", Result.objects.all())
    assert list(mine.values_list("cycle__label", flat=True)) == ["2026-08"]
    unpublished = Result.objects.get(cycle__label="2026-09", member__employee=personas.employees["employee"])
    assert not can(personas["employee"], "result.view", unpublished)
    # Heads read their own department's results in every state, and only those.
    theirs = scope(personas["other_head"], "result.view", Result.objects.all())
    assert set(theirs.values_list("member__department__code", flat=True)) == {"P-PLANT"}
    assert theirs.count() == 4


def test_an_unknown_action_is_denied(personas: Any) -> None:
    admin = personas["admin"]
    assert not can(admin, "no.such.action")
    assert not can(admin, "no.such.action", personas.employees["employee"])
    assert not scope(admin, "no.such.action", Employee.objects.all()).exists()


def test_role_changes_are_audited(personas: Any) -> None:
    from jixiao.access.services import role_grant, role_revoke
    from jixiao.audit.models import AuditEvent

    target = personas["employee"]
    role_grant(user=personas["admin"], target=target, role="finance")
    role_revoke(user=personas["admin"], target=target, role="finance")
    events = AuditEvent.objects.filter(object_type=target._meta.label_lower, object_id=str(target.pk))
    assert list(events.values_list("action", flat=True)) == [
        "role.grant",
        "role.revoke",
    ]


def test_only_an_admin_changes_roles(personas: Any, client_for: Any) -> None:
    from django.urls import reverse

    response = client_for("hr").post(
        reverse("access:role_change"), {"username": "p_hr", "role": "admin", "op": "grant"}
    )
    assert response.status_code == 403
    assert not can(personas["hr"], "roles.manage")
