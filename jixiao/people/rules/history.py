"""The histories rules read: each person's results in the consecutive released cycles of one
kind, most recent first, loaded in one query for all people and cycles (never one per person).

A cycle counts once its results are released (published or locked). A person without a result in
one of those cycles has an empty slot there, which breaks a run (“2 in a row” means the last two
cycles, not the last two results the person happens to have).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.cycles.lifecycle.models import RELEASED, Cycle
from jixiao.cycles.results.models import Result
from jixiao.engine.people_rules import Entry

MILLI = Decimal(1000)


@dataclass(frozen=True)
class Slot:
    """One person's result in one cycle, as a rule reads it, with what a proposal keeps of it."""

    entry: Entry
    manager_id: int | None
    revision: int


@dataclass
class Timeline:
    """Cycles of one kind (most recent first) and each person's slot in each of them."""

    cycles: list[Cycle]
    slots: dict[int, list[Slot | None]] = field(default_factory=dict)

    def history(self, employee_id: int, start: int = 0) -> list[Entry | None]:
        """The person's entries from cycle ``start`` back (most recent first)."""
        row = self.slots.get(employee_id, [])
        return [slot.entry if slot is not None else None for slot in row[start:]]

    def slot(self, employee_id: int, index: int) -> Slot | None:
        row = self.slots.get(employee_id, [])
        return row[index] if index < len(row) else None


def released_cycles(kind: str) -> list[Cycle]:
    """Every released cycle of ``kind``, most recent first (one query)."""
    return list(Cycle.objects.filter(kind=kind, state__in=RELEASED).order_by("-start", "-pk"))


def run_cycles(cycle: Cycle, depth: int) -> list[Cycle]:
    """``cycle`` and the released cycles of its kind before it: ``depth`` cycles at most."""
    earlier = (
        Cycle.objects.filter(kind=cycle.kind, state__in=RELEASED, start__lt=cycle.start)
        .exclude(pk=cycle.pk)
        .order_by("-start", "-pk")[: max(depth - 1, 0)]
    )
    return [cycle, *earlier]


def preview_cycles(kind: str, depth: int, *, today: dt.date, months: int = 12) -> tuple[list[Cycle], int]:
    """The released cycles of ``kind`` that ended in the last ``months`` months (or later) and,
    behind them, the ``depth - 1`` earlier ones their runs may reach; with how many are in the window."""
    cycles = released_cycles(kind)
    since = today - dt.timedelta(days=round(months * 365 / 12))
    window = sum(1 for c in cycles if c.end >= since)
    return cycles[: window + max(depth - 1, 0)], window


def timeline_load(cycles: list[Cycle], employee_ids: Iterable[int] | None = None) -> Timeline:
    """Every result of ``cycles`` (of ``employee_ids`` when given) in one query."""
    timeline = Timeline(cycles)
    index = {c.pk: i for i, c in enumerate(cycles)}
    if not index:
        return timeline
    labels = {c.pk: c.label for c in cycles}
    rows = Result.objects.filter(cycle_id__in=list(index))
    if employee_ids is not None:
        rows = rows.filter(member__employee_id__in=list(employee_ids))
    fields = ("pk", "cycle_id", "member__employee_id", "member__manager_id", "grade", "total_milli", "vetoes")
    for pk, cycle_id, employee_id, manager_id, grade, milli, vetoes, revision in rows.values_list(
        *fields, "revision"
    ):
        entry = Entry(pk, labels[cycle_id], grade, Decimal(milli) / MILLI, bool(vetoes))
        row = timeline.slots.setdefault(employee_id, [None] * len(cycles))
        row[index[cycle_id]] = Slot(entry, manager_id, revision)
    return timeline
