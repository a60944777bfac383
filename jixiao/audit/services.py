"""Append to the audit log. Every service that changes an audited record calls :func:`audit_record`
inside its own transaction, so the change and its audit event commit or roll back together."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditEvent, AuditHead


def canonical_json(data: Mapping[str, Any]) -> str:
    """Return the one text form of ``data`` the hash is computed over (sorted keys, no spaces)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_value)


def chain_hash(prev_hash: str, body: str) -> str:
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Return the audited fields of ``instance`` as JSON-ready values (foreign keys by id)."""
    names = (
        list(fields)
        if fields is not None
        else [f.name for f in instance._meta.concrete_fields if f.name not in {"created_at", "updated_at"}]
    )
    data: dict[str, Any] = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)  # type: ignore[union-attr]
        data[name] = _json_value(value)
    return data


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain and return it.

    ``actor`` is a User, or None for the system (commands, the demo loader). Appends are
    serialised by locking the head row, so the chain stays linear under concurrent writers.
    """
    return audit_record_many(
        actor=actor,
        events=[
            {
                "action": action,
                "obj": obj,
                "object_type": object_type,
                "object_id": object_id,
                "before": before,
                "after": after,
                "reason": reason,
            }
        ],
    )[0]


def audit_read(
    *,
    actor: Any,
    shown: Mapping[str, list[Any]],
    action: str = "pay.read",
    obj: models.Model | None = None,
    object_type: str = "",
) -> AuditEvent | None:
    """Record that ``actor`` read other people's confidential data: ONE event per page view (not
    per row), naming what the page showed (e.g. ``{"employees": [ids]}``). Nothing is recorded
    when the page showed nobody else's (the caller leaves the reader's own rows out)."""
    if not any(shown.values()):
        return None
    after = {key: sorted(set(values)) for key, values in shown.items()}
    return audit_record(actor=actor, action=action, obj=obj, object_type=object_type, after=after)


def audit_record_many(*, actor: Any, events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append several events by one actor in one locked step (bulk services use this)."""
    actor_id = getattr(actor, "pk", None)
    actor_name = getattr(actor, "username", "") or ("system" if actor is None else str(actor))
    now = timezone.now()
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        rows: list[AuditEvent] = []
        seq, prev = head.last_seq, head.last_hash
        for event in events:
            obj = event.get("obj")
            object_type = event.get("object_type") or (obj._meta.label_lower if obj is not None else "")
            object_id = str(event.get("object_id") or (obj.pk if obj is not None else ""))
            seq += 1
            body = canonical_json(
                {
                    "seq": seq,
                    "at": now.isoformat(),
                    "actor_id": actor_id,
                    "actor": actor_name,
                    "action": event["action"],
                    "object_type": object_type,
                    "object_id": object_id,
                    "object": str(obj) if obj is not None else "",
                    "before": event.get("before"),
                    "after": event.get("after"),
                    "reason": event.get("reason", ""),
                }
            )
            digest = chain_hash(prev, body)
            rows.append(
                AuditEvent(
                    id=seq,  # the key is the sequence number, so an edited id is found too
                    seq=seq,
                    created_at=now,
                    actor_id=actor_id,
                    actor_name=actor_name,
                    action=event["action"],
                    object_type=object_type,
                    object_id=object_id,
                    body=body,
                    prev_hash=prev,
                    hash=digest,
                )
            )
            prev = digest
        AuditEvent.objects.bulk_create(rows)
        AuditHead.objects.filter(pk=head.pk).update(last_seq=seq, last_hash=prev)
    return rows


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return only the keys whose values differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    if isinstance(value, models.Model):
        return value.pk
    return value
