"""Who sees and writes a plan (SPEC §10, issue 13 must-hold): the employee, their head (the head
of their department or one above it, and their manager), HR and the committee; nobody else.
Object rules and scope rules agree with plans present."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.access.policy import can, scope
from jixiao.demo.personas import PERSONA_NAMES
from jixiao.org.models import Department, Employee
from jixiao.people.improvement.models import ImprovementPlan
from jixiao.people.improvement.selectors import plans_page
from jixiao.people.improvement.services import improvement_plan_start

from .world import drafted

pytestmark = pytest.mark.django_db
SEEING = {"employee", "head", "hr", "hrsup", "leader", "deputy", "member"}


def _plans(personas: Any) -> list[ImprovementPlan]:
    """Plans for the employee (their head's), the plant worker (no login) and the head (by HR)."""
    hr = personas["hr"]
    return [
        drafted(personas),
        improvement_plan_start(user=personas["other_head"], employee_id=personas.employees["worker"].pk,
                               result_ids=[], reason="成长"),
        improvement_plan_start(user=hr, employee_id=personas.employees["head"].pk, result_ids=[], reason="成长"),
    ]  # fmt: skip


def test_scope_and_can_agree_with_plans_present(personas: Any) -> None:
    _plans(personas)
    actions = {
        "improvement.view": ImprovementPlan.objects.all(),
        "improvement.write": ImprovementPlan.objects.all(),
        "improvement_candidate.start": Employee.objects.all(),
    }
    for name in PERSONA_NAMES:
        for action, qs in actions.items():
            visible = set(scope(personas[name], action, qs).values_list("pk", flat=True))
            for obj in qs:
                assert (obj.pk in visible) == can(personas[name], action, obj), (name, action, obj)


def test_the_employees_plan_is_seen_by_them_their_head_hr_and_the_committee(personas: Any) -> None:
    plan = drafted(personas)
    seen = {name for name in PERSONA_NAMES if can(personas[name], "improvement.view", plan)}
    assert seen == SEEING
    writers = {name for name in PERSONA_NAMES if can(personas[name], "improvement.write", plan)}
    assert writers == {"head", "hr", "hrsup"}
    assert {name for name in PERSONA_NAMES if can(personas[name], "improvement.acknowledge", plan)} == {
        "employee"
    }


def test_a_head_above_sees_and_a_head_never_writes_their_own(personas: Any) -> None:
    employee_plan, _worker, head_plan = _plans(personas)
    # The head of a parent department sees the sales employee's plan.
    top = Department.objects.create(code="P-TOP", name="总部", head=personas.employees["other_head"])
    Department.objects.filter(pk=personas.department.pk).update(parent=top)
    other_head = type(personas["other_head"]).objects.get(pk=personas["other_head"].pk)  # a fresh actor
    assert can(other_head, "improvement.view", employee_plan)
    # The head reads their own plan but may not write it; HR writes it.
    assert can(personas["head"], "improvement.view", head_plan)
    assert not can(personas["head"], "improvement.write", head_plan)
    assert can(personas["hr"], "improvement.write", head_plan)


def test_each_list_shows_whom_it_should(personas: Any) -> None:
    plans = _plans(personas)
    by_name = {name: {r.plan.pk for r in plans_page(user=personas[name]).rows} for name in PERSONA_NAMES[1:]}
    everyone = {p.pk for p in plans}
    assert by_name["hr"] == by_name["leader"] == by_name["member"] == everyone
    assert by_name["head"] == {plans[0].pk, plans[2].pk}  # their employee's and their own
    assert by_name["other_head"] == {plans[1].pk}
    assert by_name["employee"] == {plans[0].pk}
    for name in ("colleague", "finance", "auditor", "admin"):
        assert by_name[name] == set(), name
