"""The headcount quota (编制) of a target position on a day: who holds it then, counting changes
of post recorded ahead of their date."""

from __future__ import annotations

import datetime as dt

from jixiao.org.models import Employee, Position, PositionChange
from jixiao.org.selectors import positions_on

from .models import Nomination


def holders_on(position: Position, day: dt.date, *, besides: int | None = None) -> int:
    """How many active people hold ``position`` on ``day`` (counting changes recorded ahead),
    not counting ``besides``."""
    ids = set(
        Employee.objects.filter(position=position)
        .exclude(status=Employee.Status.LEFT)
        .values_list("pk", flat=True)
    )
    ids |= set(PositionChange.objects.filter(to_position=position).values_list("employee_id", flat=True))
    ids.discard(besides or 0)
    active = set(
        Employee.objects.filter(pk__in=ids).exclude(status=Employee.Status.LEFT).values_list("pk", flat=True)
    )
    in_force = positions_on(active, day)
    return sum(1 for pk in active if in_force.get(pk) == position.pk)


def quota_after(nomination: Nomination, effective: dt.date) -> tuple[int, int]:
    """(编制, people holding the target on ``effective`` once the nominee joins)."""
    target = nomination.target
    return target.headcount_quota, holders_on(target, effective, besides=nomination.nominee_id) + 1
