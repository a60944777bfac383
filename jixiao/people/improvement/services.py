"""Improvement plans (绩效改进计划): every write (issue 13).

Starting a plan creates it (one audit event ``improvement.start``); each state change is a row of
``workflow.IMPROVEMENT`` applied by ``transition_apply`` (one event ``improvement.<action>``);
edits of its goals, support and review dates, check-ins, comments and acknowledgements are one
audited event each. A change of the plan's content adds one to its ``revision`` (the version the
employee acknowledges). Notifications name the plan, never a score, grade or pay.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser, stored_user
from jixiao.access.policy import can, require, scope
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, NotFound
from jixiao.common.validators import parse_text
from jixiao.cycles.results.models import Result
from jixiao.engine.text import Text
from jixiao.notifications.services import notify
from jixiao.org.models import Department, Employee

from .models import ImprovementPlan

REASON_LENGTH = 2000
SOURCE_LENGTH = 64
LONGEST_CHAIN = 50


def _text(value: object, zh: str, en: str, *, required: bool = True, length: int = REASON_LENGTH) -> str:
    return parse_text(value, field=Text(zh, en), max_length=length, required=required)


def head_employee_ids(employee: Employee) -> set[int]:
    """Who helps ``employee`` with a plan: their manager and the nearest head of their department
    or a department above it (never the employee themself)."""
    ids: set[int] = set()
    if employee.manager_id is not None and employee.manager_id != employee.pk:
        ids.add(employee.manager_id)
    rows = {
        pk: (parent, head)
        for pk, parent, head in Department.objects.values_list("pk", "parent_id", "head_id")
    }
    current: int | None = employee.department_id
    for _step in range(LONGEST_CHAIN):
        if current is None:
            break
        parent, head = rows.get(current, (None, None))
        if head is not None and head != employee.pk:
            ids.add(head)
            break
        current = parent
    return ids


def head_user_ids(employee: Employee) -> list[int]:
    """The login ids of ``employee``'s heads (see :func:`head_employee_ids`)."""
    ids = head_employee_ids(employee)
    return sorted(u for u in Employee.objects.filter(pk__in=ids).values_list("user_id", flat=True) if u)


def _title(plan: ImprovementPlan) -> Text:
    name = plan.employee.name
    return Text(f"{name}的绩效改进计划 {plan.reference}", f"{name}'s improvement plan {plan.reference}")


def _tell(plan: ImprovementPlan, who: Iterable[Any], kind: str, zh: str, en: str, user: ActingUser) -> None:
    title = _title(plan)
    notify(recipients=who, kind=kind, text=Text(f"{title.zh}{zh}", f"{title.en}{en}"), link=plan.link,
           exclude=[user])  # fmt: skip


# -- starting a plan ------------------------------------------------------------------------


def _results_checked(user: ActingUser, employee: Employee, result_ids: Sequence[int]) -> list[Result]:
    """The results that started the plan: the employee's own, each one the user may read."""
    wanted = {int(pk) for pk in result_ids}
    if not wanted:
        return []
    found = scope(user, "result.view", Result.objects.filter(pk__in=wanted, member__employee_id=employee.pk))
    results = list(found.select_related("cycle"))
    if len(results) != len(wanted):
        raise JixiaoError(
            zh="所选的考核结果不是该员工的，或您无权查看。",
            en="A chosen result is not this employee's, or you may not read it.",
            code="result",
            status=400,
        )
    return results


def improvement_plan_start(
    *, user: ActingUser, employee_id: int, result_ids: Sequence[int], reason: str, source: str = ""
) -> ImprovementPlan:
    """A new plan in its first state (``draft``) for the employee; their head fills it in with
    them. ``source`` names what started it ("proposal:12" from a rule, "" by hand): a second call
    with the same non-empty source returns the existing plan. Tells the head and the employee."""
    employee = Employee.objects.filter(pk=employee_id).first()
    if employee is None:
        raise NotFound()
    require(user, "improvement_candidate.start", employee)
    reason = _text(reason, "为什么制定这份计划", "Why this plan")
    source = _text(source, "来源", "Source", required=False, length=SOURCE_LENGTH)
    if source and (existing := ImprovementPlan.objects.filter(source=source).first()) is not None:
        return existing
    results = _results_checked(user, employee, result_ids)
    try:
        with transaction.atomic():
            plan = _plan_create(user, employee, results, reason, source)
    except IntegrityError:  # the same source started concurrently: the other call's plan stands
        existing = ImprovementPlan.objects.filter(source=source).first() if source else None
        if existing is None:
            raise
        return existing
    return plan


def _plan_create(
    user: ActingUser, employee: Employee, results: list[Result], reason: str, source: str
) -> ImprovementPlan:
    plan = ImprovementPlan(
        employee=employee, started_by=stored_user(user), reason=reason, source=source,
        started_on=timezone.localdate(),
    )  # fmt: skip
    plan.save()
    plan.results.set(results)
    audit_record(
        actor=user, action="improvement.start", obj=plan,
        after={"employee": employee.pk, "reason": reason, "source": source, "state": plan.state,
               "started_on": str(plan.started_on), "results": sorted(r.pk for r in results)},
    )  # fmt: skip
    heads = head_user_ids(employee)
    _tell(plan, heads, "improvement.started", "已建立，请与员工一起制定目标和支持措施。",
          " was started: please write its goals and support together with the employee.", user)  # fmt: skip
    _tell(plan, [employee.user_id], "improvement.started", "已建立：您的上级会和您一起制定成长目标和支持措施。",
          " was started: your head will write growth goals and the support offered together with you.", user)  # fmt: skip
    return plan


def plan_visible(user: ActingUser, plan: ImprovementPlan) -> bool:
    return can(user, "improvement.view", plan)
