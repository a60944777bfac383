"""Read what the home page (工作台) shows: what waits on the reader now, their own latest result
and pay, and the deadlines of the week (see ``reports.home``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from jixiao.access.actor import ActingUser, actor_for
from jixiao.cycles.lifecycle.models import State
from jixiao.org.models import Employee

from .home.mine import Deadline, Latest, deadlines_this_week, latest
from .home.todos import Todo, inbox_items, my_todos, visible_cycles


@dataclass
class HomePage:
    me: Employee | None  # the reader's own employee record, with department and position
    todos: list[Todo]
    latest: Latest
    deadlines: list[Deadline]
    today: dt.date


def home_page(*, user: ActingUser, today: dt.date | None = None) -> HomePage:
    today = today or timezone.localdate()
    actor = actor_for(user)
    me = None
    if actor.employee_id is not None:
        me = Employee.objects.select_related("department", "position").filter(pk=actor.employee_id).first()
    cycles = visible_cycles(user, [s for s, _ in State.choices if s != State.LOCKED])
    inbox = inbox_items(user)
    return HomePage(
        me=me,
        todos=my_todos(user, cycles, inbox),
        latest=latest(user),
        deadlines=deadlines_this_week(cycles, inbox, today),
        today=today,
    )
