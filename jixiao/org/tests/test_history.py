"""A record's history: its audit events oldest first, people as the directory names them, the
reason each step gave, and only the records asked for."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.access.actor import SYSTEM
from jixiao.audit.services import audit_record
from jixiao.org.history import record_history

pytestmark = pytest.mark.django_db


def test_history_names_people_keeps_reasons_and_order(personas: Any) -> None:
    department, other = personas.department, personas.other_department
    audit_record(actor=personas["hr"], action="department.update", obj=department, reason="更名")
    audit_record(actor=SYSTEM, action="department.update", obj=department)
    audit_record(actor=personas["hr"], action="department.update", obj=other, reason="别的部门")
    entries = record_history(("org.department", [department.pk]))
    assert [e.reason for e in entries] == ["更名", ""]
    assert entries[0].who == personas.employees["hr"].name  # not the login "p_hr"
    assert entries[1].who == "system" and entries[0].at <= entries[1].at
    assert entries[0].what.zh.startswith("部门")
    both = record_history(("org.department", [department.pk, other.pk]), ("org.position", []))
    assert len(both) == 3 and both[-1].reason == "别的部门"
