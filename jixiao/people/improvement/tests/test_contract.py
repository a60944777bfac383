"""The contract other wings rely on: start (idempotent per source), open plan ids, open plans."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.access.actor import SYSTEM
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError
from jixiao.cycles.results.models import Result
from jixiao.notifications.models import Notification
from jixiao.people.improvement.selectors import my_open_plans, open_plan_employee_ids, open_plans_for
from jixiao.people.improvement.services import improvement_plan_start

pytestmark = pytest.mark.django_db


def _result(personas: Any, label: str = "2026-08", name: str = "employee") -> Result:
    return Result.objects.get(cycle__label=label, member__employee=personas.employees[name])


def test_a_rule_starts_a_plan_once_per_source(personas: Any) -> None:
    employee = personas.employees["employee"]
    result = _result(personas)
    plan = improvement_plan_start(
        user=SYSTEM,
        employee_id=employee.pk,
        result_ids=[result.pk],
        reason="连续两次 D",
        source="proposal:12",
    )
    again = improvement_plan_start(
        user=SYSTEM, employee_id=employee.pk, result_ids=[result.pk], reason="again", source="proposal:12"
    )
    assert again.pk == plan.pk and plan.state == "draft"
    assert list(plan.results.values_list("pk", flat=True)) == [result.pk]
    assert AuditEvent.objects.filter(action="improvement.start").count() == 1
    told = set(Notification.objects.filter(kind="improvement.started").values_list("recipient_id", flat=True))
    assert told == {personas["head"].pk, personas["employee"].pk}
    assert open_plan_employee_ids() == {employee.pk}
    assert [p.pk for p in open_plans_for([employee.pk, personas.employees["colleague"].pk])[employee.pk]] == [
        plan.pk
    ]
    assert open_plans_for([]) == {}
    # The employee's "my results" page can show their open plan; nobody else's.
    assert [p.pk for p in my_open_plans(user=personas["employee"])] == [plan.pk]
    assert my_open_plans(user=personas["colleague"]) == [] and my_open_plans(user=personas["hr"]) == []


def test_by_hand_two_plans_may_exist_and_only_the_head_or_hr_starts_one(personas: Any) -> None:
    employee = personas.employees["employee"]
    first = improvement_plan_start(user=personas["head"], employee_id=employee.pk, result_ids=[], reason="x")
    second = improvement_plan_start(user=personas["hr"], employee_id=employee.pk, result_ids=[], reason="y")
    assert first.pk != second.pk
    for name in ("employee", "colleague", "other_head", "member", "admin", "finance"):
        with pytest.raises(JixiaoError):
            improvement_plan_start(user=personas[name], employee_id=employee.pk, result_ids=[], reason="z")
    # Another person's result is refused.
    with pytest.raises(JixiaoError):
        improvement_plan_start(
            user=personas["hr"], employee_id=employee.pk, result_ids=[_result(personas, name="colleague").pk],
            reason="z",
        )  # fmt: skip


def test_no_plan_for_someone_who_left(personas: Any) -> None:
    from jixiao.org.models import Employee

    Employee.objects.filter(pk=personas.employees["colleague"].pk).update(status=Employee.Status.LEFT)
    with pytest.raises(JixiaoError) as refused:
        improvement_plan_start(
            user=SYSTEM, employee_id=personas.employees["colleague"].pk, result_ids=[], reason="x"
        )
    assert refused.value.code == "left"
