"""Cycle services (§3): create a cycle, and every row of its transition table
(``workflow.CYCLE_WORKFLOW``) applied through ``transition_apply``: open (snapshot the rules),
close scoring with every result computed, and the review stages.

Entry services for actuals, scores and conflicts are in ``entry.services``; the cycle's row lock
used by every wing is ``locks.cycle_locked``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError
from jixiao.cycles.results.calculation import Progress, inputs_fingerprint, results_compute, results_store
from jixiao.engine import ENGINE_VERSION
from jixiao.engine.text import Text
from jixiao.notifications.services import notify
from jixiao.org.models import Department, Employee
from jixiao.plans.adapters import framework_table, plan_table
from jixiao.plans.models import Plan
from jixiao.plans.models import Status as PlanStatus
from jixiao.workflow.services import audited_write, transition_apply

from .guards import period_over
from .locks import cycle_state_check
from .models import Cycle, CycleMember, CyclePlan, State
from .signals import cycle_locked
from .workflow import CYCLE_WORKFLOW


def cycle_create(
    *,
    user: ActingUser,
    label: str,
    kind: str,
    start: dt.date,
    end: dt.date,
    departments: list[Department],
    deadlines: dict[str, str] | None = None,
) -> Cycle:
    """Create a cycle in planning for the chosen departments."""
    require(user, "cycle.manage")
    if end < start:
        raise JixiaoError(zh="结束日期早于开始日期。", en="The end date is before the start date.")
    if Cycle.objects.filter(label=label).exists():
        raise JixiaoError(zh=f"周期 {label} 已存在。", en=f"Cycle {label} already exists.", status=409)
    if not departments:
        raise JixiaoError(zh="请至少选择一个部门。", en="Choose at least one department.")
    with transaction.atomic():
        cycle = Cycle.objects.create(label=label, kind=kind, start=start, end=end, deadlines=deadlines or {})
        cycle.departments.set(departments)
        audit_record(
            actor=user,
            action="cycle.create",
            obj=cycle,
            after={"label": label, "kind": kind, "departments": sorted(d.pk for d in departments)},
        )
    return cycle


def _plan_for(plans: list[Plan], department_id: int, position_id: int | None) -> Plan | None:
    """The position-specific published plan if one names the position, else the department-wide one."""
    mine = [p for p in plans if p.department_id == department_id]
    specific = [
        p for p in mine if position_id is not None and position_id in {x.pk for x in p.positions.all()}
    ]
    if specific:
        return specific[0]
    general = [p for p in mine if not p.positions.all()]
    return general[0] if general else None


def _published_plans(department_ids: list[int]) -> list[Plan]:
    return list(
        Plan.objects.filter(
            status=PlanStatus.PUBLISHED, kind=Plan.Kind.APPRAISAL, department_id__in=department_ids
        )
        .select_related("framework", "department")
        .prefetch_related("positions")
        .order_by("pk")
    )


def _snapshot(cycle: Cycle, plan: Plan) -> CyclePlan:
    return CyclePlan.objects.create(
        cycle=cycle,
        plan=plan,
        plan_number=plan.number,
        plan_content=plan_table(plan),
        framework=plan.framework,
        framework_number=plan.framework.number,
        framework_content=framework_table(plan.framework),
    )


def _members_create(cycle: Cycle, opened: dict[str, Any]) -> None:
    """Snapshot each plan in use and make every active employee with a plan a member; note the
    counts in ``opened`` (they go into the audit event)."""
    department_ids = list(cycle.departments.values_list("pk", flat=True))
    plans = _published_plans(department_ids)
    snapshots: dict[int, CyclePlan] = {}
    members: list[CycleMember] = []
    employees = Employee.objects.filter(department_id__in=department_ids, status="active").order_by("number")
    for employee in employees.values("pk", "department_id", "position_id", "manager_id"):
        plan = _plan_for(plans, employee["department_id"], employee["position_id"])
        if plan is None:
            continue
        if plan.pk not in snapshots:
            snapshots[plan.pk] = _snapshot(cycle, plan)
        members.append(
            CycleMember(
                cycle=cycle,
                employee_id=employee["pk"],
                snapshot=snapshots[plan.pk],
                department_id=employee["department_id"],
                position_id=employee["position_id"],
                manager_id=employee["manager_id"],
            )
        )
    if not members:
        raise JixiaoError(
            zh="所选部门没有适用已发布考核细则的员工，无法开始。",
            en="No employee in the chosen departments has a published plan; nothing to open.",
        )
    CycleMember.objects.bulk_create(members, batch_size=2000)
    opened.update(members=len(members), plans=sorted(snapshots))


def cycle_open(*, user: ActingUser, cycle: Cycle) -> Cycle:
    """Snapshot each active employee's published plan and open the cycle for data and scoring.

    Employees with no published plan are not members (the dashboard of the plans says why).
    """
    opened: dict[str, Any] = {}

    def change(locked: Cycle) -> None:
        _members_create(locked, opened)
        _tell_scoring_open(locked)

    return transition_apply(
        user=user,
        workflow=CYCLE_WORKFLOW,
        obj=cycle,
        action="open",
        change=change,
        fields=["state"],
        extra=opened,
    )


def _tell_scoring_open(cycle: Cycle) -> None:
    """Tell every member and every member's manager (their rater) that scoring is open: one
    read of the members and bulk inserts, never a query per person."""
    pairs = CycleMember.objects.filter(cycle=cycle).values_list("employee__user_id", "manager__user_id")
    notify(
        recipients={user_id for pair in pairs for user_id in pair if user_id},
        kind="cycle.scoring_open",
        text=Text(
            f"考核周期 {cycle.label} 已开始评分，请在截止前完成需要您填写的自评和评分。",
            f"Scoring of appraisal cycle {cycle.label} is open; complete the self-assessment and "
            "scores that wait on you before the deadline.",
        ),
        link=reverse("cycles:cycle_detail", args=[cycle.pk]),
    )


def close_action(cycle: Cycle) -> str:
    """The row that closes ``cycle``: the ordinary close once its period has ended, else the
    early close (which needs a reason)."""
    return "close_scoring" if period_over(cycle) else "close_scoring_early"


def close_check(*, user: ActingUser, cycle: Cycle, reason: str = "") -> str:
    """Refuse now, before any computing, what the close row would refuse (reason, guards);
    return the row's action. ``transition_apply`` checks the same again under the lock."""
    transition = CYCLE_WORKFLOW.find(close_action(cycle))
    assert transition is not None
    if transition.needs_reason and not reason.strip():
        raise JixiaoError(
            zh=f"周期 {cycle.label} 到 {cycle.end:%Y-%m-%d} 才结束：提前截止评分须说明原因。",
            en=f"Cycle {cycle.label} runs until {cycle.end:%Y-%m-%d}: closing scoring early needs a reason.",
            code="reason_required",
        )
    for guard in transition.guards:
        guard(cycle, user)
    return transition.action


