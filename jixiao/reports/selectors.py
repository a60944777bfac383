"""Read what the home page (工作台) shows."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.access.actor import ActingUser, actor_for
from jixiao.org.models import Employee


@dataclass
class HomePage:
    me: Employee | None  # the reader's own employee record, with department and position


def home_page(*, user: ActingUser) -> HomePage:
    actor = actor_for(user)
    if actor.employee_id is None:
        return HomePage(me=None)
    me = Employee.objects.select_related("department", "position").filter(pk=actor.employee_id).first()
    return HomePage(me=me)
