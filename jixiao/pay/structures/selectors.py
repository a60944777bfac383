"""Pay structure and net profit reads (§4), always through ``access``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jixiao.access.policy import require
from jixiao.common.errors import NotFound
from jixiao.org.models import Position

from .models import NetProfit, PayStructure


def structure_list(*, user: Any) -> list[tuple[Position, list[PayStructure]]]:
    """Every position with its pay structures, newest first (two queries)."""
    require(user, "pay_structure.view")
    by_position: dict[int, list[PayStructure]] = {}
    for row in PayStructure.objects.order_by("position_id", "-effective_from"):
        by_position.setdefault(row.position_id, []).append(row)
    positions = Position.objects.select_related("department").order_by("department__sort_order", "code")
    return [(p, by_position.get(p.pk, [])) for p in positions]


def position_get(*, user: Any, pk: int) -> Position:
    require(user, "pay_structure.manage")
    position = Position.objects.select_related("department").filter(pk=pk).first()
    if position is None:
        raise NotFound()
    return position


def structure_history(position: Position) -> QuerySet[PayStructure]:
    return PayStructure.objects.filter(position=position).order_by("-effective_from")


def profit_list(*, user: Any) -> QuerySet[NetProfit]:
    require(user, "profit.view")
    return NetProfit.objects.select_related("entered_by", "approved_by", "supersedes")


def profit_get(*, user: Any, pk: int) -> NetProfit:
    profit = profit_list(user=user).filter(pk=pk).first()
    if profit is None:
        raise NotFound()
    return profit