def cycle_close_scoring(
    *, user: ActingUser, cycle: Cycle, progress: Progress | None = None, reason: str = ""
) -> Cycle:
    """Close scoring and compute every result with the engine's batch form.

    Idempotent: on a cycle already closed for scoring it recomputes and stores the same results.
    All or nothing: the results, the state and the audit event are written in one transaction,
    so a close killed midway leaves the cycle and its results exactly as they were.

    The inputs are read and computed *before* that transaction, with the inputs' fingerprint
    taken first; under the cycle's row lock the fingerprint is taken again, and if any actual or
    score changed meanwhile everything is read and computed again inside the lock. So the write
    lock (SQLite has one writer) is held for the store alone, and ``progress`` can be committed
    during reading and computing. ``progress(phase, done, total)`` is called with phase
    ``reading``, ``computing`` and ``storing``.
    """
    require(user, "cycle.manage")
    cycle = Cycle.objects.get(pk=cycle.pk)
    cycle_state_check(cycle, (State.OPEN, State.SCORING_CLOSED))
    action = close_check(user=user, cycle=cycle, reason=reason) if cycle.state == State.OPEN else ""
    seen = inputs_fingerprint(cycle)
    computed = results_compute(cycle, progress)
    stored: dict[str, Any] = {"engine_version": ENGINE_VERSION}

    def store(locked: Cycle) -> None:
        nonlocal computed
        if inputs_fingerprint(locked) != seen:
            computed = results_compute(locked, progress)
        stored["results"] = results_store(locked, computed, progress)
        locked.state = State.SCORING_CLOSED
        locked.engine_version = ENGINE_VERSION
        locked.computed_at = timezone.now()

    fields = ["state", "engine_version"]
    if cycle.state == State.OPEN:
        return transition_apply(
            user=user,
            workflow=CYCLE_WORKFLOW,
            obj=cycle,
            action=action,
            reason=reason,
            change=store,
            fields=fields,
            extra=stored,
        )
    # Already closed: recompute under the same lock and audit action, without a transition.
    return audited_write(
        user=user,
        obj=cycle,
        action="cycle.close_scoring",
        change=store,
        states=[State.SCORING_CLOSED],
        workflow=CYCLE_WORKFLOW,
    )


def cycle_transition(*, user: ActingUser, cycle: Cycle, action: str, reason: str = "") -> Cycle:
    """Apply one row of ``CYCLE_WORKFLOW`` (open and close_scoring have their own services)."""
    if action == "open":
        return cycle_open(user=user, cycle=cycle)
    if action in ("close_scoring", "close_scoring_early"):
        return cycle_close_scoring(user=user, cycle=cycle, reason=reason)
    if CYCLE_WORKFLOW.find(action) is None:
        raise JixiaoError(zh="未知的操作。", en=f"Unknown action {action!r}.")
    cycle = Cycle.objects.get(pk=cycle.pk)  # the state as it is now, not as the caller last read it
    done = transition_apply(
        user=user, workflow=CYCLE_WORKFLOW, obj=cycle, action=action, reason=reason, fields=["state"]
    )
    if action == "lock":  # wings above (people.rules) act on a locked cycle once the lock commits
        transaction.on_commit(lambda: cycle_locked.send(sender=Cycle, cycle=done), robust=True)
    return done


def cycle_submit_summaries(*, user: ActingUser, cycle: Cycle) -> Cycle:
    return cycle_transition(user=user, cycle=cycle, action="submit_summaries")


def cycle_hr_check(*, user: ActingUser, cycle: Cycle, reason: str = "") -> Cycle:
    return cycle_transition(user=user, cycle=cycle, action="hr_check", reason=reason)


def cycle_verify(*, user: ActingUser, cycle: Cycle) -> Cycle:
    return cycle_transition(user=user, cycle=cycle, action="verify")


def cycle_publish(*, user: ActingUser, cycle: Cycle) -> Cycle:
    return cycle_transition(user=user, cycle=cycle, action="publish")


def cycle_lock(*, user: ActingUser, cycle: Cycle) -> Cycle:
    return cycle_transition(user=user, cycle=cycle, action="lock")
