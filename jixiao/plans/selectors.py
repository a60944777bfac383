"""Read frameworks and plans through ``access``: one selector per page, returning what the
page shows (the views and templates never query)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can, scope
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import NotFound
from jixiao.engine.lint import Finding
from jixiao.engine.text import Text
from jixiao.org.models import Department, Employee
from jixiao.workflow.table import Transition

from . import exchange
from .adapters import document_findings
from .diff import Change, content_diff
from .models import UNDER_REVIEW, CommitteeMeeting, Framework, Plan, ReviewComment, Revision, Status
from .workflow import COMMITTEE_DECISIONS, FRAMEWORK_WORKFLOW, PLAN_WORKFLOW, PUBLISHING, workflow_of

Document = Plan | Framework


def plan_list(*, user: ActingUser) -> QuerySet[Plan]:
    qs = Plan.objects.select_related("department", "framework", "author", "meeting")
    return scope(user, "plan.view", qs.prefetch_related("positions"))


def plan_get(*, user: ActingUser, pk: int) -> Plan:
    plan = plan_list(user=user).filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    return plan


def framework_list(*, user: ActingUser) -> QuerySet[Framework]:
    return scope(user, "framework.view", Framework.objects.select_related("author", "meeting"))


def framework_get(*, user: ActingUser, pk: int) -> Framework:
    framework = framework_list(user=user).filter(pk=pk).first()
    if framework is None:
        raise NotFound()
    return framework


def comment_get(*, user: ActingUser, plan: Plan, pk: int) -> ReviewComment:
    """A comment on ``plan`` (which the caller got through ``plan_get``)."""
    comment = ReviewComment.objects.filter(pk=pk, plan=plan).first()
    if comment is None:
        raise NotFound()
    comment.plan = plan
    return comment


@dataclass
class PlanListPage:
    plans: QuerySet[Plan] | list[Plan]
    frameworks: QuerySet[Framework]
    can_create: bool
    todo: bool = False


def plans_to_review(*, user: ActingUser) -> list[Plan]:
    """The plans under review whose next step is the user's (HR, the deputy, the committee, the
    leader): the home page's "plans to review" counts these, the list shows them (``?todo=1``)."""
    under_review = plan_list(user=user).filter(status__in=UNDER_REVIEW)
    return [p for p in under_review if any(t.action != "submit" for t in PLAN_WORKFLOW.available(user, p))]


def plan_list_page(*, user: ActingUser, todo: bool = False) -> PlanListPage:
    return PlanListPage(
        plans_to_review(user=user) if todo else plan_list(user=user),
        framework_list(user=user).order_by("code", "-number"),
        can(user, "plan.create"),
        todo,
    )


@dataclass
class CreateOptions:
    departments: QuerySet[Department]
    frameworks: QuerySet[Framework]
    templates: list[tuple[str, str]]


def plan_create_options(*, user: ActingUser) -> CreateOptions:
    """What the create form offers: the departments the user may write plans for (asking
    the ``plan.edit`` rule itself, so the form never offers one the service would refuse),
    the published frameworks and the starting templates."""
    allowed = [d.pk for d in Department.objects.all() if can(user, "plan.edit", Plan(department=d))]
    return CreateOptions(
        Department.objects.filter(pk__in=allowed),
        Framework.objects.filter(status=Status.PUBLISHED),
        exchange.template_choices(),
    )


@dataclass
class MyPlanPage:
    plan: Plan | None
    framework: Framework | None


def my_plan_page(*, user: ActingUser) -> MyPlanPage:
    """The published plan that applies to the user: for their position if one names it,
    otherwise the department-wide plan."""
    actor = actor_for(user)
    if actor.employee_id is None:
        return MyPlanPage(None, None)
    employee = Employee.objects.filter(pk=actor.employee_id).values("department_id", "position_id").get()
    # Only appraisal plans: a department's published pay plan is not how anyone is appraised.
    published = Plan.objects.filter(
        status=Status.PUBLISHED, kind=Plan.Kind.APPRAISAL, department_id=employee["department_id"]
    ).select_related("framework", "department")
    specific = (
        published.filter(positions=employee["position_id"]).first() if employee["position_id"] else None
    )
    plan = specific or published.filter(positions__isnull=True).first()
    return MyPlanPage(plan, plan.framework if plan else None)


