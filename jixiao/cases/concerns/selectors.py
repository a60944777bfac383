"""Reads of this wing (placeholder until the models exist: nothing waits yet)."""

from __future__ import annotations

from typing import Any

from jixiao.cases.inbox import InboxItem


def inbox_items(*, user: Any) -> list[InboxItem]:
    """The steps of these cases that wait on ``user`` (or that they follow)."""
    return []


def overdue_items() -> list[InboxItem]:
    """Every overdue step of these cases, system-wide (for the escalation command)."""
    return []
