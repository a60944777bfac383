"""The Excel download of the complaints and allegations list (issue 14 item 6): every case the
list shows under its filters (all its pages), read through the list's own selector, with the
list's columns and the count per kind and state. Like the list, it never names a reporter — an
anonymous allegation is marked anonymous and nothing else. It names the people concerned, so a
reason is asked and audited."""

from __future__ import annotations

from collections import Counter

from jixiao.access.actor import ActingUser
from jixiao.audit.exports import Download
from jixiao.cases.exports import YES, case_list_download
from jixiao.common.figures import Cell, Column
from jixiao.common.text import Text

from . import selectors

COLUMNS = (
    Column(Text("编号", "Reference")),
    Column(Text("类型", "Kind")),
    Column(Text("匿名", "Anonymous")),
    Column(Text("标题", "Title")),
    Column(Text("被投诉（举报）人", "Person concerned")),
    Column(Text("状态", "State")),
    Column(Text("应办理日期", "Due")),
    Column(Text("已逾期", "Overdue")),
    Column(Text("提出时间", "Filed")),
)
BY = Column(Text("类型", "Kind"))


def concerns_download(*, user: ActingUser, kind: str, state: str, overdue_only: bool, q: str) -> Download:
    """The list of complaints and allegations as ``user`` sees it with these filters."""
    listed = selectors.concern_list_rows(user=user, kind=kind, state=state, overdue_only=overdue_only, q=q)
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            r.concern.reference,
            r.concern.get_kind_display(),
            YES if r.concern.anonymous else None,
            r.concern.title,
            r.concern.subject.name if r.concern.subject else None,
            r.state_label,
            r.due.isoformat() if r.due else None,
            YES if r.overdue else None,
            r.concern.created_at.date().isoformat(),
        )
        for r in listed
    )
    counted = Counter((r.concern.get_kind_display(), r.state_label) for r in listed)
    return case_list_download(
        key="concerns",
        title=Text("投诉与举报", "Complaints and allegations"),
        columns=COLUMNS,
        rows=rows,
        by=(BY, Text("按类型和状态统计", "By kind and state")),
        counted=counted,
        filename="jixiao-complaints-allegations.xlsx",
        scope=f"kind:{kind or '-'} state:{state or '-'} overdue:{int(overdue_only)} q:{q[:100]}",
    )
