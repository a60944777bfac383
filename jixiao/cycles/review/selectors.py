"""Read department summaries, rectification items, interviews and what a result shows, through
``access`` (§3, §6, §10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from jixiao.access.policy import can, require, scope
from jixiao.common.errors import NotFound
from jixiao.org.models import Department

from . import selectors
from .models import Cycle, CycleMember, DepartmentSummary, FeedbackInterview, Finding, Rectification, Result
from .release import Shown, shown_many, shown_to
from .snapshot import rules
from .summaries import SUMMARY_STATES, Status


def participating(cycle: Cycle) -> QuerySet[Department]:
    """The departments with members in ``cycle`` (those that owe a summary)."""
    ids = CycleMember.objects.filter(cycle=cycle).values("department_id")
    return Department.objects.filter(pk__in=ids).order_by("sort_order", "pk")


@dataclass
class SummaryRow:
    department: Department
    summary: DepartmentSummary | None


def summaries_board(*, user: Any, cycle: Cycle) -> list[SummaryRow]:
    """Each participating department the user may see, with its summary so far (or None)."""
    require(user, "cycle.dashboard", cycle)
    found = {
        s.department_id: s for s in scope(user, "summary.view", DepartmentSummary.objects.filter(cycle=cycle))
    }
    rows = []
    for department in participating(cycle):
        if department.pk in found or can(
            user, "summary.view", DepartmentSummary(cycle=cycle, department=department)
        ):
            rows.append(SummaryRow(department, found.get(department.pk)))
    return rows


@dataclass
class SummaryPage:
    cycle: Cycle
    department: Department
    summary: DepartmentSummary | None
    findings: list[Finding]
    distribution: list[tuple[str, str, int]]  # (grade key, name, people)
    members: int
    average: str
    can_write: bool  # the head may edit and submit it now
    can_check: bool  # HR may check, return it and record findings now


def summary_page(*, user: Any, cycle: Cycle, department_pk: int) -> SummaryPage:
    """One department's summary with its findings and the department's result distribution."""
    department = participating(cycle).filter(pk=department_pk).first()
    if department is None:
        raise NotFound()
    summary = DepartmentSummary.objects.filter(cycle=cycle, department=department).first()
    probe = summary or DepartmentSummary(cycle=cycle, department=department)
    if not can(user, "summary.view", probe):
        raise NotFound()
    findings = (
        list(Finding.objects.filter(summary=summary).select_related("rectification")) if summary else []
    )
    results = Result.objects.filter(cycle=cycle, member__department=department)
    counts = dict(results.values("grade").annotate(n=Count("pk")).values_list("grade", "n"))
    member = CycleMember.objects.filter(cycle=cycle, department=department).select_related("snapshot").first()
    grades = rules(member.snapshot)[1].grades if member else ()
    distribution = [(g.key, g.name_zh, counts.pop(g.key, 0)) for g in grades]
    distribution += [(key, "", n) for key, n in counts.items()]
    average = results.aggregate(a=Avg("total_milli"))["a"]
    open_state = cycle.state in SUMMARY_STATES
    editable = open_state and probe.status in (Status.DRAFT, Status.RETURNED)
    checkable = open_state and summary is not None and summary.status in (Status.SUBMITTED, Status.CHECKED)
    return SummaryPage(
        cycle, department, summary, findings, distribution, results.count(),
        "" if average is None else f"{average / 1000:.2f}",
        editable and can(user, "summary.write", probe), checkable and can(user, "summary.check", probe),
    )  # fmt: skip


@dataclass
class RectificationRow:
    item: Rectification
    overdue: bool
    can_answer: bool
    can_verify: bool


def rectifications(*, user: Any, today: dt.date | None = None) -> list[RectificationRow]:
    """Every rectification item the user may see, open ones first; overdue ones are marked."""
    require(user, "rectification.list")
    today = today or timezone.localdate()
    qs = Rectification.objects.select_related("department", "finding__summary__cycle").order_by(
        "status", "due", "pk"
    )
    state = Rectification.Status
    return [
        RectificationRow(
            item,
            item.status != state.VERIFIED and item.due < today,
            item.status == state.OPEN and can(user, "rectification.answer", item),
            item.status == state.ANSWERED and can(user, "rectification.verify", item),
        )
        for item in scope(user, "rectification.view", qs)
    ]


@dataclass
class InterviewProgress:
    name: str
    members: int = 0
    recorded: int = 0
    acknowledged: int = 0
    pending: list[str] = field(default_factory=list)


def interview_progress(*, user: Any, cycle: Cycle) -> list[InterviewProgress]:
    """Per department: how many interviews are recorded and acknowledged, and who has none yet."""
    require(user, "cycle.dashboard", cycle)
    rows = selectors.members(user=user, cycle=cycle).order_by("department__sort_order", "employee__number")
    held = dict(
        FeedbackInterview.objects.filter(member__cycle=cycle).values_list("member_id", "acknowledged_at")
    )
    out: dict[int, InterviewProgress] = {}
    for member in rows:
        entry = out.setdefault(member.department_id, InterviewProgress(member.department.name))
        entry.members += 1
        if member.pk not in held:
            entry.pending.append(member.employee.name)
            continue
        entry.recorded += 1
        entry.acknowledged += held[member.pk] is not None
    return list(out.values())


@dataclass
class ResultReview:
    shown: Shown
    interview: FeedbackInterview | None
    can_record: bool
    can_acknowledge: bool


def result_review(*, user: Any, result: Result) -> ResultReview:
    """What the result page adds to the trace: the release applied and the feedback interview."""
    member = result.member
    interview = FeedbackInterview.objects.filter(member=member).first()
    visible = interview if interview and can(user, "interview.view", interview) else None
    published = result.cycle.state in ("published", "locked")
    return ResultReview(
        shown=shown_to(user=user, result=result),
        interview=visible,
        can_record=published and can(user, "interview.record", member),
        can_acknowledge=visible is not None and visible.acknowledged_at is None
        and can(user, "interview.acknowledge", visible),
    )  # fmt: skip


def my_results(*, user: Any) -> list[Result]:
    """The user's own results, each with ``shown`` attached (what the release lets them see)."""
    return shown_many(user=user, results=selectors.my_results(user=user))


def interview_member(*, user: Any, pk: int) -> tuple[CycleMember, FeedbackInterview | None, Result | None]:
    """The member whose interview the user records, with the interview so far and the result."""
    member = selectors.member_get(user=user, pk=pk)
    require(user, "interview.record", member)
    interview = FeedbackInterview.objects.filter(member=member).first()
    result = Result.objects.filter(member=member).first()
    return member, interview, result


def interview_get(*, user: Any, pk: int) -> FeedbackInterview:
    qs = FeedbackInterview.objects.filter(pk=pk).select_related("member__cycle")
    found = scope(user, "interview.view", qs).first()
    if found is None:
        raise NotFound()
    return found


def summary_get(*, user: Any, pk: int) -> DepartmentSummary:
    qs = DepartmentSummary.objects.filter(pk=pk).select_related("cycle", "department")
    found = scope(user, "summary.view", qs).first()
    if found is None:
        raise NotFound()
    return found


def rectification_get(*, user: Any, pk: int) -> Rectification:
    found = scope(user, "rectification.view", Rectification.objects.filter(pk=pk)).first()
    if found is None:
        raise NotFound()
    return found