# -- lint -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LintItem:
    """One finding as a page shows it: its message and fix in both languages, and the
    indicator row it points at (``None`` for the document as a whole)."""

    finding: Finding
    row: int | None
    message: Text
    fix: Text

    @property
    def blocking(self) -> bool:
        return self.finding.severity == "blocking"


def finding_row(finding: Finding) -> int | None:
    """The indicator row a finding points at (``indicators[3].bands`` → 3), if any."""
    for prefix in ("indicators[", "plan.indicators["):
        if finding.where.startswith(prefix):
            head = finding.where[len(prefix) :].split("]", 1)[0]
            return int(head) if head.isdigit() else None
    return None


def lint_items(document: Document) -> list[LintItem]:
    return [
        LintItem(f, finding_row(f), Text(f.message_zh, f.message_en), Text(f.fix_zh, f.fix_en))
        for f in document_findings(document)
    ]


# -- the review panel and the history ---------------------------------------------------


@dataclass
class ReviewPanel:
    """The approval buttons (only the steps the user may take now) and what they ask for."""

    actions: list[Transition]
    meetings: list[CommitteeMeeting]
    needs_reason: bool = False
    needs_meeting: bool = False
    publishes: bool = False


def review_panel(*, user: ActingUser, document: Document) -> ReviewPanel:
    actions = workflow_of(document).available(user, document)
    needs_meeting = any(t.action in COMMITTEE_DECISIONS for t in actions)
    return ReviewPanel(
        actions,
        list(CommitteeMeeting.objects.all()[:20]) if needs_meeting else [],
        any(t.needs_reason for t in actions),
        needs_meeting,
        any(t.action in PUBLISHING for t in actions),
    )


OTHER_LABELS = {
    "create": Text("创建", "Created"),
    "new_version": Text("创建新版本", "New version started"),
    "indicator_save": Text("修改指标", "Indicator edited"),
    "indicator_delete": Text("删除指标", "Indicator deleted"),
    "edit": Text("修改内容", "Content edited"),
    "comment": Text("提出意见", "Comment"),
    "comment_answer": Text("答复意见", "Answer"),
    "supersede": Text("被新版本取代", "Superseded"),
    "demo_seed": Text("演示数据", "Demo data"),
}
LABELS = {
    **{t.action: t.label for t in (*PLAN_WORKFLOW.transitions, *FRAMEWORK_WORKFLOW.transitions)},
    **OTHER_LABELS,
}


@dataclass(frozen=True)
class TimelineEntry:
    at: Any
    actor: str
    label: Text
    reason: str


def timeline(document: Document, comments: list[ReviewComment] | None = None) -> list[TimelineEntry]:
    """The document's history from the audit log (its own events and its comments'), one query."""
    where = Q(object_type=document._meta.label_lower, object_id=str(document.pk))
    if comments:
        ids = [str(c.pk) for c in comments]
        where |= Q(object_type=ReviewComment._meta.label_lower, object_id__in=ids)
    entries = []
    for event in AuditEvent.objects.filter(where).order_by("seq"):
        action = event.action.split(".", 1)[-1]
        label = LABELS.get(action, Text(action, action))
        reason = json.loads(event.body).get("reason", "")
        entries.append(TimelineEntry(event.created_at, event.actor_name, label, reason))
    return entries


def revisions(document: Document) -> QuerySet[Revision]:
    owner = Q(plan=document) if isinstance(document, Plan) else Q(framework=document)
    return Revision.objects.filter(owner).select_related("submitted_by")


@dataclass
class DiffPage:
    document: Document
    revision: Revision
    changes: list[Change]


def revision_diff_page(*, user: ActingUser, pk: int, round_: int) -> DiffPage:
    """Changes of submitted round ``round_`` of plan ``pk`` against the round before."""
    plan = plan_get(user=user, pk=pk)
    rounds = {r.round: r for r in revisions(plan)}
    if round_ not in rounds:
        raise NotFound()
    previous = rounds[round_ - 1].content if round_ - 1 in rounds else {}
    return DiffPage(plan, rounds[round_], content_diff(previous, rounds[round_].content))


