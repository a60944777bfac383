"""The Excel download of a cycle's results list (§5, issue 14 item 6): the rows of the results
page, read through its own page selector (so a head's download holds their department only),
with the page's columns. It names people: the download asks a reason and is audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from jixiao.access.actor import ActingUser
from jixiao.audit.exports import Download
from jixiao.common.figures import Cell, Column, Section, Table
from jixiao.common.text import Text

from . import selectors

COLUMNS = (
    Column(Text("公司排名", "Company rank"), "int"),
    Column(Text("部门排名", "Department rank"), "int"),
    Column(Text("工号", "Number")),
    Column(Text("员工", "Employee")),
    Column(Text("部门", "Department")),
    Column(Text("总分", "Total"), "decimal"),
    Column(Text("等级", "Grade")),
    Column(Text("一票否决", "Veto")),
    Column(Text("系数", "Coefficient"), "decimal"),
)
VETO = Text("是", "Yes")


def results_download(*, user: ActingUser, pk: int) -> Download:
    """Cycle ``pk``'s results as its results page lists them, for ``user``."""
    cycle, results = selectors.results_page(user=user, pk=pk)
    rows: list[tuple[Cell, ...]] = []
    departments: set[int] = set()
    for r in results:
        departments.add(r.member.department_id)
        rows.append(
            (
                r.rank_company,
                r.rank_department,
                r.member.employee.number,
                r.member.employee.name,
                r.member.department.name,
                Decimal(r.total_display),
                r.grade,
                VETO if r.vetoes else None,
                _decimal(r.coefficient),
            )
        )
    title = Text(f"考核结果 {cycle.label}", f"Results {cycle.label}")
    table = Table("results", title, COLUMNS, tuple(rows))
    return Download(
        title=title,
        sections=(Section("results", title, tables=(table,)),),
        filename=f"jixiao-results-{cycle.pk}.xlsx",
        what="cycles.results",
        scope=f"cycle:{cycle.pk} departments:{','.join(map(str, sorted(departments))) or '-'}",
        rows=len(rows),
    )


def _decimal(text: str) -> Decimal | str:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    return value if value.is_finite() else text
