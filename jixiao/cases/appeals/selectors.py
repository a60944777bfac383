"""Reads of appeals (申诉), each through ``jixiao.access.policy``.

``inbox_items`` and ``overdue_items`` are what the case inbox and the escalation command use;
they are filled in once the appeal models exist."""

from __future__ import annotations

from typing import Any

from jixiao.cases.inbox import InboxItem


def inbox_items(*, user: Any) -> list[InboxItem]:
    """The appeal steps that wait on ``user`` (as HR, rechecker, rater, deputy, leader or appellant)."""
    return []


def overdue_items() -> list[InboxItem]:
    """Every overdue appeal step, system-wide (for the escalation command)."""
    return []
