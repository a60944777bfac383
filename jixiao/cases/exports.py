"""The one shape of a case list's Excel download (issue 14 item 6): the list's rows and, beside
them, how many cases there are per kind (or topic) and state — the outcomes. Each kind of case
builds its rows from its own list selector; this puts them in a workbook the same way."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from jixiao.audit.exports import Download
from jixiao.common.figures import Cell, Column, Section, Table
from jixiao.common.text import Text

STATE = Column(Text("状态", "State"))
COUNT = Column(Text("件数", "Count"), "int")
YES = Text("是", "Yes")


def case_list_download(
    *,
    key: str,
    title: Text,
    columns: Sequence[Column],
    rows: tuple[tuple[Cell, ...], ...],
    by: tuple[Column, Text],
    counted: Counter[tuple[str, Text]],
    filename: str,
    scope: str,
) -> Download:
    """The list as one sheet: its rows, then the count per (``by``'s column, state), most first."""
    counts: tuple[tuple[Cell, ...], ...] = tuple((k, s, n) for (k, s), n in counted.most_common())
    column, counts_title = by
    tables = (
        Table(key, title, tuple(columns), rows),
        Table("counts", counts_title, (column, STATE, COUNT), counts),
    )
    return Download(
        title=title,
        sections=(Section(key, title, tables=tables),),
        filename=filename,
        what=f"cases.{key}",
        scope=scope,
        rows=len(rows),
    )
