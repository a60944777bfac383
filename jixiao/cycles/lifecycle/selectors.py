"""Read cycles and members through ``access`` (§10), and the cycle pages' selectors."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can, require, scope
from jixiao.common.errors import NotFound
from jixiao.common.text import named, say
from jixiao.cycles.entry.models import Actual, Score
from jixiao.engine.text import Text
from jixiao.jobs.models import JobRun
from jixiao.workflow.table import Transition

from . import closing
from .guards import POLICY_NAMES, Gap, data_gaps, period_over
from .models import Cycle, CycleMember, CyclePlan, State
from .snapshot import manual_measures, measure_keys, rules
from .workflow import CYCLE_WORKFLOW


def cycle_list(*, user: ActingUser) -> QuerySet[Cycle]:
    require(user, "cycle.list")
    return Cycle.objects.prefetch_related("departments")


def cycle_get(*, user: ActingUser, pk: int) -> Cycle:
    cycle = Cycle.objects.filter(pk=pk).first()
    if cycle is None or not can(user, "cycle.view", cycle):
        raise NotFound()
    return cycle


def members(*, user: ActingUser, cycle: Cycle) -> QuerySet[CycleMember]:
    qs = CycleMember.objects.filter(cycle=cycle).select_related("employee", "department", "snapshot", "cycle")
    return scope(user, "member.view", qs)


def member_get(*, user: ActingUser, pk: int) -> CycleMember:
    qs = CycleMember.objects.filter(pk=pk).select_related("employee", "snapshot", "cycle")
    found = scope(user, "member.view", qs).first()
    if found is None:
        raise NotFound()
    return found


@dataclass
class DepartmentProgress:
    name: str
    members: int = 0
    without_data: list[str] = field(default_factory=list)
    without_scores: list[str] = field(default_factory=list)
    without_self: list[str] = field(default_factory=list)


def plans_of(cycle: Cycle) -> dict[int, Any]:
    """``{snapshot pk: engine plan}`` for a cycle: one query, each snapshot parsed once."""
    return {snapshot.pk: rules(snapshot)[0] for snapshot in CyclePlan.objects.filter(cycle=cycle)}


def visible_members(user: ActingUser, cycle: Cycle) -> QuerySet[CycleMember]:
    """The cycle's members ``user`` may see, without their snapshot's rules (see ``_plans``)."""
    qs = CycleMember.objects.filter(cycle=cycle).select_related("employee", "department")
    return scope(user, "member.view", qs)


def progress(*, user: ActingUser, cycle: Cycle) -> list[DepartmentProgress]:
    """Per department: who still lacks imported data, manager scores or a self-assessment.

    Four queries whatever the number of members (tested)."""
    require(user, "cycle.dashboard", cycle)
    visible = visible_members(user, cycle)
    rows = list(visible.order_by("department__sort_order", "department_id", "employee__number"))
    plans = plans_of(cycle)
    actuals = defaultdict(set)
    for member_id, key in Actual.objects.filter(member__in=visible.values("pk")).values_list(
        "member_id", "measure_key"
    ):
        actuals[member_id].add(key)
    scored = defaultdict(set)
    for member_id, key in Score.objects.filter(
        member__in=visible.values("pk"), rater_kind="manager"
    ).values_list("member_id", "indicator_key"):
        scored[member_id].add(key)
    needs: dict[int, tuple[list[str], list[str]]] = {}
    for pk, plan in plans.items():
        manual = set(manual_measures(plan))
        imported = [k for k in measure_keys(plan) if k not in manual]
        needs[pk] = (imported, [i.key for i in plan.indicators if i.is_rated and "manager" in i.raters])
    out: dict[int, DepartmentProgress] = {}
    for member in rows:
        imported, rated = needs[member.snapshot_id]
        entry = out.setdefault(member.department_id, DepartmentProgress(named(member.department)))
        entry.members += 1
        if any(k not in actuals[member.pk] for k in imported):
            entry.without_data.append(member.employee.name)
        if any(k not in scored[member.pk] for k in rated):
            entry.without_scores.append(member.employee.name)
        if member.self_submitted_at is None:
            entry.without_self.append(member.employee.name)
    return list(out.values())


@dataclass
class StageDeadline:
    state: str
    label: str
    day: dt.date
    overdue: bool  # the day has passed and the cycle has not yet left that stage


def stage_deadlines(*, cycle: Cycle, today: dt.date) -> list[StageDeadline]:
    """Each stage's deadline (``cycle.deadlines``) in stage order, overdue ones marked."""
    order = [state for state, _ in State.choices]
    reached = order.index(cycle.state) if cycle.state in order else 0
    out = []
    for state, _label in State.choices:
        text = (cycle.deadlines or {}).get(state)
        try:
            day = dt.date.fromisoformat(str(text)) if text else None
        except ValueError:
            day = None
        if day is not None:
            out.append(
                StageDeadline(
                    state,
                    say(CYCLE_WORKFLOW.state_label(state)),
                    day,
                    today > day and reached <= order.index(state),
                )
            )
    return out


