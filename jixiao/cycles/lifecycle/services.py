"""Cycle services (§3): create, open (snapshot the rules), every stage transition, and close
scoring with every result computed. Each checks permission and state under a row lock on the
cycle and appends its audit event in the same transaction.

Entry services for actuals, scores and conflicts are in ``entries``; the actuals import in
``imports``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.policy import require
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError
from jixiao.engine import ENGINE_VERSION
from jixiao.org.models import Department, Employee
from jixiao.plans.adapters import framework_table, plan_table
from jixiao.plans.models import Plan
from jixiao.plans.models import Status as PlanStatus

from . import workflow
from .calculation import Progress, inputs_fingerprint, results_compute, results_store
from .guards import transition_check
from .models import Cycle, CycleMember, CyclePlan, State


def cycle_locked(cycle_pk: int, states: tuple[str, ...] | None = None) -> Cycle:
    """Lock and return the cycle row; refuse unless it is in one of ``states``.

    Callers run inside ``transaction.atomic()``, so the state they checked is the state they
    write under (the state guard of SPEC §3).
    """
    cycle = Cycle.objects.select_for_update().get(pk=cycle_pk)
    if states is not None:
        cycle_state_check(cycle, states)
    return cycle


def cycle_state_check(cycle: Cycle, states: tuple[str, ...]) -> None:
    """Refuse (409) unless the cycle is in one of ``states``."""
    if cycle.state not in states:
        raise JixiaoError(
            zh=f"周期 {cycle.label} 当前为“{cycle.get_state_display()}”，不能进行此操作。",
            en=f"Cycle {cycle.label} is {cycle.state}; this is not allowed now.",
            code="cycle_state",
            status=409,
        )


def cycle_create(
    *,
    user: Any,
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


def cycle_open(*, user: Any, cycle: Cycle) -> Cycle:
    """Snapshot each active employee's published plan and open the cycle for data and scoring.

    Employees with no published plan are not members (the dashboard of the plans says why).
    """
    require(user, "cycle.manage")
    with transaction.atomic():
        cycle = cycle_locked(cycle.pk, (State.PLANNING,))
        department_ids = list(cycle.departments.values_list("pk", flat=True))
        plans = list(
            Plan.objects.filter(
                status=PlanStatus.PUBLISHED, kind=Plan.Kind.APPRAISAL, department_id__in=department_ids
            )
            .select_related("framework", "department")
            .prefetch_related("positions")
            .order_by("pk")
        )
        snapshots: dict[int, CyclePlan] = {}
        members: list[CycleMember] = []
        employees = Employee.objects.filter(department_id__in=department_ids, status="active").order_by(
            "number"
        )
        for employee in employees.values("pk", "department_id", "position_id", "manager_id"):
            plan = _plan_for(plans, employee["department_id"], employee["position_id"])
            if plan is None:
                continue
            if plan.pk not in snapshots:
                snapshots[plan.pk] = CyclePlan.objects.create(
                    cycle=cycle,
                    plan=plan,
                    plan_number=plan.number,
                    plan_content=plan_table(plan),
                    framework=plan.framework,
                    framework_number=plan.framework.number,
                    framework_content=framework_table(plan.framework),
                )
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
        before = cycle.state
        cycle.state = State.OPEN
        cycle.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=user,
            action="cycle.open",
            obj=cycle,
            before={"state": before},
            after={"state": cycle.state, "members": len(members), "plans": sorted(snapshots)},
        )
    return cycle


def cycle_close_scoring(*, user: Any, cycle: Cycle, progress: Progress | None = None) -> Cycle:
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
    cycle_state_check(Cycle.objects.get(pk=cycle.pk), (State.OPEN, State.SCORING_CLOSED))
    seen = inputs_fingerprint(cycle)
    computed = results_compute(cycle, progress)
    with transaction.atomic():
        cycle = cycle_locked(cycle.pk, (State.OPEN, State.SCORING_CLOSED))
        if inputs_fingerprint(cycle) != seen:
            computed = results_compute(cycle, progress)
        count = results_store(cycle, computed, progress)
        before = cycle.state
        cycle.state = State.SCORING_CLOSED
        cycle.engine_version = ENGINE_VERSION
        cycle.computed_at = timezone.now()
        cycle.save(update_fields=["state", "engine_version", "computed_at", "updated_at"])
        audit_record(
            actor=user,
            action="cycle.close_scoring",
            obj=cycle,
            before={"state": before},
            after={"state": cycle.state, "results": count, "engine_version": ENGINE_VERSION},
        )
    return cycle


def cycle_transition(*, user: Any, cycle: Cycle, action: str, reason: str = "") -> Cycle:
    """Apply one row of ``workflow.TRANSITIONS`` (open and close_scoring have their own services)."""
    if action == "open":
        return cycle_open(user=user, cycle=cycle)
    if action == "close_scoring":
        return cycle_close_scoring(user=user, cycle=cycle)
    step = workflow.BY_ACTION.get(action)
    if step is None:
        raise JixiaoError(zh="未知的操作。", en=f"Unknown action {action!r}.")
    require(user, step.permission)
    with transaction.atomic():
        cycle = cycle_locked(cycle.pk, (step.source,))
        transition_check(cycle, action)
        cycle.state = step.target
        cycle.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=user,
            action=f"cycle.{action}",
            obj=cycle,
            before={"state": step.source},
            after={"state": step.target},
            reason=reason,
        )
    return cycle


def cycle_submit_summaries(*, user: Any, cycle: Cycle) -> Cycle:
    return cycle_transition(user=user, cycle=cycle, action="submit_summaries")


def cycle_hr_check(*, user: Any, cycle: Cycle, reason: str = "") -> Cycle:
    return cycle_transition(user=user, cycle=cycle, action="hr_check", reason=reason)


def cycle_verify(*, user: Any, cycle: Cycle) -> Cycle:
    return cycle_transition(user=user, cycle=cycle, action="verify")


def cycle_publish(*, user: Any, cycle: Cycle) -> Cycle:
    return cycle_transition(user=user, cycle=cycle, action="publish")


def cycle_lock(*, user: Any, cycle: Cycle) -> Cycle:
    return cycle_transition(user=user, cycle=cycle, action="lock")
