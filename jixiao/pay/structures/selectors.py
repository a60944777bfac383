"""Pay structure and net profit reads (§4), always through ``access``; one page selector per
page, buttons from the net profit's table."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from jixiao.access.actor import ActingUser
from jixiao.access.policy import can, require
from jixiao.audit.services import audit_read
from jixiao.common.errors import NotFound
from jixiao.org.models import Position
from jixiao.workflow.table import Transition

from .models import NetProfit, PayStructure
from .workflow import PROFIT, PROFIT_BUTTONS


@dataclass
class StructuresPage:
    rows: list[tuple[Position, list[PayStructure]]]
    can_manage: bool


def structure_list(*, user: ActingUser) -> StructuresPage:
    """Every position with its pay structures, newest first (two queries)."""
    require(user, "pay_structure.view")
    by_position: dict[int, list[PayStructure]] = {}
    for row in PayStructure.objects.order_by("position_id", "-effective_from"):
        by_position.setdefault(row.position_id, []).append(row)
    positions = Position.objects.select_related("department").order_by("department__sort_order", "code")
    rows = [(p, by_position.get(p.pk, [])) for p in positions]
    shown = [p.pk for p, history in rows if history]
    audit_read(actor=user, object_type=PayStructure._meta.label_lower, shown={"positions": shown})
    return StructuresPage(rows, can(user, "pay_structure.manage"))


@dataclass
class StructurePage:
    position: Position
    history: list[PayStructure]


def structure_page(*, user: ActingUser, pk: int) -> StructurePage:
    """A position to set the pay of, with its structures newest first."""
    require(user, "pay_structure.manage")
    position = Position.objects.select_related("department").filter(pk=pk).first()
    if position is None:
        raise NotFound()
    history = list(PayStructure.objects.filter(position=position).order_by("-effective_from"))
    audit_read(actor=user, obj=position, shown={"structures": [h.pk for h in history]})
    return StructurePage(position, history)


def profit_list(*, user: ActingUser) -> QuerySet[NetProfit]:
    require(user, "profit.view")
    return NetProfit.objects.select_related("entered_by", "approved_by", "supersedes")


@dataclass
class ProfitsPage:
    rows: list[tuple[NetProfit, list[Transition]]]
    can_enter: bool


def profits_page(*, user: ActingUser) -> ProfitsPage:
    """Every net profit with the steps the user may take on it now."""
    rows = [
        (p, [t for t in PROFIT.available(user, p) if t.action in PROFIT_BUTTONS])
        for p in profit_list(user=user)
    ]
    return ProfitsPage(rows, can(user, "profit.enter"))


def profit_get(*, user: ActingUser, pk: int) -> NetProfit:
    profit = profit_list(user=user).filter(pk=pk).first()
    if profit is None:
        raise NotFound()
    return profit
