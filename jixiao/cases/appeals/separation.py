"""Separation of duties for appeals (issue 12): nobody rechecks or decides a case about
themselves or their own ratings.

``conflicted_employee_ids`` names everyone with a part in the appealed result: the appellant,
their raters in the cycle (Score rows, self-ratings aside), their reporting line (the manager
chain upward, from the cycle's snapshot and from the organisation today, and the heads of their
department and of every department above it) and anyone with a declared conflict with them in
the cycle, either way. The rechecker is chosen outside that set: they re-examine the raters'
work, so nobody who answers for it may do that.

``decider_conflicted_ids`` is narrower: the appellant, their raters and declared conflicts.
The decider weighs the rechecker's recommendation, and the issue bars only deciding "a case about
themselves or their own ratings"; the committee leader is usually the general manager, at the top
of every reporting line, and would otherwise never decide (docs/decisions.md, decision 42).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from jixiao.access.models import Role, RoleGrant
from jixiao.common.errors import JixiaoError
from jixiao.cycles.entry.models import ConflictDeclaration, Score
from jixiao.cycles.results.models import Result
from jixiao.org.models import Department, Employee

COMMITTEE = (Role.COMMITTEE_LEADER, Role.COMMITTEE_DEPUTY, Role.COMMITTEE_MEMBER)
LONGEST_CHAIN = 64  # a manager or department loop in the data stops here


def _manager_chain(starts: set[int | None]) -> set[int]:
    """The managers from ``starts`` upward (one query a level; reporting lines are short)."""
    found: set[int] = set()
    level = {pk for pk in starts if pk is not None}
    for _step in range(LONGEST_CHAIN):
        level -= found
        if not level:
            break
        found |= level
        level = set(
            Employee.objects.filter(pk__in=level, manager__isnull=False).values_list("manager_id", flat=True)
        )
    return found


def _department_heads(starts: set[int | None]) -> set[int]:
    """The heads of ``starts`` and of every department above them."""
    heads: set[int] = set()
    seen: set[int] = set()
    level = {pk for pk in starts if pk is not None}
    for _step in range(LONGEST_CHAIN):
        level -= seen
        if not level:
            break
        seen |= level
        rows = list(Department.objects.filter(pk__in=level).values_list("parent_id", "head_id"))
        heads |= {head for _parent, head in rows if head is not None}
        level = {parent for parent, _head in rows if parent is not None}
    return heads


def conflicted_employee_ids(result: Result) -> set[int]:
    """Everyone with a part in ``result`` (see the module's docstring), by employee id."""
    member = result.member
    employee = member.employee
    ids = decider_conflicted_ids(result)
    ids |= _manager_chain({member.manager_id, employee.manager_id})
    ids |= _department_heads({member.department_id, employee.department_id})
    return ids


def decider_conflicted_ids(result: Result) -> set[int]:
    """Who may not decide ``result``'s appeal: the appellant, their raters, declared conflicts."""
    member = result.member
    ids = {member.employee_id}
    ids |= set(Score.objects.filter(member_id=member.pk).values_list("rater_id", flat=True))
    declared = ConflictDeclaration.objects.filter(cycle_id=member.cycle_id).filter(
        Q(rater_id=member.employee_id) | Q(ratee_id=member.employee_id)
    )
    for rater_id, ratee_id in declared.values_list("rater_id", "ratee_id"):
        ids |= {rater_id, ratee_id}
    return ids


@dataclass(frozen=True)
class Candidate:
    """A committee member who may recheck the case."""

    user_id: int
    name: str
    roles: tuple[str, ...]


def committee_users() -> dict[int, set[str]]:
    """Every user holding a committee role, with those roles."""
    users: dict[int, set[str]] = {}
    for user_id, role in RoleGrant.objects.filter(role__in=COMMITTEE).values_list("user_id", "role"):
        users.setdefault(user_id, set()).add(role)
    return users


def _employees_of(user_ids: set[int]) -> dict[int, Employee]:
    return {e.user_id: e for e in Employee.objects.filter(user_id__in=user_ids) if e.user_id is not None}


def eligible_rechecker_ids(conflicted: set[int], appellant_user_id: int | None) -> dict[int, Candidate]:
    """The committee members who may recheck: no part in the result, not the appellant."""
    users = committee_users()
    employees = _employees_of(set(users))
    eligible: dict[int, Candidate] = {}
    for user_id, roles in sorted(users.items()):
        employee = employees.get(user_id)
        if user_id == appellant_user_id or (employee is not None and employee.pk in conflicted):
            continue
        name = str(employee) if employee is not None else f"#{user_id}"
        eligible[user_id] = Candidate(user_id, name, tuple(sorted(roles)))
    return eligible


def leader_is_barred(conflicted: set[int], rechecker_id: int | None) -> bool:
    """Whether no committee leader may decide: each one has a part in the result or rechecked
    it (or there is no leader). The deputy decides then."""
    leaders = set(RoleGrant.objects.filter(role=Role.COMMITTEE_LEADER).values_list("user_id", flat=True))
    employees = _employees_of(leaders)
    free = [
        u for u in leaders if u != rechecker_id and (u not in employees or employees[u].pk not in conflicted)
    ]
    return not free


def decider_refusal() -> JixiaoError:
    return JixiaoError(
        zh="您是申诉人、其评分人或已声明回避，不能决定此申诉。",
        en="You are the appellant, one of their raters or declared a conflict, so you cannot decide this appeal.",
        code="separation",
        status=403,
    )


def barred_refusal(zh_role: str, en_role: str) -> JixiaoError:
    return JixiaoError(
        zh=f"您与该申诉的结果有关（本人、评分人、汇报线上的上级或已声明回避），不能担任{zh_role}。",
        en=(
            "You have a part in the appealed result (the appellant, a rater, someone in their "
            f"reporting line or a declared conflict), so you cannot be the {en_role}."
        ),
        code="separation",
        status=403,
    )


def rechecker_candidates(appeal: Any) -> dict[int, Candidate]:
    """Who may recheck ``appeal``, from today's data."""
    appellant_user = appeal.appellant.user_id or appeal.filed_by_id
    return eligible_rechecker_ids(conflicted_employee_ids(appeal.result), appellant_user)


def statement_raters(appeal: Any) -> list[Employee]:
    """The appellant's raters in the cycle (self-ratings aside), whom a statement may be asked of."""
    ids = set(
        Score.objects.filter(member_id=appeal.result.member_id)
        .exclude(rater_id=appeal.appellant_id)
        .values_list("rater_id", flat=True)
    )
    return list(Employee.objects.filter(pk__in=ids).order_by("number"))
