"""The days each step of a case may take: the defaults below, unless HR set another figure
(``StepDeadline``). A step's due date counts calendar days from the day the step began."""

from __future__ import annotations

import datetime as dt

from .models import StepDeadline

# (kind, step) → days. Steps are the states of each kind's workflow in which someone must act.
DEFAULT_DAYS: dict[tuple[str, str], int] = {
    ("appeal", "awaiting_leave"): 3,
    ("appeal", "filed"): 3,
    ("appeal", "accepted"): 2,
    ("appeal", "rechecking"): 7,
    ("appeal", "recommended"): 3,
    ("complaint", "filed"): 3,
    ("complaint", "investigating"): 15,
    ("allegation", "filed"): 3,
    ("allegation", "investigating"): 15,
    ("suggestion", "received"): 10,
}
MAX_DAYS = 365


def step_days(kind: str, step: str) -> int | None:
    """The days ``step`` of a ``kind`` case may take, or None when the step has no deadline."""
    row = StepDeadline.objects.filter(kind=kind, step=step).values_list("days", flat=True).first()
    return row if row is not None else DEFAULT_DAYS.get((kind, step))


def due_date(kind: str, step: str, began: dt.date) -> dt.date | None:
    """The day by which ``step`` (begun on ``began``) should be done; None without a deadline."""
    days = step_days(kind, step)
    return None if days is None else began + dt.timedelta(days=days)