def page_fields(page: Any) -> dict[str, Any]:
    """A page dataclass as a template context (shallow: the values stay as they are)."""
    return {name: getattr(page, name) for name in page.__dataclass_fields__}


# -- the detail pages -------------------------------------------------------------------


@dataclass
class Row:
    """One indicator of a plan page with its findings and comments (``form``: the editor's)."""

    index: int
    indicator: dict[str, Any]
    findings: list[LintItem]
    comments: list[ReviewComment]
    form: Any = None


@dataclass
class DocumentPage:
    """What a framework's or a plan's page shows besides its content."""

    lint_items: list[LintItem]
    actions: list[Transition]
    meetings: list[CommitteeMeeting]
    needs_reason: bool
    needs_meeting: bool
    publishes: bool
    can_new_version: bool
    revisions: list[Revision]
    timeline: list[TimelineEntry]

    @property
    def findings(self) -> list[LintItem]:
        return self.lint_items

    @property
    def blocking(self) -> list[LintItem]:
        return [item for item in self.lint_items if item.blocking]

    def context(self) -> dict[str, Any]:
        """The page as a template context: its fields and what they imply."""
        return {**page_fields(self), "findings": self.findings, "blocking": self.blocking}


def _document_page(user: ActingUser, document: Document, comments: list[ReviewComment]) -> DocumentPage:
    panel = review_panel(user=user, document=document)
    kind = "plan" if isinstance(document, Plan) else "framework"
    return DocumentPage(
        lint_items=lint_items(document),
        actions=panel.actions,
        meetings=panel.meetings,
        needs_reason=panel.needs_reason,
        needs_meeting=panel.needs_meeting,
        publishes=panel.publishes,
        can_new_version=document.is_published and can(user, f"{kind}.new_version", document),
        revisions=list(revisions(document)),
        timeline=timeline(document, comments),
    )


@dataclass
class PlanPage(DocumentPage):
    plan: Plan
    rows: list[Row]
    comments: list[ReviewComment]
    editable: bool
    can_comment: bool
    can_answer: bool
    can_replace: bool
    can_record_meeting: bool
    pay_toml: str

    @property
    def last_reason(self) -> str:
        return next((e.reason for e in reversed(self.timeline) if e.reason), "")

    def context(self) -> dict[str, Any]:
        return {**super().context(), "last_reason": self.last_reason}


def plan_page(*, user: ActingUser, pk: int) -> PlanPage:
    """Everything the plan page shows, in a number of queries that does not grow with its
    indicators, comments or history (the comments are read once and grouped by indicator)."""
    plan = plan_get(user=user, pk=pk)
    comments = list(
        ReviewComment.objects.filter(plan=plan)
        .select_related("author", "answered_by")
        .order_by("created_at", "pk")
    )
    base = _document_page(user, plan, comments)
    by_key: dict[str, list[ReviewComment]] = {}
    for comment in comments:
        by_key.setdefault(comment.indicator_key, []).append(comment)
    by_row: dict[int, list[LintItem]] = {}
    for item in base.lint_items:
        if item.row is not None:
            by_row.setdefault(item.row, []).append(item)
    rows = [
        Row(i, ind, by_row.get(i, []), by_key.get(str(ind.get("key")), []))
        for i, ind in enumerate(plan.content.get("indicators", []))
    ]
    may_edit = plan.is_editable and can(user, "plan.edit", plan)
    return PlanPage(
        **page_fields(base),
        plan=plan,
        rows=rows,
        comments=comments,
        editable=plan.is_appraisal and may_edit,
        can_comment=plan.is_in_hr_review and can(user, "plan.hr_review", plan),
        can_answer=plan.is_editable and can(user, "plan.answer", plan),
        can_replace=may_edit,
        can_record_meeting=can(user, "meeting.record"),
        pay_toml=exchange.to_toml("pay", plan.content) if plan.is_pay else "",
    )


@dataclass
class FrameworkPage(DocumentPage):
    framework: Framework
    can_edit: bool


def framework_page(*, user: ActingUser, pk: int) -> FrameworkPage:
    framework = framework_get(user=user, pk=pk)
    return FrameworkPage(
        **page_fields(_document_page(user, framework, [])),
        framework=framework,
        can_edit=framework.is_editable and can(user, "framework.edit", framework),
    )
