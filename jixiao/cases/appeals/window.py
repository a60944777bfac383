"""The appeal window (申诉期, SPEC §3): while a cycle is published and, when HR set a deadline for
leaving "published" (``Cycle.deadlines["published"]``), up to and including that day. After it,
or once the cycle is locked, an appeal is late and needs the leader's leave."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jixiao.cycles.lifecycle.models import State

OPEN = "open"  # inside the window: the appeal is filed
LATE = "late"  # published after the deadline, or locked: it awaits the leader's leave
NONE = "none"  # the result is not released: nothing to appeal


def window_deadline(cycle: Any) -> dt.date | None:
    """The last day of the appeal window, when HR set one (a malformed entry counts as none)."""
    text = str((cycle.deadlines or {}).get(State.PUBLISHED, "") or "")[:10]
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def window_of(cycle: Any, today: dt.date | None = None) -> str:
    """``OPEN``, ``LATE`` or ``NONE`` for an appeal against a result of ``cycle`` today."""
    today = today or timezone.localdate()
    if cycle.state == State.LOCKED:
        return LATE
    if cycle.state != State.PUBLISHED:
        return NONE
    deadline = window_deadline(cycle)
    return LATE if deadline is not None and today > deadline else OPEN
