"""The approval chain as data (§2): one row per transition, for plans and for frameworks.

Plan: head submits → HR reviews (returns with comments, or passes) → deputy reviews → the
committee meeting decides → the leader approves and publishes. Frameworks skip the HR step (HR
drafts them). Any reviewer may return the document for revision; rounds repeat freely.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Status


@dataclass(frozen=True)
class Transition:
    """One step: from any of ``sources`` to ``target``, allowed by the ``permission`` rule."""

    action: str
    sources: tuple[str, ...]
    target: str
    permission: str
    label_zh: str
    label_en: str
    needs_note: bool = False  # a return must say why
    needs_meeting: bool = False  # a committee decision names its meeting
    publishes: bool = False


def _chain(kind: str, submit_to: str) -> tuple[Transition, ...]:
    return (
        Transition("submit", (Status.DRAFT, Status.RETURNED), submit_to, f"{kind}.submit", "提交评审", "Submit for review"),
        Transition("hr_return", (Status.SUBMITTED,), Status.RETURNED, f"{kind}.hr_review", "退回修改", "Return for revision", needs_note=True),
        Transition("hr_pass", (Status.SUBMITTED,), Status.HR_PASSED, f"{kind}.hr_review", "评审通过，报副组长", "Pass to the deputy"),
        Transition("deputy_return", (Status.HR_PASSED,), Status.RETURNED, f"{kind}.deputy_review", "退回修改", "Return for revision", needs_note=True),
        Transition("deputy_pass", (Status.HR_PASSED,), Status.SCHEDULED, f"{kind}.deputy_review", "审核通过，提交小组会议", "Put before the committee"),
        Transition("committee_approve", (Status.SCHEDULED,), Status.COMMITTEE_APPROVED, f"{kind}.committee_record", "会议通过", "Committee approves", needs_meeting=True),
        Transition("committee_return", (Status.SCHEDULED,), Status.RETURNED, f"{kind}.committee_record", "会议退回", "Committee returns", needs_note=True, needs_meeting=True),
        Transition("leader_approve", (Status.COMMITTEE_APPROVED,), Status.PUBLISHED, f"{kind}.leader_approve", "组长批准并发布", "Leader approves and publishes", publishes=True),
        Transition("leader_return", (Status.COMMITTEE_APPROVED,), Status.RETURNED, f"{kind}.leader_approve", "退回修改", "Return for revision", needs_note=True),
    )  # fmt: skip


PLAN_TRANSITIONS = _chain("plan", Status.SUBMITTED)
FRAMEWORK_TRANSITIONS = tuple(
    t for t in _chain("framework", Status.HR_PASSED) if not t.action.startswith("hr_")
)


def find(transitions: tuple[Transition, ...], action: str) -> Transition | None:
    return next((t for t in transitions if t.action == action), None)


def available(transitions: tuple[Transition, ...], status: str) -> list[Transition]:
    return [t for t in transitions if status in t.sources]
