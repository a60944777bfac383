"""Position changes (任职记录): recording, refusals that write nothing, and the position in force on a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.org.models import Employee, Position, PositionChange
from jixiao.org.selectors import position_history, positions_on
from jixiao.org.services import position_change_record, position_changes_apply_due

D = dt.date


def _pos(code: str) -> int:
    return Position.objects.get(code=code).pk


def _record(p: Any, who: str = "hr", **kw: Any) -> PositionChange:
    args: dict[str, Any] = {
        "employee": p.employees["employee"],
        "position": Position.objects.get(code="P-LEAD"),
        "effective": D(2026, 3, 1),
        "reason": "晋升",
    }
    args.update(kw)
    return position_change_record(user=p[who], **args)


def test_positions_on_before_between_and_after_changes(personas: Any) -> None:
    p = personas
    employee = p.employees["employee"]
    clerk, lead = employee.position_id, Position.objects.get(code="P-LEAD").pk
    assert positions_on([employee.pk], D(2026, 1, 1)) == {employee.pk: clerk}
    change = _record(p)
    assert change.from_position_id == clerk and change.to_position_id == lead
    assert positions_on([employee.pk], D(2026, 2, 28)) == {employee.pk: clerk}
    assert positions_on([employee.pk], D(2026, 3, 1)) == {employee.pk: lead}
    _record(p, position=Position.objects.get(pk=clerk), effective=D(2026, 6, 1), reason="调回")
    assert positions_on([employee.pk], D(2026, 5, 31)) == {employee.pk: lead}
    assert positions_on([employee.pk], D(2026, 6, 1)) == {employee.pk: clerk}
    assert [c.reason for c in position_history(user=p["colleague"], employee=employee)] == ["晋升", "调回"]


def test_recording_moves_the_employee_when_in_force_and_is_audited(personas: Any) -> None:
    p = personas
    _record(p, effective=timezone.localdate())
    employee = Employee.objects.get(pk=p.employees["employee"].pk)
    assert employee.position_id == _pos("P-LEAD")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"position_change.record", "employee.position"} <= actions


def test_future_change_waits_for_its_day(personas: Any) -> None:
    p = personas
    future = timezone.localdate() + dt.timedelta(days=10)
    _record(p, effective=future)
    assert Employee.objects.get(pk=p.employees["employee"].pk).position_id == _pos("P-CLERK")
    assert position_changes_apply_due(user=p["hr"], today=future - dt.timedelta(days=1)) == 0
    assert position_changes_apply_due(user=p["hr"], today=future) == 1
    assert position_changes_apply_due(user=p["hr"], today=future) == 0
    assert Employee.objects.get(pk=p.employees["employee"].pk).position_id == _pos("P-LEAD")


@pytest.mark.parametrize(
    ("who", "kw"),
    [
        ("employee", {}),
        ("head", {}),
        ("hr", {"reason": "  "}),
        ("hr", {"reason": "x" * 20_000}),
        ("hr", {"effective": D(1990, 1, 1)}),
        ("hr", {"source": "s" * 100}),
    ],
)
def test_refusals_write_nothing(personas: Any, who: str, kw: dict[str, Any]) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises((JixiaoError, PermissionRefused)):
        _record(personas, who, **kw)
    assert PositionChange.objects.count() == 0 and AuditEvent.objects.count() == events


def test_same_position_and_backdating_refused(personas: Any) -> None:
    p = personas
    with pytest.raises(JixiaoError):
        _record(p, position=Position.objects.get(code="P-CLERK"))
    _record(p, effective=D(2026, 3, 1))
    with pytest.raises(JixiaoError):
        _record(p, position=Position.objects.get(code="P-CLERK"), effective=D(2026, 2, 1))
    assert PositionChange.objects.count() == 1


def test_editing_the_employee_position_is_recorded_from_today(personas: Any) -> None:
    from jixiao.org.services import employee_save

    p = personas
    employee = Employee.objects.get(pk=p.employees["employee"].pk)
    employee_save(user=p["hr"], data={"name": "改名"}, employee=employee, version=employee.version)
    assert PositionChange.objects.count() == 0  # no change of post, no record
    employee.refresh_from_db()
    employee_save(
        user=p["hr"],
        data={"position": Position.objects.get(code="P-LEAD")},
        employee=employee,
        version=employee.version,
    )
    change = PositionChange.objects.get()
    assert (change.from_position_id, change.to_position_id) == (_pos("P-CLERK"), _pos("P-LEAD"))
    assert change.effective == timezone.localdate() and change.source == "employee.update"
    assert positions_on([employee.pk], timezone.localdate()) == {employee.pk: _pos("P-LEAD")}
