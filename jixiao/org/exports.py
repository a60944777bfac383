"""The Excel download of the staff directory (issue 14 item 6): the people the directory lists
under its filters (every page), read through its own selector, with its columns (work contact
only — no identity number, no personal phone). It names people: a reason is asked and audited,
and only those who administer the organisation may take it (``org.export``)."""

from __future__ import annotations

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.audit.exports import Download
from jixiao.common.figures import Cell, Column, Section, Table
from jixiao.common.text import Text

from . import selectors

COLUMNS = (
    Column(Text("工号", "Number")),
    Column(Text("姓名", "Name")),
    Column(Text("部门", "Department")),
    Column(Text("岗位", "Position")),
    Column(Text("直接上级", "Manager")),
    Column(Text("状态", "Status")),
    Column(Text("工作电话", "Work phone")),
)


def employees_download(
    *, user: ActingUser, query: str, department_id: int | None, position_id: int | None, status: str
) -> Download:
    """The directory as its page lists it with these filters."""
    require(user, "org.view")
    require(user, "org.export")
    employees = selectors.employee_search(
        user=user, query=query, department_id=department_id, position_id=position_id, status=status
    )
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            e.number,
            e.name,
            e.department.name,
            e.position.title if e.position else None,
            e.manager.name if e.manager else None,
            str(e.get_status_display()),
            e.work_phone or None,
        )
        for e in employees.iterator(chunk_size=2000)
    )
    title = Text("员工名录", "Staff directory")
    filters = f"q:{query[:100]} department:{department_id or '-'} position:{position_id or '-'} status:{status or '-'}"
    return Download(
        title=title,
        sections=(Section("employees", title, tables=(Table("employees", title, COLUMNS, rows),)),),
        filename="jixiao-employees.xlsx",
        what="org.employees",
        scope=filters,
        rows=len(rows),
    )
