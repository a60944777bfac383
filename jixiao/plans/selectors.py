"""Read frameworks and plans through ``access``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from jixiao.access.actor import actor_for
from jixiao.access.policy import can, scope
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import NotFound
from jixiao.engine.lint import Finding
from jixiao.org.models import Department, Employee

from . import workflow
from .adapters import document_findings
from .diff import Change, content_diff
from .models import CommitteeMeeting, Framework, Plan, Revision, Status


def plan_list(*, user: Any) -> QuerySet[Plan]:
    qs = Plan.objects.select_related("department", "framework", "author").prefetch_related("positions")
    return scope(user, "plan.view", qs)


def plan_get(*, user: Any, pk: int) -> Plan:
    plan = plan_list(user=user).filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    return plan


def plan_departments(*, user: Any) -> QuerySet[Department]:
    """The departments the user may write plans for: HR and admin any, a head their own.

    Asks the ``plan.edit`` rule itself (no query per department: the actor is cached), so
    the create form can never offer a department the service would then refuse.
    """
    return Department.objects.filter(
        pk__in=[d.pk for d in Department.objects.all() if can(user, "plan.edit", Plan(department=d))]
    )


def framework_list(*, user: Any) -> QuerySet[Framework]:
    return scope(user, "framework.view", Framework.objects.select_related("author"))


def framework_get(*, user: Any, pk: int) -> Framework:
    framework = framework_list(user=user).filter(pk=pk).first()
    if framework is None:
        raise NotFound()
    return framework


def published_frameworks() -> QuerySet[Framework]:
    return Framework.objects.filter(status=Status.PUBLISHED)


def my_plan(*, user: Any) -> Plan | None:
    """The published plan that applies to the user: for their position if one names it,
    otherwise the department-wide plan."""
    actor = actor_for(user)
    if actor.employee_id is None:
        return None
    employee = Employee.objects.filter(pk=actor.employee_id).values("department_id", "position_id").get()
    published = Plan.objects.filter(
        status=Status.PUBLISHED, department_id=employee["department_id"]
    ).select_related("framework", "department")
    specific = (
        published.filter(positions=employee["position_id"]).first() if employee["position_id"] else None
    )
    return specific or published.filter(positions__isnull=True).first()


@dataclass
class ActionChoice:
    action: str
    label: str
    needs_note: bool
    needs_meeting: bool
    publishes: bool


def available_actions(*, user: Any, document: Plan | Framework) -> list[ActionChoice]:
    """The transitions this user may take on the document now."""
    from django.utils.translation import get_language

    english = (get_language() or "").startswith("en")
    kind = "plan" if isinstance(document, Plan) else "framework"
    transitions = workflow.PLAN_TRANSITIONS if kind == "plan" else workflow.FRAMEWORK_TRANSITIONS
    return [
        ActionChoice(
            t.action, t.label_en if english else t.label_zh, t.needs_note, t.needs_meeting, t.publishes
        )
        for t in workflow.available(transitions, document.status)
        if can(user, t.permission, document)
    ]


def finding_row(finding: Finding) -> int | None:
    """The indicator row a finding points at (``indicators[3].bands`` → 3), if any."""
    for prefix in ("indicators[", "plan.indicators["):
        if finding.where.startswith(prefix):
            head = finding.where[len(prefix) :].split("]", 1)[0]
            return int(head) if head.isdigit() else None
    return None


def findings_by_row(findings: list[Finding]) -> dict[int, list[Finding]]:
    """Group lint findings by the indicator row they point at."""
    rows: dict[int, list[Finding]] = {}
    for finding in findings:
        row = finding_row(finding)
        if row is not None:
            rows.setdefault(row, []).append(finding)
    return rows


def lint(document: Plan | Framework) -> list[Finding]:
    return document_findings(document)


OTHER_LABELS = {
    "create": ("创建", "Created"),
    "new_version": ("创建新版本", "New version started"),
    "indicator_save": ("修改指标", "Indicator edited"),
    "indicator_delete": ("删除指标", "Indicator deleted"),
    "edit": ("修改内容", "Content edited"),
    "comment": ("提出意见", "Comment"),
    "comment_answer": ("答复意见", "Answer"),
    "supersede": ("被新版本取代", "Superseded"),
    "demo_seed": ("演示数据", "Demo data"),
}


@dataclass
class TimelineEntry:
    at: Any
    actor: str
    label: str
    reason: str


def timeline(document: Plan | Framework) -> list[TimelineEntry]:
    """The document's history from the audit log, each step named in the user's language."""
    from django.utils.translation import get_language

    english = (get_language() or "").startswith("en")
    labels = {
        t.action: (t.label_zh, t.label_en)
        for t in (*workflow.PLAN_TRANSITIONS, *workflow.FRAMEWORK_TRANSITIONS)
    }
    labels.update(OTHER_LABELS)
    events = AuditEvent.objects.filter(
        object_type=document._meta.label_lower, object_id=str(document.pk)
    ).order_by("seq")
    entries = []
    for event in events:
        action = event.action.split(".", 1)[-1]
        zh, en = labels.get(action, (action, action))
        reason = json.loads(event.body).get("reason", "")
        entries.append(TimelineEntry(event.created_at, event.actor_name, en if english else zh, reason))
    return entries


def revisions(document: Plan | Framework) -> QuerySet[Revision]:
    owner = Q(plan=document) if isinstance(document, Plan) else Q(framework=document)
    return Revision.objects.filter(owner).select_related("submitted_by")


def revision_diff(document: Plan | Framework, round_: int) -> tuple[Revision, list[Change]]:
    """Changes of submitted round ``round_`` against the round before (or against nothing)."""
    rounds = {r.round: r for r in revisions(document)}
    if round_ not in rounds:
        raise NotFound()
    previous = rounds[round_ - 1].content if round_ - 1 in rounds else {}
    return rounds[round_], content_diff(previous, rounds[round_].content)


def version_diff(document: Plan | Framework) -> list[Change]:
    """Changes of the document's current content against the previous version."""
    previous = type(document).objects.filter(code=document.code, number=document.number - 1).first()
    return content_diff(previous.content if previous else {}, document.content)


def meetings_open() -> QuerySet[CommitteeMeeting]:
    return CommitteeMeeting.objects.prefetch_related("attendees")
