"""Read the audit log: listing for auditors and the chain check behind ``jixiao audit verify``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from jixiao.common.text import Text, say

from .models import GENESIS_HASH, AuditEvent, AuditHead
from .services import chain_hash


@dataclass(frozen=True)
class ChainReport:
    """The outcome of walking the chain: ``broken_seq`` is the first bad sequence number, or None;
    ``problem`` says what is wrong with it in both languages."""

    checked: int
    broken_seq: int | None
    problem: Text
    last_hash: str

    @property
    def ok(self) -> bool:
        return self.broken_seq is None

    @property
    def reason(self) -> str:
        """The problem in the page's language (empty when the chain is intact)."""
        return say(self.problem)


def audit_events_recent() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.order_by("-seq")


def audit_chain_verify(*, anchor: tuple[int, str] | None = None, chunk: int = 5000) -> ChainReport:
    """Walk every event in sequence order and recompute each hash.

    Detects an altered row (its hash, or any stored column disagreeing with the hashed body), a
    deleted or reordered row (gap in the sequence or wrong ``prev_hash``), rows cut off the end
    (head disagrees) and, with ``anchor`` (seq, hash) recorded earlier outside the database, a
    rewritten chain.
    """
    expected_seq, prev, checked = 1, GENESIS_HASH, 0
    for event in _events(chunk):
        if event.seq != expected_seq:
            return ChainReport(checked, expected_seq, _missing(expected_seq, event.seq), prev)
        problem = _check(event, prev)
        if problem is not None:
            return ChainReport(checked, event.seq, problem, prev)
        if anchor and event.seq == anchor[0] and event.hash != anchor[1]:
            return ChainReport(checked, event.seq, ANCHOR_DIFFERS, prev)
        prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.last_seq != checked or head.last_hash != prev):
        return ChainReport(checked, checked + 1, HEAD_DISAGREES, prev)
    if anchor and anchor[0] > checked:
        return ChainReport(checked, anchor[0], ANCHOR_MISSING, prev)
    return ChainReport(checked, None, Text(""), prev)


def _events(chunk: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:chunk])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq


def _missing(expected: int, found: int) -> Text:
    return Text(
        f"缺少第 {expected} 条事件（下一条是第 {found} 条）：事件被删除或重新排序。",
        f"event {expected} is missing (the next one found is {found}): an event was deleted or reordered.",
    )


def _check(event: AuditEvent, prev: str) -> Text | None:
    """Return what is wrong with ``event`` (whose seq is already the expected one), or None.

    The hash covers the body; every other stored column must equal what the body says, so an
    edit of any column (the time and the actor name the audit page shows included) is found.
    """
    if event.prev_hash != prev:
        return _column_differs("prev_hash", "前一条的哈希")
    if chain_hash(prev, event.body) != event.hash:
        return Text(
            "内容与其哈希不符：事件内容或哈希被改动。",
            "content does not match its hash: the event or its hash was edited.",
        )
    try:
        body = json.loads(event.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return Text("事件内容不是有效的 JSON 对象。", "the event content is not a JSON object.")
    for column, label in COLUMNS.items():
        if not _same(column, body, event):
            return _column_differs(column, label)
    if event.pk != event.seq:
        return _column_differs("id", "编号")
    return None


def _same(column: str, body: dict[str, Any], event: AuditEvent) -> bool:
    stored = getattr(event, column)
    hashed = body.get(BODY_KEYS.get(column, column))
    if column == "created_at":
        try:
            return isinstance(hashed, str) and dt.datetime.fromisoformat(hashed) == stored
        except ValueError:
            return False
    return bool(hashed == stored and type(hashed) is type(stored))


def _column_differs(column: str, label: str) -> Text:
    return Text(
        f"“{label}”（{column}）一栏与哈希过的内容不符：该栏被改动。",
        f"column {column} does not match the hashed content: it was edited.",
    )


# Every stored column but the body and hashes, its key in the body where it differs, and its label.
BODY_KEYS = {"created_at": "at", "actor_name": "actor"}
COLUMNS = {
    "seq": "序号",
    "created_at": "时间",
    "actor_id": "操作人编号",
    "actor_name": "操作人",
    "action": "操作",
    "object_type": "对象类型",
    "object_id": "对象编号",
}
ANCHOR_DIFFERS = Text(
    "哈希与先前记录的锚点不同：日志被整体重写。",
    "hash differs from the anchor recorded earlier: the log was rewritten.",
)
HEAD_DISAGREES = Text(
    "最后一条之后的事件缺失（链头记录不符）。",
    "events missing after the last one (the head disagrees).",
)
ANCHOR_MISSING = Text("锚点所指的事件不存在。", "the anchored event is missing.")
