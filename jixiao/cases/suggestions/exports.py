"""The Excel download of HR's suggestions list (issue 14 item 6): every suggestion the list shows
under its filters (all its pages), read through the list's own selector, with the list's
columns and the count per topic and state. It names who made each one (as the list does, for
HR only), so a reason is asked and audited."""

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
    Column(Text("涉及方面", "Topic")),
    Column(Text("标题", "Title")),
    Column(Text("提出人", "Made by")),
    Column(Text("状态", "State")),
    Column(Text("应答复日期", "Answer due")),
    Column(Text("已逾期", "Overdue")),
)
BY = Column(Text("涉及方面", "Topic"))


def suggestions_download(*, user: ActingUser, state: str, topic: str, overdue_only: bool, q: str) -> Download:
    """HR's list of suggestions as ``user`` sees it with these filters."""
    listed = selectors.suggestion_list_rows(
        user=user, state=state, topic=topic, overdue_only=overdue_only, q=q
    )
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            r.suggestion.reference,
            r.suggestion.get_topic_display(),
            r.suggestion.title,
            r.suggestion.author.username if r.suggestion.author else None,
            r.state_label,
            r.due.isoformat() if r.due else None,
            YES if r.overdue else None,
        )
        for r in listed
    )
    counted = Counter((r.suggestion.get_topic_display(), r.state_label) for r in listed)
    return case_list_download(
        key="suggestions",
        title=Text("意见反馈", "Suggestions"),
        columns=COLUMNS,
        rows=rows,
        by=(BY, Text("按方面和状态统计", "By topic and state")),
        counted=counted,
        filename="jixiao-suggestions.xlsx",
        scope=f"state:{state or '-'} topic:{topic or '-'} overdue:{int(overdue_only)} q:{q[:100]}",
    )
