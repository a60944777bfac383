"""The approval chain as data (§2): the transition tables of plans and frameworks.

Plan: head submits → HR reviews (returns with comments, or passes) → deputy reviews → the
committee meeting decides → the leader approves and publishes. Frameworks skip the HR step (HR
drafts them). Any reviewer may return the document for revision (saying why); rounds repeat
freely. Submission is refused while lint finds a blocking problem (the guard in the submit row).
What a step does besides moving the state (a revision snapshot on submit, the meeting on a
committee decision, publication) is the ``change`` that :mod:`.review` passes to
``transition_apply``.
"""

from __future__ import annotations

from typing import Any

from jixiao.access.actor import ActingUser
from jixiao.common.errors import JixiaoError, Problem
from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .adapters import document_findings, has_blocking
from .models import Framework, Plan, Status

LABELS: dict[str, Text] = {
    Status.DRAFT: Text("草稿", "Draft"),
    Status.SUBMITTED: Text("待人力资源部评审", "Awaiting HR review"),
    Status.RETURNED: Text("已退回修改", "Returned for revision"),
    Status.HR_PASSED: Text("待副组长审核", "Awaiting the deputy's review"),
    Status.SCHEDULED: Text("待考核小组会议", "Awaiting the committee meeting"),
    Status.COMMITTEE_APPROVED: Text("待组长审批", "Awaiting the leader's approval"),
    Status.PUBLISHED: Text("已发布", "Published"),
    Status.SUPERSEDED: Text("已被新版本取代", "Superseded by a newer version"),
}
EDITING = (Status.DRAFT, Status.RETURNED)
RETURN = Text("退回修改", "Return for revision")
# The rows whose decision names the committee meeting that took it.
COMMITTEE_DECISIONS = frozenset({"committee_approve", "committee_return"})
PUBLISHING = frozenset({"leader_approve"})


def lint_clean(document: Any, user: ActingUser) -> None:
    """Refuse to submit a document that lint finds a blocking problem in, listing each."""
    findings = document_findings(document)
    if has_blocking(findings):
        blocking = [f for f in findings if f.severity == "blocking"]
        raise JixiaoError(
            zh="还有阻止提交的问题，请先修改。",
            en="Blocking problems remain; fix them first.",
            code="lint",
            status=409,
            problems=[Problem(zh=f.message_zh, en=f.message_en, where=f.where) for f in blocking],
        )


def _chain(kind: str, submit_to: str) -> tuple[Transition, ...]:
    return (
        Transition(
            "submit",
            EDITING,
            submit_to,
            f"{kind}.submit",
            Text("提交评审", "Submit for review"),
            (lint_clean,),
        ),
        Transition(
            "hr_return", [Status.SUBMITTED], Status.RETURNED, f"{kind}.hr_review", RETURN, needs_reason=True
        ),
        Transition(
            "hr_pass",
            [Status.SUBMITTED],
            Status.HR_PASSED,
            f"{kind}.hr_review",
            Text("评审通过，报副组长", "Pass to the deputy"),
        ),
        Transition(
            "deputy_return",
            [Status.HR_PASSED],
            Status.RETURNED,
            f"{kind}.deputy_review",
            RETURN,
            needs_reason=True,
        ),
        Transition(
            "deputy_pass",
            [Status.HR_PASSED],
            Status.SCHEDULED,
            f"{kind}.deputy_review",
            Text("审核通过，提交小组会议", "Put before the committee"),
        ),
        Transition(
            "committee_approve",
            [Status.SCHEDULED],
            Status.COMMITTEE_APPROVED,
            f"{kind}.committee_record",
            Text("会议通过", "Committee approves"),
        ),
        Transition(
            "committee_return",
            [Status.SCHEDULED],
            Status.RETURNED,
            f"{kind}.committee_record",
            Text("会议退回", "Committee returns"),
            needs_reason=True,
        ),
        Transition(
            "leader_approve",
            [Status.COMMITTEE_APPROVED],
            Status.PUBLISHED,
            f"{kind}.leader_approve",
            Text("组长批准并发布", "Leader approves and publishes"),
        ),
        Transition(
            "leader_return",
            [Status.COMMITTEE_APPROVED],
            Status.RETURNED,
            f"{kind}.leader_approve",
            RETURN,
            needs_reason=True,
        ),
    )


PLAN_WORKFLOW = Workflow(
    name="plan", model=Plan, field="status", labels=LABELS, transitions=_chain("plan", Status.SUBMITTED)
)
FRAMEWORK_WORKFLOW = Workflow(
    name="framework",
    model=Framework,
    field="status",
    labels=LABELS,
    transitions=tuple(t for t in _chain("framework", Status.HR_PASSED) if not t.action.startswith("hr_")),
)


def workflow_of(document: Plan | Framework) -> Workflow:
    return PLAN_WORKFLOW if isinstance(document, Plan) else FRAMEWORK_WORKFLOW
