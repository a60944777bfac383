"""More appraised people in a cycle, for query-count tests (test scaffolding: rows are copied
from a persona's member and result, not computed)."""

from __future__ import annotations

import itertools

from jixiao.cycles.lifecycle.models import Cycle, CycleMember
from jixiao.org.models import Employee

_numbers = itertools.count(1)


def add_people(cycle: Cycle, n: int) -> list[Employee]:
    """Add ``n`` employees to ``cycle``'s first department, each with a copy of a result; return them
    (their numbers run on across the test process, so a test names them from what this returns)."""
    model = CycleMember.objects.filter(cycle=cycle, result__isnull=False).select_related("result").first()
    assert model is not None, "the cycle has no computed result to copy"
    added: list[Employee] = []
    for _ in range(n):
        number = next(_numbers)
        employee = Employee.objects.create(
            number=f"QX{number:04d}",
            name=f"加人{number}",
            department_id=model.department_id,
            position_id=model.position_id,
        )
        added.append(employee)
        member = CycleMember.objects.create(
            cycle=cycle,
            employee=employee,
            snapshot_id=model.snapshot_id,
            department_id=model.department_id,
            position_id=model.position_id,
            manager_id=model.manager_id,
        )
        result = model.result
        result.pk, result.id, result.member = None, None, member
        result.save()
    return added
