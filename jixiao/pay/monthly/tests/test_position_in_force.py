"""The month's pay follows the position in force on the month's last day (任职记录): a promotion
effective mid-February leaves January on the old structure and pays February and March on the new."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jixiao.cycles.lifecycle.models import Cycle
from jixiao.org.models import Position
from jixiao.org.services import position_change_record
from jixiao.pay.monthly.inputs import month_inputs

from .world import ready_month


def _base_salary(p: Any, month: str, who: str = "employee") -> tuple[int, str]:
    _departments, people, _notes = month_inputs(month, Cycle.objects.get(label=month))
    person = next(x for x in people if x.employee_id == p.employees[who].pk)
    return person.structure.base_salary, person.structure.position


@pytest.mark.django_db
def test_pay_structure_follows_the_position_from_its_effective_date(personas: Any) -> None:
    p = personas
    for month in ("2027-01", "2027-02", "2027-03"):
        ready_month(p, month)  # the cycles snapshot the clerk's post when they open
    position_change_record(
        user=p["leader"],
        employee=p.employees["employee"],
        position=Position.objects.get(code="P-LEAD"),
        effective=dt.date(2027, 2, 15),
        reason="晋升为销售经理",
        source="nomination:1",
    )
    assert _base_salary(p, "2027-01") == (400_000, "P-CLERK")  # the month before: the old structure
    assert _base_salary(p, "2027-02") == (600_000, "P-LEAD")  # the month it takes effect: the new one
    assert _base_salary(p, "2027-03") == (600_000, "P-LEAD")
    assert _base_salary(p, "2027-02", "colleague") == (400_000, "P-CLERK")  # nobody else moves
