"""Read department summaries, rectification items, interviews and what a result shows, through
``access`` (§3, §6, §10): one selector per page, each returning what its page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from jixiao.access.actor import ActingUser
from jixiao.access.policy import can, require, scope
from jixiao.common.errors import NotFound
from jixiao.common.text import named
from jixiao.cycles.lifecycle import selectors as cycle_selectors
from jixiao.cycles.lifecycle.models import Cycle, CycleMember
from jixiao.cycles.lifecycle.snapshot import rules
from jixiao.cycles.results.models import Result
from jixiao.org.models import Department
from jixiao.workflow.table import Transition

from .models import (
    CYCLE_TAKES_INTERVIEWS,
    CYCLE_TAKES_SUMMARIES,
    RECTIFICATION_PENDING,
    SUMMARY_UNDER_REVIEW,
    DepartmentSummary,
    FeedbackInterview,
    Finding,
    Rectification,
)
from .release import Shown, shown_to
from .workflow import INTERVIEW, RECTIFICATION, SUMMARY


def participating(cycle: Cycle) -> QuerySet[Department]:
    """The departments with members in ``cycle`` (those that owe a summary)."""
    ids = CycleMember.objects.filter(cycle=cycle).values("department_id")
    return Department.objects.filter(pk__in=ids).order_by("sort_order", "pk")


@dataclass
class SummaryRow:
    department: Department
    summary: DepartmentSummary | None


@dataclass
class SummariesPage:
    cycle: Cycle
    rows: list[SummaryRow]
    todo: bool = False


# The steps that make a summary wait on someone: the head writes and submits, HR checks.
SUMMARY_TODO_STEPS = frozenset({"submit", "check"})


def summary_waits_on(user: ActingUser, cycle: Cycle, row: SummaryRow) -> bool:
    """Whether ``row``'s summary waits on ``user``: to write and submit (the head), to check (HR)."""
    if cycle.state not in CYCLE_TAKES_SUMMARIES:
        return False
    probe = row.summary or DepartmentSummary(cycle=cycle, department=row.department)
    return any(t.action in SUMMARY_TODO_STEPS for t in SUMMARY.available(user, probe))


def summaries_page(*, user: ActingUser, pk: int, todo: bool = False) -> SummariesPage:
    """Each participating department of cycle ``pk`` the user may see, with its summary so far
    (or None); ``todo``: only those waiting on the user. Three queries whatever the number of
    departments."""
    cycle = cycle_selectors.cycle_get(user=user, pk=pk)
    require(user, "cycle.dashboard", cycle)
    found = {
        s.department_id: s for s in scope(user, "summary.view", DepartmentSummary.objects.filter(cycle=cycle))
    }
    rows = [
        SummaryRow(department, found.get(department.pk))
        for department in participating(cycle)
        if department.pk in found
        or can(user, "summary.view", DepartmentSummary(cycle=cycle, department=department))
    ]
    if todo:
        rows = [row for row in rows if summary_waits_on(user, cycle, row)]
    return SummariesPage(cycle, rows, todo)


@dataclass
class SummaryPage:
    cycle: Cycle
    department: Department
    summary: DepartmentSummary | None
    findings: list[Finding]
    distribution: list[tuple[str, str, int]]  # (grade key, name, people)
    members: int
    average: str
    can_write: bool  # the head may edit it now (and submit it when ``submit`` is offered)
    actions: list[Transition]  # the summary's transitions the user may take now
    can_check: bool  # HR may record findings now

    @property
    def action_names(self) -> set[str]:
        return {t.action for t in self.actions}


def _distribution(cycle: Cycle, department: Department) -> tuple[list[tuple[str, str, int]], int, str]:
    results = Result.objects.filter(cycle=cycle, member__department=department)
    counts = dict(results.values("grade").annotate(n=Count("pk")).values_list("grade", "n"))
    member = CycleMember.objects.filter(cycle=cycle, department=department).select_related("snapshot").first()
    grades = rules(member.snapshot)[1].grades if member else ()
    distribution = [(g.key, named(g, "name_zh", "name_en"), counts.pop(g.key, 0)) for g in grades]
    distribution += [(key, "", n) for key, n in counts.items()]
    totals = results.aggregate(a=Avg("total_milli"), n=Count("pk"))
    average = "" if totals["a"] is None else f"{totals['a'] / 1000:.2f}"
    return distribution, totals["n"], average


def summary_page(*, user: ActingUser, pk: int, department_pk: int) -> SummaryPage:
    """One department's summary with its findings, the department's result distribution and the
    steps the user may take on it. The query count does not grow with findings or people."""
    cycle = cycle_selectors.cycle_get(user=user, pk=pk)
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
    distribution, members, average = _distribution(cycle, department)
    reviewing = cycle.state in CYCLE_TAKES_SUMMARIES
    actions = SUMMARY.available(user, probe) if reviewing else []
    return SummaryPage(
        cycle,
        department,
        summary,
        findings,
        distribution,
        members,
        average,
        can_write=reviewing and probe.is_editable and can(user, "summary.write", probe),
        actions=[t for t in actions if summary is not None or t.action == "submit"],
        can_check=reviewing
        and summary is not None
        and summary.status in SUMMARY_UNDER_REVIEW
        and can(user, "summary.check", probe),
    )


