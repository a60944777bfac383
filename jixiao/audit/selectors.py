"""Read the audit log: listing for auditors and the chain check behind ``jixiao audit verify``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import GENESIS_HASH, AuditEvent, AuditHead
from .services import chain_hash


@dataclass(frozen=True)
class ChainReport:
    """The outcome of walking the chain: ``broken_seq`` is the first bad sequence number, or None."""

    checked: int
    broken_seq: int | None
    reason: str
    last_hash: str

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def audit_events_recent() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.order_by("-seq")


def audit_chain_verify(*, anchor: tuple[int, str] | None = None, chunk: int = 5000) -> ChainReport:
    """Walk every event in sequence order and recompute each hash.

    Detects an altered row (hash or column mismatch), a deleted or reordered row (gap in the
    sequence or wrong ``prev_hash``), rows cut off the end (head disagrees) and, with ``anchor``
    (seq, hash) recorded earlier outside the database, a rewritten chain.
    """
    expected_seq, prev, checked = 1, GENESIS_HASH, 0
    for event in _events(chunk):
        problem = _check(event, expected_seq, prev)
        if problem:
            return ChainReport(checked, expected_seq if "missing" in problem else event.seq, problem, prev)
        if anchor and event.seq == anchor[0] and event.hash != anchor[1]:
            return ChainReport(checked, event.seq, "hash differs from the anchor recorded earlier", prev)
        prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.last_seq != checked or head.last_hash != prev):
        return ChainReport(checked, checked + 1, "events missing after the last one (head disagrees)", prev)
    if anchor and anchor[0] > checked:
        return ChainReport(checked, anchor[0], "anchored event is missing", prev)
    return ChainReport(checked, None, "", prev)


def _events(chunk: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:chunk])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq


def _check(event: AuditEvent, expected_seq: int, prev: str) -> str:
    if event.seq != expected_seq:
        return f"event {expected_seq} missing (next found is {event.seq})"
    if event.prev_hash != prev:
        return "prev_hash does not match the previous event"
    if chain_hash(prev, event.body) != event.hash:
        return "content does not match its hash"
    body = json.loads(event.body)
    columns = {
        "seq": event.seq,
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
    }
    for key, value in columns.items():
        if body.get(key) != value:
            return f"column {key} does not match the hashed content"
    return ""
