"""``jixiao daily`` runs each day's housekeeping step: a promotion approved ahead of its date
moves the person's current post once the date has come."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from jixiao.access.actor import SYSTEM
from jixiao.org.models import Employee, Position, PositionChange
from jixiao.org.services import position_change_record


@pytest.mark.django_db
def test_daily_applies_a_change_of_post_whose_date_has_come(personas: Any) -> None:
    employee = personas.employees["employee"]
    lead = Position.objects.get(code="P-LEAD")
    position_change_record(
        user=SYSTEM, employee=employee, position=lead, effective=timezone.localdate() + dt.timedelta(days=40),
        reason="晋升",
    )  # fmt: skip
    call_command("daily", stdout=StringIO())
    assert Employee.objects.get(pk=employee.pk).position_id != lead.pk  # not yet
    # Forty days pass: the change recorded ahead of its date is now in force.
    PositionChange.objects.filter(employee=employee).update(
        effective=timezone.localdate() - dt.timedelta(days=1)
    )
    out = StringIO()
    call_command("daily", stdout=out)
    assert Employee.objects.get(pk=employee.pk).position_id == lead.pk
    assert "1 people moved" in out.getvalue()
    assert "cases escalate" in out.getvalue() and "improvement remind" in out.getvalue()
