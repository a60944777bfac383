"""What the analysis pages read, in a fixed number of queries however many people a cycle has.

No access checks here: the page selectors (``selectors.py``) ask ``access`` which departments
and people the user may see and pass only those ids in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from jixiao.cycles.entry.models import Actual
from jixiao.cycles.lifecycle.models import COMPUTED, Cycle, CycleMember, CyclePlan
from jixiao.cycles.lifecycle.snapshot import decimal_or_none, rules
from jixiao.cycles.results.models import Result
from jixiao.engine import types as engine
from jixiao.engine.formula import FormulaError, compile_formula
from jixiao.engine.text import Text
from jixiao.pay.monthly.models import DepartmentCompletion


def cycles_of(department_ids: Iterable[int], n: int, label: str | None = None) -> list[Cycle]:
    """The last ``n`` cycles with results for any of the departments (oldest first), ending
    with the cycle ``label`` when one is given."""
    qs = Cycle.objects.filter(state__in=COMPUTED, departments__in=list(department_ids)).distinct()
    if label is not None:
        end = Cycle.objects.filter(label=label).values("start")[:1]
        qs = qs.filter(start__lte=end)
    return list(reversed(qs.order_by("-start", "-pk")[:n]))


@dataclass(frozen=True)
class ResultRow:
    cycle_id: int
    department_id: int
    employee_id: int
    snapshot_id: int
    total_milli: int
    grade: str
    contributions: dict[str, Any] = field(default_factory=dict, compare=False)


def result_rows(
    cycle_ids: Sequence[int], department_ids: Iterable[int], *, contributions: bool = False
) -> list[ResultRow]:
    """Every result of the cycles in the departments (one query)."""
    qs = Result.objects.filter(cycle_id__in=list(cycle_ids), member__department_id__in=list(department_ids))
    names = [
        "cycle_id",
        "member__department_id",
        "member__employee_id",
        "member__snapshot_id",
        "total_milli",
        "grade",
    ]
    if contributions:
        names.append("contributions")
    return [ResultRow(*row) for row in qs.order_by().values_list(*names).iterator()]


def member_counts(cycle_ids: Sequence[int], department_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """{(cycle id, department id): members appraised} (one query)."""
    rows = (
        CycleMember.objects.filter(cycle_id__in=list(cycle_ids), department_id__in=list(department_ids))
        .values_list("cycle_id", "department_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(c, d): n for c, d, n in rows}


def department_sums(
    cycle_ids: Sequence[int], department_ids: Iterable[int]
) -> dict[tuple[int, int], tuple[int, int]]:
    """{(cycle id, department id): (sum of totals in milli-points, results)} (one query, exact)."""
    rows = (
        Result.objects.filter(cycle_id__in=list(cycle_ids), member__department_id__in=list(department_ids))
        .values_list("cycle_id", "member__department_id")
        .annotate(total=Sum("total_milli"), n=Count("pk"))
        .order_by()
    )
    return {(c, d): (int(total or 0), n) for c, d, total, n in rows}


def snapshots(ids: Iterable[int]) -> dict[int, tuple[engine.Plan, engine.Framework]]:
    """{snapshot id: (plan, framework)} for the snapshots named (one query)."""
    return {s.pk: rules(s) for s in CyclePlan.objects.filter(pk__in=set(ids))}


def latest_snapshots(
    cycle_ids: Sequence[int], department_id: int
) -> list[tuple[engine.Plan, engine.Framework]]:
    """The rules the department's members ran under in the cycles, latest cycle first (one query)."""
    qs = (
        CyclePlan.objects.filter(cycle_id__in=list(cycle_ids), members__department_id=department_id)
        .distinct()
        .order_by("-cycle__start", "pk")
    )
    return [rules(s) for s in qs]


def grade_names(frameworks: Iterable[engine.Framework]) -> list[tuple[str, Text]]:
    """Every grade of the frameworks, best first, as (key, "A 优秀" / "A Outstanding")."""
    seen: dict[str, Text] = {}
    for framework in frameworks:
        for g in framework.grades:
            seen.setdefault(g.key, Text(f"{g.key} {g.name_zh}", f"{g.key} {g.name_en or g.name_zh}"))
    return list(seen.items())


