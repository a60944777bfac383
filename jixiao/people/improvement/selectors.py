"""Improvement plans: reads (issue 13). One page selector per page, through ``access``;
``open_plan_employee_ids`` and ``open_plans_for`` serve other wings and pages (contract)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can, require, scope
from jixiao.common.errors import JixiaoError, NotFound, PermissionRefused
from jixiao.cycles.results.models import Result
from jixiao.cycles.review.release import shown_many
from jixiao.engine.text import Text
from jixiao.org.history import HistoryEntry, names_of_users, record_history
from jixiao.org.models import Employee
from jixiao.workflow.table import Transition

from .heads import head_employee_ids
from .models import CHECKABLE, OPEN, CheckIn, Comment, Goal, ImprovementPlan, Review, Support
from .workflow import IMPROVEMENT


def open_plan_employee_ids() -> set[int]:
    """The employees with a plan not yet improved or closed (eligibility; no access check)."""
    return set(ImprovementPlan.objects.filter(state__in=OPEN).values_list("employee_id", flat=True))


def open_plans_for(employee_ids: Iterable[int]) -> dict[int, list[ImprovementPlan]]:
    """Each employee's open plans, newest first (for result and people pages; the caller has
    checked the reader may see these people's plans, or shows only that one exists)."""
    ids = {int(pk) for pk in employee_ids}
    found: dict[int, list[ImprovementPlan]] = {}
    if not ids:
        return found
    for plan in ImprovementPlan.objects.filter(employee_id__in=ids, state__in=OPEN).order_by("-pk"):
        found.setdefault(plan.employee_id, []).append(plan)
    return found


# -- the list ---------------------------------------------------------------------------------

# The list's state filter: "open" (not yet improved or closed), "" (all) or one state.
STATE_FILTERS = ("open", *IMPROVEMENT.labels)


@dataclass
class PlanRow:
    plan: ImprovementPlan
    state: Text
    next_review: dt.date | None
    overdue: bool


@dataclass
class PlansPage:
    rows: list[PlanRow]
    state: str
    overdue_only: bool
    states: list[tuple[str, Text]]
    can_start: bool
    todo: bool = False


def _plans(user: ActingUser) -> QuerySet[ImprovementPlan]:
    qs = ImprovementPlan.objects.select_related("employee__department")
    return scope(user, "improvement.view", qs)


# The steps by which the employee acknowledges their plan (the first version, then each update).
ACKNOWLEDGING = frozenset({"acknowledge", "acknowledge_update"})


def _to_acknowledge(user: ActingUser, plan: ImprovementPlan) -> bool:
    """Whether ``plan`` waits for ``user``'s acknowledgement: the step is theirs and its guards
    (content written, this version not yet acknowledged) pass."""
    for step in IMPROVEMENT.available(user, plan):
        if step.action in ACKNOWLEDGING:
            try:
                for guard in step.guards:
                    guard(plan, user)
            except JixiaoError:
                continue
            return True
    return False


def plans_to_acknowledge(*, user: ActingUser) -> list[ImprovementPlan]:
    """The open plans waiting for the user's acknowledgement (the employee's own): the home
    page's count and the list's ``?todo=1``."""
    mine = actor_for(user).employee_id
    if mine is None:
        return []
    return [p for p in _plans(user).filter(employee_id=mine, state__in=OPEN) if _to_acknowledge(user, p)]


def plans_page(
    *, user: ActingUser, state: str = "open", overdue: bool = False, todo: bool = False
) -> PlansPage:
    """The plans the user may see (HR and the committee: all; a head: their people's; an
    employee: their own), with the next review date and whether one is overdue (one query);
    ``todo``: only those waiting for the user's acknowledgement."""
    require(user, "improvement.list")
    today = timezone.localdate()
    qs = _plans(user).annotate(
        next_review=Min("reviews__due", filter=Q(reviews__checkin__isnull=True)),
    )
    if todo:
        qs = qs.filter(pk__in=[p.pk for p in plans_to_acknowledge(user=user)])
    if state == "open":
        qs = qs.filter(state__in=OPEN)
    elif state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(state__in=OPEN, next_review__lt=today)
    rows = [
        PlanRow(
            p,
            IMPROVEMENT.state_label(p.state),
            p.next_review,
            p.is_open and p.next_review is not None and p.next_review < today,
        )
        for p in qs.order_by("-pk")[:500]
    ]
    states = [(code, label) for code, label in IMPROVEMENT.labels.items()]
    return PlansPage(rows, state, overdue, states, _start_candidates(user).exists(), todo)


# -- starting a plan --------------------------------------------------------------------------


def _start_candidates(user: ActingUser) -> QuerySet[Employee]:
    active = Employee.objects.exclude(status=Employee.Status.LEFT).select_related("department")
    return scope(user, "improvement_candidate.start", active).order_by("department__sort_order", "number")


@dataclass
class NewPage:
    candidates: list[Employee]
    employee: Employee | None
    results: list[Result]  # the chosen employee's results the user may read, newest first


def new_page(*, user: ActingUser, employee_id: int | None) -> NewPage:
    """Whom the user may start a plan for (HR: anyone but themself; a head: their people) and,
    once one is chosen, that person's results the user may read (to link those that led to it)."""
    candidates = list(_start_candidates(user)[:2000])
    if not candidates:
        raise PermissionRefused()
    employee = next((e for e in candidates if e.pk == employee_id), None)
    results: list[Result] = []
    if employee is not None:
        qs = Result.objects.filter(member__employee_id=employee.pk).select_related("cycle", "member")
        results = list(scope(user, "result.view", qs).order_by("-cycle__start")[:24])
        shown_many(user=user, results=results)
    return NewPage(candidates, employee, results)


# -- the plan page ----------------------------------------------------------------------------


