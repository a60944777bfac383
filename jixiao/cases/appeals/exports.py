"""The Excel download of the appeals list (issue 14 item 6): the rows the list shows under its
filters, read through its page selector, with its columns, and the count per state (the
outcomes: upheld, adjusted, declined…). It names the appellants: a reason is asked and audited."""

from __future__ import annotations

from collections import Counter

from jixiao.access.actor import ActingUser
from jixiao.audit.exports import Download
from jixiao.common.figures import Cell, Column, Section, Table
from jixiao.common.text import Text

from . import selectors

COLUMNS = (
    Column(Text("编号", "Reference")),
    Column(Text("逾期申诉", "Late appeal")),
    Column(Text("申诉人", "Appellant")),
    Column(Text("周期", "Cycle")),
    Column(Text("状态", "State")),
    Column(Text("本环节期限", "Step due")),
    Column(Text("已逾期", "Overdue")),
)
BY_STATE = (Column(Text("状态", "State")), Column(Text("件数", "Cases"), "int"))
YES = Text("是", "Yes")


def appeals_download(*, user: ActingUser, state: str, cycle_id: int | None, overdue: bool) -> Download:
    """The appeals list as ``user`` sees it with these filters."""
    page = selectors.appeals_page(user=user, state=state, cycle_id=cycle_id, overdue=overdue)
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            r.appeal.reference,
            YES if r.appeal.late else None,
            r.appeal.appellant.name,
            r.appeal.cycle.label,
            r.state,
            r.due.isoformat() if r.due else None,
            YES if r.overdue else None,
        )
        for r in page.rows
    )
    title = Text("申诉", "Appeals")
    counted = Counter(r.appeal.state for r in page.rows)
    labels = {r.appeal.state: r.state for r in page.rows}
    by_state: tuple[tuple[Cell, ...], ...] = tuple((labels[s], n) for s, n in counted.most_common())
    tables = (
        Table("appeals", title, COLUMNS, rows),
        Table("states", Text("按状态统计", "By state"), BY_STATE, by_state),
    )
    filters = f"state:{state or '-'} cycle:{cycle_id or '-'} overdue:{int(overdue)}"
    return Download(
        title=title,
        sections=(Section("appeals", title, tables=tables),),
        filename="jixiao-appeals.xlsx",
        what="cases.appeals",
        scope=filters,
        rows=len(rows),
    )