def my_member(*, user: ActingUser, cycle: Cycle) -> CycleMember | None:
    actor = actor_for(user)
    if actor.employee_id is None:
        return None
    return (
        CycleMember.objects.filter(cycle=cycle, employee_id=actor.employee_id)
        .select_related("snapshot", "cycle", "employee")
        .first()
    )


@dataclass
class CyclePage:
    """What the cycle page shows: the cycle, the user's next steps, links and the dashboard."""

    cycle: Cycle
    state_label: str
    actions: list[Transition]
    mine: CycleMember | None
    deadlines: list[StageDeadline]
    dashboard: list[DepartmentProgress] | None
    can_manage: bool
    can_actuals: bool
    can_calibrate: bool
    can_flags: bool


def cycle_page(*, user: ActingUser, pk: int, today: dt.date) -> CyclePage:
    """The cycle page (a fixed number of queries, whatever the number of members: tested)."""
    cycle = cycle_get(user=user, pk=pk)
    dashboard = progress(user=user, cycle=cycle) if can(user, "cycle.dashboard", cycle) else None
    return CyclePage(
        cycle=cycle,
        state_label=say(CYCLE_WORKFLOW.state_label(cycle.state)),
        actions=CYCLE_WORKFLOW.available(user, cycle),
        mine=my_member(user=user, cycle=cycle),
        deadlines=stage_deadlines(cycle=cycle, today=today),
        dashboard=dashboard,
        can_manage=can(user, "cycle.manage"),
        can_actuals=can(user, "cycle.actuals", cycle),
        can_calibrate=can(user, "calibration.view", cycle),
        can_flags=can(user, "integrity.flags"),
    )


def close_progress_page(*, user: ActingUser, pk: int) -> tuple[Cycle, JobRun | None, str]:
    """The progress of closing the cycle's scoring: the cycle, its latest close job and the job's
    message in the page's language."""
    cycle = cycle_get(user=user, pk=pk)
    job = closing.close_job_latest(user=user, cycle=cycle)
    return cycle, job, named(job, "message", "message_en") if job else ""


@dataclass
class ClosePage:
    """The close page: the job's progress and, while the cycle is open, who lacks what."""

    cycle: Cycle
    job: JobRun | None
    message: str
    gaps: list[Gap]
    blocking: int  # gaps that refuse the close
    policies: list[Text]  # the frameworks' missing-data rules, as stated
    early: bool  # the period has not ended: closing needs a reason


def close_page(*, user: ActingUser, pk: int) -> ClosePage:
    """Everything the close page shows (a fixed number of queries: the gaps take four)."""
    cycle, job, message = close_progress_page(user=user, pk=pk)
    gaps = data_gaps(cycle) if cycle.is_open else []
    frameworks = {rules(s)[1].missing_data for s in CyclePlan.objects.filter(cycle=cycle)}
    return ClosePage(
        cycle=cycle,
        job=job,
        message=message,
        gaps=gaps,
        blocking=sum(1 for g in gaps if g.blocking),
        policies=[POLICY_NAMES[p] for p in sorted(frameworks)],
        early=cycle.is_open and not period_over(cycle),
    )