def summary_get(*, user: ActingUser, pk: int) -> DepartmentSummary:
    qs = DepartmentSummary.objects.filter(pk=pk).select_related("cycle", "department")
    found = scope(user, "summary.view", qs).first()
    if found is None:
        raise NotFound()
    return found


@dataclass
class RectificationRow:
    item: Rectification
    overdue: bool
    actions: list[Transition]  # the item's transitions the user may take now

    @property
    def action_names(self) -> set[str]:
        return {t.action for t in self.actions}


def rectifications_page(
    *, user: ActingUser, today: dt.date | None = None, todo: bool = False
) -> list[RectificationRow]:
    """Every rectification item the user may see, open ones first; overdue ones are marked;
    ``todo``: only those with a step the user may take now (answer, verify). One query whatever
    the number of items."""
    require(user, "rectification.list")
    today = today or timezone.localdate()
    qs = Rectification.objects.select_related("department", "finding__summary__cycle").order_by(
        "status", "due", "pk"
    )
    rows = [
        RectificationRow(
            item,
            item.status in RECTIFICATION_PENDING and item.due < today,
            RECTIFICATION.available(user, item),
        )
        for item in scope(user, "rectification.view", qs)
    ]
    return [row for row in rows if row.actions] if todo else rows


def rectification_get(*, user: ActingUser, pk: int) -> Rectification:
    found = scope(user, "rectification.view", Rectification.objects.filter(pk=pk)).first()
    if found is None:
        raise NotFound()
    return found


@dataclass
class InterviewProgress:
    name: str
    members: int = 0
    recorded: int = 0
    acknowledged: int = 0
    pending: list[str] = field(default_factory=list)


@dataclass
class InterviewProgressPage:
    cycle: Cycle
    rows: list[InterviewProgress]


def interview_progress_page(*, user: ActingUser, pk: int) -> InterviewProgressPage:
    """Per department: how many interviews are recorded and acknowledged, and who has none yet."""
    cycle = cycle_selectors.cycle_get(user=user, pk=pk)
    require(user, "cycle.dashboard", cycle)
    rows = cycle_selectors.members(user=user, cycle=cycle).order_by(
        "department__sort_order", "employee__number"
    )
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
    return InterviewProgressPage(cycle, list(out.values()))


@dataclass
class ResultReview:
    shown: Shown
    interview: FeedbackInterview | None
    can_record: bool
    actions: list[Transition]  # the interview's transitions the user may take now

    @property
    def can_acknowledge(self) -> bool:
        return any(t.action == "acknowledge" for t in self.actions)


def result_review(*, user: ActingUser, result: Result) -> ResultReview:
    """What the result page adds to the trace: the release applied and the feedback interview."""
    member = result.member
    interview = FeedbackInterview.objects.filter(member=member).first()
    visible = interview if interview and can(user, "interview.view", interview) else None
    return ResultReview(
        shown=shown_to(user=user, result=result),
        interview=visible,
        can_record=result.cycle.state in CYCLE_TAKES_INTERVIEWS and can(user, "interview.record", member),
        actions=INTERVIEW.available(user, visible) if visible is not None else [],
    )


@dataclass
class InterviewFormPage:
    member: CycleMember
    interview: FeedbackInterview | None
    result: Result | None


def interview_form_page(*, user: ActingUser, pk: int) -> InterviewFormPage:
    """The member whose interview the user records, with the interview so far and the result."""
    member = cycle_selectors.member_get(user=user, pk=pk)
    require(user, "interview.record", member)
    interview = FeedbackInterview.objects.filter(member=member).first()
    result = Result.objects.filter(member=member).first()
    return InterviewFormPage(member, interview, result)


def interview_get(*, user: ActingUser, pk: int) -> FeedbackInterview:
    qs = FeedbackInterview.objects.filter(pk=pk).select_related("member__cycle", "member__result")
    found = scope(user, "interview.view", qs).first()
    if found is None:
        raise NotFound()
    return found


@dataclass
class ReleasePage:
    cycle: Cycle
    initial: dict[str, object]


def release_page(*, user: ActingUser, pk: int) -> ReleasePage:
    """The cycle's release settings as they stand (HR's page)."""
    cycle = cycle_selectors.cycle_get(user=user, pk=pk)
    require(user, "cycle.manage")
    initial = {"score": cycle.release_score, "grade": cycle.release_grade, "rank": cycle.release_rank}
    return ReleasePage(cycle, initial)
