"""The Excel download of the calibration page's grade distribution (issue 14 item 6): per
department and for the company, each grade's count before and after calibration against its
quota, the counts as a chart, and the comparison with earlier cycles. Read through the page's
own selector (HR and the committee). It names nobody — the people and the moves stay on the
page — so it is a plain download, not asked a reason."""

from __future__ import annotations

from decimal import Decimal

from jixiao.access.actor import ActingUser
from jixiao.audit.exports import Download
from jixiao.common.figures import Cell, Chart, Column, Section, Table
from jixiao.common.text import Text
from jixiao.cycles.lifecycle.selectors import cycle_get
from jixiao.engine.money import round_half_up

from .selectors import COMPANY, Calibration, GradeLine, Group, calibration_page

DISTRIBUTION = (
    Column(Text("部门", "Department")),
    Column(Text("人数", "People"), "int"),
    Column(Text("等级", "Grade")),
    Column(Text("计算结果人数", "By the engine"), "int"),
    Column(Text("当前人数", "Now"), "int"),
    Column(Text("占比", "Share"), "percent"),
    Column(Text("配额", "Quota")),
    Column(Text("情况", "Status")),
)
PER_MILLE = Decimal("0.001")


def distribution_download(*, user: ActingUser, pk: int) -> Download:
    """Cycle ``pk``'s grade distribution as its calibration page shows it."""
    cycle = cycle_get(user=user, pk=pk)
    page = calibration_page(user=user, cycle=cycle)
    title = Text(f"等级分布与配额 {cycle.label}", f"Grade distribution and quotas {cycle.label}")
    rows = tuple(_line(group, line) for group in page.groups for line in group.lines)
    distribution = Table("dist", title, DISTRIBUTION, rows)
    counts = _counts(page)
    chart = Chart(
        "stacked",
        Text("各部门当前等级人数", "Current grades per department"),
        counts,
        series=tuple(range(1, len(counts.columns))),
    )
    sections = [Section("dist", title, tables=(distribution, counts), charts=(chart,) if counts.rows else ())]
    if page.history:
        sections.append(_history(page))
    return Download(
        title=title,
        sections=tuple(sections),
        filename=f"jixiao-distribution-{cycle.pk}.xlsx",
        what="cycles.distribution",
        scope=f"cycle:{cycle.pk}",
        rows=len(rows),
    )


def _name(group: Group) -> Cell:
    return Text("全公司", "Whole company") if group.key == COMPANY else group.name


def _line(group: Group, line: GradeLine) -> tuple[Cell, ...]:
    share = round_half_up(Decimal(line.count) / group.size, PER_MILLE) if group.size else Decimal(0)
    return (
        _name(group),
        group.size,
        f"{line.key} {line.name}",
        line.engine_count,
        line.count,
        share,
        line.quota,
        _status(group, line),
    )


def _status(group: Group, line: GradeLine) -> Cell:
    exempt = group.exempt and line.is_off
    if line.is_over:
        said = Text(f"超出上限 {line.gap} 人", f"{line.gap} over the quota")
    elif line.is_under:
        said = Text(f"低于下限 {line.gap} 人", f"{line.gap} under the quota")
    else:
        return None
    return Text(said.zh + "（豁免）", said.render("en") + " (exempt)") if exempt else said


def _counts(page: Calibration) -> Table:
    columns = (Column(Text("部门", "Department")), *(Column(Text(key), "int") for key, _n in page.grades))
    rows = tuple(
        (_name(group), *(line.count for line in group.lines)) for group in page.groups if group.key != COMPANY
    )
    return Table("counts", Text("各部门当前等级人数", "Current grades per department"), columns, rows)


def _history(page: Calibration) -> Section:
    tables = []
    for index, history in enumerate(page.history):
        columns = (
            Column(Text("周期", "Cycle")),
            Column(Text("人数", "People"), "int"),
            *(Column(Text(g), "int") for g in history.grades),
        )
        rows: tuple[tuple[Cell, ...], ...] = tuple((row.label, row.size, *row.counts) for row in history.rows)
        tables.append(Table(f"h{index + 1}", Text(history.department), columns, rows))
    return Section("history", Text("与以往周期比较", "Earlier cycles"), tables=tuple(tables))
