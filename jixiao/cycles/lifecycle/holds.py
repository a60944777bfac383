"""Holds (§3, §6): something still open that keeps a cycle from locking, such as an appeal.

A case places a hold on the cycle it concerns when it opens (``source="appeal:12"``) and
releases it when it is settled; the cycle's ``lock`` row lists :func:`no_holds`, which refuses
while any hold remains and names each one. Placing is idempotent per (cycle, source), so a
case may place its hold again on every step without piling up rows. The case's own transitions
are audited; a hold is their consequence and is not audited on its own.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text

from .models import Cycle, CycleHold

SHOWN = 10  # holds named in a refusal


def hold_place(*, cycle: Cycle, source: str, reason: Text) -> None:
    """Keep ``cycle`` from locking until ``source`` releases it; placing it again changes only
    the reason (the sentence the lock refusal shows)."""
    source = source.strip()[:64]
    if not source:
        raise ValueError("a hold needs its source")
    with transaction.atomic():
        CycleHold.objects.update_or_create(
            cycle=cycle,
            source=source,
            defaults={"reason_zh": reason.zh[:200], "reason_en": (reason.en or reason.zh)[:300]},
        )


def hold_release(*, cycle: Cycle, source: str) -> None:
    """Lift the hold ``source`` placed on ``cycle`` (nothing happens when there is none)."""
    CycleHold.objects.filter(cycle=cycle, source=source.strip()[:64]).delete()


def holds_of(cycle: Cycle) -> list[CycleHold]:
    return list(CycleHold.objects.filter(cycle=cycle).order_by("placed_at", "pk"))


def no_holds(cycle: Cycle, user: Any) -> None:
    """Guard on ``lock``: refuse (409) while anything holds the cycle open, naming each hold."""
    holds = holds_of(cycle)
    if not holds:
        return
    shown = holds[:SHOWN]
    more = len(holds) - len(shown)
    zh = "；".join(h.reason_zh for h in shown) + (f" 等 {len(holds)} 项" if more else "")
    en = "; ".join(h.reason_en for h in shown) + (f" and {more} more" if more else "")
    raise JixiaoError(
        zh=f"周期 {cycle.label} 还不能锁定：{zh}。",
        en=f"Cycle {cycle.label} cannot lock yet: {en}.",
        code="held",
        status=409,
    )