@dataclass(frozen=True)
class MeasureOption:
    key: str
    name: Text
    unit: str
    formula: str = ""  # a derived indicator's formula over measures
    fraction: bool = False  # a ratio shown as a percentage


def measure_options(plans: Iterable[engine.Plan]) -> list[MeasureOption]:
    """The measures a department's plans read, in the order of the indicators that use them,
    then the measures no indicator names; derived indicators (转化率) as measures of their own."""
    found: dict[str, MeasureOption] = {}
    for plan in plans:
        declared = {m.key: m for m in plan.measures}
        for ind in plan.indicators:
            if ind.is_rated or ind.key in found:
                continue
            if ind.kind is engine.Kind.DERIVED:
                found[ind.key] = MeasureOption(
                    ind.key,
                    Text(ind.name_zh, ind.name_en or ind.name_zh),
                    ind.unit,
                    ind.formula,
                    ind.unit == "%",
                )
            elif ind.measure_key not in found:
                found[ind.measure_key] = _measure(plan, declared, ind.measure_key)
        for key in declared:
            found.setdefault(key, _measure(plan, declared, key))
    return list(found.values())


def _measure(plan: engine.Plan, declared: dict[str, engine.Measure], key: str) -> MeasureOption:
    m = declared.get(key) or plan.measure(key)
    return MeasureOption(key, Text(m.name_zh, m.name_en or m.name_zh), m.unit)


@dataclass(frozen=True)
class Value:
    cycle_id: int
    department_id: int
    employee_id: int
    name: str
    value: Decimal


def measure_values(
    cycle_ids: Sequence[int], department_ids: Iterable[int] | None, option: MeasureOption
) -> list[Value]:
    """Each member's value of the measure in the cycles (one query); a derived measure is its
    formula over the member's actuals (a member missing an input, or dividing by zero, has none)."""
    keys = sorted(compile_formula(option.formula).names) if option.formula else [option.key]
    qs = Actual.objects.filter(member__cycle_id__in=list(cycle_ids), measure_key__in=keys)
    if department_ids is not None:
        qs = qs.filter(member__department_id__in=list(department_ids))
    by_member: dict[tuple[int, int, int, str], dict[str, Decimal]] = defaultdict(dict)
    rows = qs.order_by().values_list(
        "member__cycle_id",
        "member__department_id",
        "member__employee_id",
        "member__employee__name",
        "measure_key",
        "value",
    )
    for cycle_id, department_id, employee_id, name, key, text in rows.iterator():
        number = decimal_or_none(text)
        if number is not None:
            by_member[(cycle_id, department_id, employee_id, name)][key] = number
    out: list[Value] = []
    formula = compile_formula(option.formula) if option.formula else None
    for (cycle_id, department_id, employee_id, name), values in by_member.items():
        value = _evaluate(formula, values, option.key)
        if value is not None:
            out.append(Value(cycle_id, department_id, employee_id, name, value))
    return out


def _evaluate(formula: Any, values: dict[str, Decimal], key: str) -> Decimal | None:
    if formula is None:
        return values.get(key)
    try:
        result: Decimal = formula.evaluate(values)
    except FormulaError:
        return None
    return result


def completions(months: Iterable[str], department_ids: Iterable[int]) -> dict[tuple[str, int], Decimal]:
    """{(month, department id): completion rate as a fraction} recorded for pay (one query)."""
    qs = DepartmentCompletion.objects.filter(month__in=list(months), department_id__in=list(department_ids))
    out: dict[tuple[str, int], Decimal] = {}
    for month, department_id, rate in qs.values_list("month", "department_id", "rate"):
        number = decimal_or_none(str(rate).removesuffix("%"))
        if number is not None:
            out[(month, department_id)] = number / 100 if str(rate).strip().endswith("%") else number
    return out
