"""A record's history as people read it: its audit events, oldest first, each with who acted (as
the directory names them), what they did (the action's label) and the reason they gave.

Case and people pages show this under 办理记录; it lives here because naming people needs the
directory, and every page above ``org`` may call it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from jixiao.audit.models import AuditEvent
from jixiao.common.labels import action_label
from jixiao.engine.text import Text

from .models import Employee

LIMIT = 200  # a record's history is short; a page never lists more than this


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    who: str
    what: Text
    reason: str


def record_history(*records: tuple[str, Iterable[Any]], limit: int = LIMIT) -> list[HistoryEntry]:
    """The audit events of the records named as ``(object type, ids)`` pairs (``"appeals.appeal",
    [12]``), oldest first: one query for the events and one for the names."""
    where = Q(pk__in=[])
    for object_type, ids in records:
        keys = [str(pk) for pk in ids]
        if keys:
            where |= Q(object_type=object_type, object_id__in=keys)
    events = list(AuditEvent.objects.filter(where).order_by("-seq")[:limit])
    names = names_of_users({e.actor_id for e in events})
    return [
        HistoryEntry(event.created_at, _who(event, names), action_label(event.action), _reason(event))
        for event in reversed(events)
    ]


def names_of_users(user_ids: Iterable[int | None]) -> dict[int, str]:
    """The directory's name of each login that belongs to an employee (one query)."""
    ids = {int(u) for u in user_ids if u}
    return dict(Employee.objects.filter(user_id__in=ids).values_list("user_id", "name"))


def _who(event: AuditEvent, names: dict[int, str]) -> str:
    return names.get(event.actor_id, event.actor_name) if event.actor_id else event.actor_name


def _reason(event: AuditEvent) -> str:
    try:
        return str(json.loads(event.body).get("reason", "") or "")
    except (ValueError, AttributeError):
        return ""
