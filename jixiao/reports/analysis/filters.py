"""The filters of the analysis pages, parsed by the shared validators: hostile values (``1e30``,
``nan``, ``-1``, 20,000 characters, 10,000 cycles) are refused with a bilingual sentence the
page shows; nothing unparsed reaches a query."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jixiao.common.validators import parse_cycle_label, parse_id, parse_int, parse_text
from jixiao.engine.text import Text

N_DEFAULT = 6
N_MAX = 36
DEPARTMENT = Text("部门", "Department")
CYCLE = Text("周期", "Cycle")
MONTH = Text("月份", "Month")
MEASURE = Text("数据项", "Measure")
N_FIELD = Text("周期数", "Number of cycles")


@dataclass(frozen=True)
class Filters:
    department: int | None = None
    cycle: str | None = None  # a cycle label (a month's cycle is labelled by its month)
    measure: str | None = None
    n: int = N_DEFAULT


def _given(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None or not str(value).strip():
        return None
    return str(value)


def parse_filters(params: Mapping[str, str]) -> Filters:
    """Parse the page's query parameters; raise ``JixiaoError`` (400) naming the refused one."""
    department = _given(params, "department")
    cycle = _given(params, "cycle")
    month = _given(params, "month")
    measure = _given(params, "measure")
    n = _given(params, "n")
    label = parse_cycle_label(cycle, field=CYCLE) if cycle is not None else None
    if month is not None:
        label = parse_cycle_label(month, field=MONTH, kind="month")
    return Filters(
        department=parse_id(department, field=DEPARTMENT) if department is not None else None,
        cycle=label,
        measure=parse_text(measure, field=MEASURE, max_length=64) if measure is not None else None,
        n=parse_int(n, field=N_FIELD, minimum=1, maximum=N_MAX) if n is not None else N_DEFAULT,
    )