def plan_get(*, user: ActingUser, pk: int) -> ImprovementPlan:
    """One plan the user may see, else 404 (its existence is not revealed)."""
    plan = ImprovementPlan.objects.select_related("employee__department", "started_by").filter(pk=pk).first()
    if plan is None or not can(user, "improvement.view", plan):
        raise NotFound()
    return plan


@dataclass
class ResultLine:
    """A result of the person as this viewer may see it: the cycle's label always; the figures,
    and a link to the result, only as far as the release allows them."""

    label: str
    result: Result | None  # None: the viewer may not read it (only the cycle is named)


@dataclass
class ReviewLine:
    review: Review
    checkin: CheckIn | None
    overdue: bool


@dataclass
class PlanPage:
    plan: ImprovementPlan
    state: Text
    goals: list[Goal]
    supports: list[Support]
    reviews: list[ReviewLine]
    checkins: list[CheckIn]
    comments: list[tuple[Comment, str]]  # (comment, author's name)
    acknowledged: list[int]  # the revisions the employee acknowledged
    actions: list[Transition]
    can_write: bool
    can_comment: bool
    is_employee: bool
    started_by: list[ResultLine]
    since: list[ResultLine]  # the person's results in the cycles since the plan started
    timeline: list[HistoryEntry]
    heads: list[str] = field(default_factory=list)

    @property
    def current_acknowledged(self) -> bool:
        return self.plan.revision in self.acknowledged

    @property
    def action_names(self) -> set[str]:
        return {t.action for t in self.actions}

    @property
    def open_reviews(self) -> list[Review]:
        return [line.review for line in self.reviews if line.checkin is None]

    @property
    def overdue(self) -> bool:
        return any(line.overdue for line in self.reviews)

    @property
    def editable(self) -> bool:
        return self.can_write and self.plan.is_editable

    @property
    def can_checkin(self) -> bool:
        return self.can_write and self.plan.state in CHECKABLE


def timeline(plan: ImprovementPlan) -> list[HistoryEntry]:
    """The plan's history from the audit log."""
    return record_history((ImprovementPlan._meta.label_lower, [plan.pk]))


def _result_lines(user: ActingUser, results: list[Result]) -> list[ResultLine]:
    visible = {
        r.pk for r in scope(user, "result.view", Result.objects.filter(pk__in=[r.pk for r in results]))
    }
    readable = shown_many(user=user, results=[r for r in results if r.pk in visible])
    by_pk = {r.pk: r for r in readable}
    return [ResultLine(r.cycle.label, by_pk.get(r.pk)) for r in results]


def _results(user: ActingUser, plan: ImprovementPlan) -> tuple[list[ResultLine], list[ResultLine]]:
    linked = list(plan.results.select_related("cycle", "member").order_by("cycle__start"))
    later = list(
        Result.objects.filter(member__employee_id=plan.employee_id, cycle__end__gte=plan.started_on)
        .exclude(pk__in=[r.pk for r in linked])
        .select_related("cycle", "member")
        .order_by("cycle__start")
    )
    return _result_lines(user, linked), _result_lines(user, later)


def _actions(user: ActingUser, plan: ImprovementPlan, acknowledged: list[int]) -> list[Transition]:
    actions = IMPROVEMENT.available(user, plan)
    if plan.revision in acknowledged:  # each version is acknowledged once
        actions = [t for t in actions if t.action not in ("acknowledge", "acknowledge_update")]
    return actions


def plan_page(*, user: ActingUser, pk: int) -> PlanPage:
    plan = plan_get(user=user, pk=pk)
    today = timezone.localdate()
    checkins = list(plan.checkins.select_related("review").all())
    answered = {c.review_id: c for c in checkins if c.review_id}
    reviews = [
        ReviewLine(r, answered.get(r.pk), plan.is_open and r.pk not in answered and r.due < today)
        for r in plan.reviews.all()
    ]
    comments = list(plan.comments.all())
    names = names_of_users({c.author_id for c in comments})
    acknowledged = list(plan.acknowledgements.values_list("revision", flat=True))
    started_by, since = _results(user, plan)
    return PlanPage(
        plan=plan,
        state=IMPROVEMENT.state_label(plan.state),
        goals=list(plan.goals.all()),
        supports=list(plan.supports.all()),
        reviews=reviews,
        checkins=checkins,
        comments=[(c, names.get(c.author_id or 0, "")) for c in comments],
        acknowledged=acknowledged,
        actions=_actions(user, plan, acknowledged),
        can_write=can(user, "improvement.write", plan),
        can_comment=can(user, "improvement.comment", plan),
        is_employee=can(user, "improvement.acknowledge", plan),
        started_by=started_by,
        since=since,
        timeline=timeline(plan),
        heads=list(
            Employee.objects.filter(pk__in=head_employee_ids(plan.employee)).values_list("name", flat=True)
        ),
    )


@dataclass
class CheckInPage:
    plan: ImprovementPlan
    state: Text
    reviews: list[Review]  # review dates not yet answered by a check-in, earliest first


def checkin_page(*, user: ActingUser, pk: int) -> CheckInPage:
    """The check-in form (the plan's writers only)."""
    plan = plan_get(user=user, pk=pk)
    require(user, "improvement.write", plan)
    reviews = list(plan.reviews.filter(checkin__isnull=True).order_by("due", "pk"))
    return CheckInPage(plan, IMPROVEMENT.state_label(plan.state), reviews)


# -- for the employee's "my results" page -----------------------------------------------------


def my_open_plans(*, user: ActingUser) -> list[ImprovementPlan]:
    """The user's own plans not yet improved or closed, newest first (for "my results")."""
    employee_id = actor_for(user).employee_id
    if employee_id is None:
        return []
    return open_plans_for([employee_id]).get(employee_id, [])
