"""The analysis pages' figures as ``Section``s (tables and charts of ``common.figures``): the page
draws them, the Excel download writes them, from the same numbers. Each builder reads through
``data`` in a fixed number of queries and computes with ``engine.analysis``; each states its
method in a paragraph on the page."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from jixiao.common.figures import Cell, Chart, Column, ColumnKind, Section, Table
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.engine import analysis as stats
from jixiao.engine import types as engine
from jixiao.engine.money import round_half_up
from jixiao.engine.text import Text
from jixiao.org.models import Department

from .data import (
    MeasureOption,
    ResultRow,
    completions,
    grade_names,
    measure_values,
    member_counts,
    result_rows,
    snapshots,
)

CYCLE = Column(Text("周期", "Cycle"))
DEPARTMENT = Column(Text("部门", "Department"))
PEOPLE = Column(Text("人数", "People"), "int")
MEAN = Column(Text("平均分", "Mean"), "decimal")
MEDIAN = Column(Text("中位数", "Median"), "decimal")
SPREAD = Column(Text("标准差", "Spread (SD)"), "decimal")
LOW = Column(Text("最低", "Lowest"), "decimal")
HIGH = Column(Text("最高", "Highest"), "decimal")
POINTS = Text("分", "points")
SHARE = Text("占比", "share")
NOT_RELEASED = Text("不公布", "Not released")
# Team against individual: a department is flagged when its mean total is at least GAP points
# above its KPI evidence, with at least MIN_SIZE people (fewer: nothing is concluded).
GAP = Decimal(15)
MIN_SIZE = 3
FLAG = Text("评分明显高于 KPI 结果", "Graded far above its KPI results")
TOO_FEW = Text(f"少于 {MIN_SIZE} 人，不作结论", f"Fewer than {MIN_SIZE} people: no conclusion")
EXEMPT = Text("人数少于 {n}，不受强制分布约束", "Fewer than {n} people: exempt from forced distribution")

SUMMARY_METHOD = Text(
    "平均分为算术平均；中位数为排序后居中的值（偶数人取中间两人的平均）；标准差为总体标准差 √(Σ(x−平均)²/n)；"
    "等级占比 = 该等级人数 ÷ 有结果的人数。分数为校准后的最终总分。",
    "The mean is the arithmetic mean; the median the middle value (the mean of the two middle "
    "ones for an even count); the spread the population standard deviation √(Σ(x−mean)²/n); a "
    "grade's share = its people ÷ the people with a result. Totals are final, after calibration.",
)
PERSON_METHOD = Text(
    "总分为校准后的最终总分。本人查看时，只显示已公布的周期，并按该周期的公布设置显示总分和等级；"
    "部门平均分 = 部门总分之和 ÷ 有结果的人数，只对可查看该部门的人显示。",
    "Totals are final, after calibration. A person reading their own trend sees the published "
    "cycles only, with the total and grade as each cycle's release shows them; the department "
    "mean (the sum of its totals ÷ the people with a result) is shown only to those who may read "
    "the department.",
)
COVERAGE_METHOD = Text(
    "覆盖率 = 有考核结果的人数 ÷ 该周期参加考核的人数。",
    "Coverage = people with a result ÷ people appraised in the cycle.",
)
KPI_METHOD = Text(
    "数值取自各人录入或导入的实际值；派生指标（如转化率）按考核细则的公式逐人计算，缺少数据或除数为零的人不计入。",
    "Values are the actuals entered or imported for each person; a derived indicator (such as "
    "conversion) is its plan's formula per person; a person missing an input, or with a zero "
    "divisor, is left out.",
)
TEAM_METHOD = Text(
    f"KPI 达成 = 各人按数据计分的指标（非评分指标）所得分 ÷ 这些指标的权重 × 100，再取部门平均；"
    f"部门完成率为薪酬中记录的工作完成情况。平均总分比 KPI 达成或完成率（×100）高出 {GAP} 分及以上、"
    f"且至少 {MIN_SIZE} 人的部门标记为“评分明显高于 KPI 结果”。",
    f"KPI attainment = the points a person earned on the indicators scored from data (not rated) "
    f"÷ those indicators' weights × 100, averaged over the department; completion is the work "
    f"completion recorded for pay. A department of at least {MIN_SIZE} people whose mean total is "
    f"{GAP} points or more above its KPI attainment or its completion (× 100) is flagged.",
)
DRIFT_METHOD = Text(
    "占比 = 该等级人数 ÷ 部门人数；超出 = 高于“至多”配额或低于“至少”配额的部分（百分点），配额以内为 0；"
    "偏离合计为各等级超出之和。配额取自该周期部门所用的考核总框架。",
    "Share = a grade's people ÷ the department's people; beyond = how far the share lies above an "
    "“at most” quota or below an “at least” quota (percentage points), 0 inside it; the drift is "
    "the sum over the grades. Quotas are those of the framework the department ran under.",
)


def _grades_of(
    rows: Iterable[ResultRow],
) -> tuple[dict[int, tuple[engine.Plan, engine.Framework]], list[tuple[str, Text]]]:
    rules = snapshots({r.snapshot_id for r in rows})
    return rules, grade_names(fw for _plan, fw in rules.values())


def _summary_cells(rows: Sequence[ResultRow], keys: Sequence[str]) -> tuple[Cell, ...]:
    s = stats.summarise_milli([r.total_milli for r in rows])
    _size, shares = stats.grade_shares((r.grade for r in rows), keys)
    return (s.n, s.mean, s.median, s.spread, s.low, s.high, *(shares[k] for k in keys))


def _summary_columns(grades: Sequence[tuple[str, Text]]) -> tuple[Column, ...]:
    return (PEOPLE, MEAN, MEDIAN, SPREAD, LOW, HIGH, *(Column(name, "percent") for _k, name in grades))


def department_trend(department: Department, cycles: Sequence[Cycle]) -> tuple[Section, set[int]]:
    """Per cycle: the department's people, mean, median, spread, range and grade shares."""
    rows = result_rows([c.pk for c in cycles], [department.pk])
    _rules, grades = _grades_of(rows)
    keys = [k for k, _n in grades]
    by_cycle: dict[int, list[ResultRow]] = defaultdict(list)
    for r in rows:
        by_cycle[r.cycle_id].append(r)
    table = Table(
        "trend",
        Text(f"{department.name}：各周期得分与等级", f"{department.name}: scores and grades by cycle"),
        (CYCLE, *_summary_columns(grades)),
        tuple((c.label, *_summary_cells(by_cycle.get(c.pk, []), keys)) for c in cycles),
    )
    charts = (
        Chart("line", Text("平均分与中位数", "Mean and median"), table, 0, (2, 3), y_title=POINTS),
        Chart(
            "stacked",
            Text("等级分布", "Grade distribution"),
            table,
            0,
            tuple(range(7, 7 + len(keys))),
            y_title=SHARE,
        ),
    )
    latest = cycles[-1].pk if cycles else None
    section = Section("trend", Text("部门绩效趋势", "Department trend"), (SUMMARY_METHOD,), (table,), charts)
    return section, {r.employee_id for r in rows if r.cycle_id == latest}


def person_trend(
    name: str,
    rows: Sequence[tuple[Any, ...]],
    readable: set[int],
    sums: dict[tuple[int, int], tuple[int, int]],
    rules: dict[int, tuple[engine.Plan, engine.Framework]],
) -> Section:
    """Per cycle: the person's total and grade (as far as released to them) and, for those who may
    read the department, its mean."""
    with_mean = bool(readable)
    body: list[tuple[Cell, ...]] = []
    for cycle_id, label, release_score, release_grade, department_id, total, grade, snapshot_id in rows:
        full = department_id in readable
        framework = rules[snapshot_id][1] if snapshot_id in rules else None
        cells: list[Cell] = [
            label,
            stats.points(total) if full or release_score else NOT_RELEASED,
            _grade_label(framework, grade) if full or release_grade else NOT_RELEASED,
        ]
        if with_mean:
            total_sum, n = sums.get((cycle_id, department_id), (0, 0))
            cells.append(stats.points(Decimal(total_sum) / n) if full and n else None)
        body.append(tuple(cells))
    columns = [CYCLE, Column(Text("总分", "Total"), "decimal"), Column(Text("等级", "Grade"))]
    series: tuple[int, ...] = (1,)
    if with_mean:
        columns.append(Column(Text("部门平均分", "Department mean"), "decimal"))
        series = (1, 3)
    table = Table(
        "person", Text(f"{name}：各周期结果", f"{name}: results by cycle"), tuple(columns), tuple(body)
    )
    chart = Chart("line", Text("总分走势", "Total over cycles"), table, 0, series, y_title=POINTS)
    return Section("person", Text("个人绩效趋势", "Personal trend"), (PERSON_METHOD,), (table,), (chart,))


def _grade_label(framework: engine.Framework | None, key: str) -> Cell:
    for g in framework.grades if framework else ():
        if g.key == key:
            return Text(f"{g.key} {g.name_zh}", f"{g.key} {g.name_en or g.name_zh}")
    return key


def comparison(cycle: Cycle, departments: Sequence[Department], company: bool) -> Section:
    """Each department of the cycle (and the company, when allowed): members, results, coverage,
    summary statistics and grade shares."""
    ids = [d.pk for d in departments]
    rows = result_rows([cycle.pk], ids)
    members = member_counts([cycle.pk], ids)
    _rules, grades = _grades_of(rows)
    keys = [k for k, _n in grades]
    by_department: dict[int, list[ResultRow]] = defaultdict(list)
    for r in rows:
        by_department[r.department_id].append(r)
    body: list[tuple[Cell, ...]] = []
    for d in departments:
        appraised = members.get((cycle.pk, d.pk), 0)
        if appraised:
            its = by_department.get(d.pk, [])
            body.append(
                (
                    d.name,
                    appraised,
                    len(its),
                    stats.share(len(its), appraised),
                    *_summary_cells(its, keys)[1:],
                )
            )
    if company and body:
        appraised = sum(members.values())
        body.append(
            (
                Text("全公司", "Company"),
                appraised,
                len(rows),
                stats.share(len(rows), appraised),
                *_summary_cells(rows, keys)[1:],
            )
        )
    columns = (
        DEPARTMENT, Column(Text("参加人数", "Appraised"), "int"), Column(Text("有结果", "With a result"), "int"),
        Column(Text("覆盖率", "Coverage"), "percent"), *_summary_columns(grades)[1:],
    )  # fmt: skip
    table = Table(
        "compare", Text(f"{cycle.label} 部门对比", f"{cycle.label} by department"), columns, tuple(body)
    )
    charts = (
        Chart("column", Text("各部门平均分", "Mean by department"), table, 0, (4,), y_title=POINTS),
        Chart(
            "stacked",
            Text("各部门等级分布", "Grades by department"),
            table,
            0,
            tuple(range(9, 9 + len(keys))),
            y_title=SHARE,
        ),
    )
    paragraphs = (SUMMARY_METHOD, COVERAGE_METHOD)
    return Section("compare", Text("部门对比", "Department comparison"), paragraphs, (table,), charts)


def _as_entered(value: Decimal | None, option: MeasureOption) -> Decimal | None:
    """A person's value as entered; a derived one (a formula's result) to 0.0001."""
    return _rounded(value, option) if option.formula else value


def _rounded(value: Decimal | None, option: MeasureOption) -> Decimal | None:
    if value is None:
        return None
    return round_half_up(value, Decimal("0.0001") if option.fraction else Decimal("0.01"))


def kpi_series(
    department: Department, cycles: Sequence[Cycle], option: MeasureOption, company: bool
) -> tuple[Section, int]:
    """Per cycle: the department's mean, median and range of the measure (and the company's mean,
    when allowed); per person: their value in each cycle. Returns the section and the people."""
    ids = [c.pk for c in cycles]
    values = measure_values(ids, [department.pk], option)
    everyone = measure_values(ids, None, option) if company else []
    by_cycle: dict[int, list[Decimal]] = defaultdict(list)
    for v in values:
        by_cycle[v.cycle_id].append(v.value)
    company_by_cycle: dict[int, list[Decimal]] = defaultdict(list)
    for v in everyone:
        company_by_cycle[v.cycle_id].append(v.value)
    kind: ColumnKind = "percent" if option.fraction else "decimal"
    unit = "" if option.fraction or not option.unit else f"（{option.unit}）"
    unit_en = "" if option.fraction or not option.unit else f" ({option.unit})"
    columns = [
        CYCLE, PEOPLE, Column(Text(f"部门平均{unit}", f"Department mean{unit_en}"), kind),
        Column(Text("中位数", "Median"), kind), Column(Text("最低", "Lowest"), kind), Column(Text("最高", "Highest"), kind),
    ]  # fmt: skip
    body: list[tuple[Cell, ...]] = []
    for c in cycles:
        its = by_cycle.get(c.pk, [])
        row: list[Cell] = [c.label, len(its), _rounded(stats.mean(its), option), _rounded(stats.median(its), option),
                           _as_entered(min(its), option) if its else None, _as_entered(max(its), option) if its else None]  # fmt: skip
        if company:
            row.append(_rounded(stats.mean(company_by_cycle.get(c.pk, [])), option))
        body.append(tuple(row))
    if company:
        columns.append(Column(Text(f"公司平均{unit}", f"Company mean{unit_en}"), kind))
    title = option.name
    table = Table(
        "series",
        Text(f"{department.name}：{title.zh}", f"{department.name}: {title.en}"),
        tuple(columns),
        tuple(body),
    )
    chart = Chart(
        "line",
        title,
        table,
        0,
        (2, 6) if company else (2,),
        y_title=Text(option.unit or "", option.unit or ""),
    )
    people = _people_table(values, cycles, option, kind)
    section = Section("kpi", Text("KPI 数据走势", "KPI series"), (KPI_METHOD,), (table, people), (chart,))
    return section, len(people.rows)


def _people_table(
    values: Sequence[Any], cycles: Sequence[Cycle], option: MeasureOption, kind: ColumnKind
) -> Table:
    per_person: dict[tuple[str, int], dict[int, Decimal]] = defaultdict(dict)
    for v in values:
        per_person[(v.name, v.employee_id)][v.cycle_id] = v.value
    columns = (Column(Text("姓名", "Name")), *(Column(Text(c.label, c.label), kind) for c in cycles))
    body = tuple(
        (name, *(_as_entered(per_person[(name, pk)].get(c.pk), option) for c in cycles))
        for name, pk in sorted(per_person)
    )
    return Table("people", Text(f"每人的{option.name.zh}", f"{option.name.en} per person"), columns, body)


def _kpi_weights(plan: engine.Plan) -> dict[str, Decimal]:
    return {i.key: i.weight for i in plan.indicators if i.is_weighted and not i.is_rated}


def team_against_individual(departments: Sequence[Department], cycles: Sequence[Cycle]) -> Section:
    """Per department and cycle: mean total, mean KPI attainment, completion, gaps and the flag."""
    ids = [d.pk for d in departments]
    rows = result_rows([c.pk for c in cycles], ids, contributions=True)
    rules = snapshots({r.snapshot_id for r in rows})
    weights = {pk: _kpi_weights(plan) for pk, (plan, _fw) in rules.items()}
    totals: dict[tuple[int, int], list[int]] = defaultdict(list)
    attained: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for r in rows:
        totals[(r.department_id, r.cycle_id)].append(r.total_milli)
        value = stats.kpi_attainment(r.contributions, weights.get(r.snapshot_id, {}))
        if value is not None:
            attained[(r.department_id, r.cycle_id)].append(value)
    done = completions([c.label for c in cycles if c.kind == "month"], ids)
    body: list[tuple[Cell, ...]] = []
    for d in departments:
        for c in cycles:
            if (d.pk, c.pk) in totals:
                body.append(
                    _team_row(
                        d, c, totals[(d.pk, c.pk)], attained.get((d.pk, c.pk), []), done.get((c.label, d.pk))
                    )
                )
    columns = (
        DEPARTMENT, CYCLE, PEOPLE, Column(Text("平均总分", "Mean total"), "decimal"),
        Column(Text("KPI 达成", "KPI attainment"), "decimal"), Column(Text("部门完成率", "Completion"), "percent"),
        Column(Text("总分 − KPI 达成", "Total − KPI"), "decimal"), Column(Text("总分 − 完成率×100", "Total − completion×100"), "decimal"),
        Column(Text("提示", "Flag")),
    )  # fmt: skip
    table = Table("team", Text("团队结果与个人结果", "Team and individual results"), columns, tuple(body))
    latest = _latest_per_department(body)
    chart = Chart(
        "column",
        Text("最近周期：平均总分与 KPI 达成", "Latest cycle: mean total and KPI attainment"),
        latest,
        0,
        (1, 2),
        y_title=POINTS,
    )
    return Section(
        "team", Text("团队与个人", "Team against individual"), (TEAM_METHOD,), (table, latest), (chart,)
    )


def _team_row(
    d: Department, c: Cycle, totals: list[int], attained: list[Decimal], completion: Decimal | None
) -> tuple[Cell, ...]:
    mean_total = stats.summarise_milli(totals).mean
    kpi = stats.mean(attained)
    kpi_points = round_half_up(kpi, stats.POINT) if kpi is not None else None
    gap = mean_total - kpi_points if mean_total is not None and kpi_points is not None else None
    evidence = completion * 100 if completion is not None else None
    gap_completion = mean_total - evidence if mean_total is not None and evidence is not None else None
    flagged = any(
        stats.above_kpi(mean_total, e, len(totals), gap=GAP, min_size=MIN_SIZE)
        for e in (kpi_points, evidence)
    )
    return (
        d.name,
        c.label,
        len(totals),
        mean_total,
        kpi_points,
        completion,
        gap,
        gap_completion,
        FLAG if flagged else TOO_FEW if len(totals) < MIN_SIZE else "",
    )


def _latest_per_department(body: Sequence[tuple[Cell, ...]]) -> Table:
    latest: dict[Any, tuple[Cell, ...]] = {}
    for row in body:
        latest[row[0]] = row  # rows run oldest to newest within a department
    columns = (
        DEPARTMENT,
        Column(Text("平均总分", "Mean total"), "decimal"),
        Column(Text("KPI 达成", "KPI attainment"), "decimal"),
    )
    return Table(
        "team_latest",
        Text("最近周期", "Latest cycle"),
        columns,
        tuple((r[0], r[3], r[4]) for r in latest.values()),
    )


def _quota_text(quota_max: Decimal | None, quota_min: Decimal | None) -> str:
    parts = []
    if quota_max is not None:
        parts.append(f"≤ {round_half_up(quota_max * 100, Decimal('0.1'))}%")
    if quota_min is not None:
        parts.append(f"≥ {round_half_up(quota_min * 100, Decimal('0.1'))}%")
    return " ".join(parts) or "—"


def drift(departments: Sequence[Department], cycles: Sequence[Cycle]) -> Section:
    """Per department and cycle: the grades' shares against the quotas, how far beyond, the sum."""
    ids = [d.pk for d in departments]
    rows = result_rows([c.pk for c in cycles], ids)
    rules, grades = _grades_of(rows)
    keys = [k for k, _n in grades]
    quota_keys = [
        g.key
        for _p, fw in rules.values()
        for g in fw.grades
        if g.quota_max is not None or g.quota_min is not None
    ]
    quota_keys = list(dict.fromkeys(quota_keys))
    groups: dict[tuple[int, int], list[ResultRow]] = defaultdict(list)
    for r in rows:
        groups[(r.department_id, r.cycle_id)].append(r)
    body: list[tuple[Cell, ...]] = []
    pivot: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for d in departments:
        for c in cycles:
            its = groups.get((d.pk, c.pk))
            if its:
                row, total = _drift_row(d, c, its, rules[its[0].snapshot_id][1], keys, quota_keys)
                body.append(row)
                pivot[c.pk][d.pk] = total
    names = dict(grades)
    columns = (
        DEPARTMENT, CYCLE, PEOPLE, *(Column(names[k], "percent") for k in keys),
        *(col for k in quota_keys for col in (Column(Text(f"{k} 配额", f"{k} quota")), Column(Text(f"{k} 超出", f"{k} beyond"), "percent"))),
        Column(Text("偏离合计", "Drift"), "percent"), Column(Text("说明", "Note")),
    )  # fmt: skip
    table = Table("drift", Text("等级占比与配额", "Grade shares against quotas"), columns, tuple(body))
    shown = [d for d in departments if any(d.pk in pivot[c.pk] for c in cycles)]
    by_cycle = Table(
        "drift_by_cycle", Text("各部门偏离合计", "Drift by department"),
        (CYCLE, *(Column(Text(d.name, d.name), "percent") for d in shown)),
        tuple((c.label, *(pivot[c.pk].get(d.pk) for d in shown)) for c in cycles if pivot.get(c.pk)),
    )  # fmt: skip
    chart = Chart(
        "line",
        Text("偏离配额的程度", "Distance from the quotas"),
        by_cycle,
        0,
        tuple(range(1, 1 + len(shown))),
        y_title=SHARE,
    )
    return Section(
        "drift",
        Text("等级分布与配额", "Grade distribution against quotas"),
        (DRIFT_METHOD,),
        (table, by_cycle),
        (chart,),
    )


def _drift_row(
    d: Department,
    c: Cycle,
    its: Sequence[ResultRow],
    framework: engine.Framework,
    keys: Sequence[str],
    quota_keys: Sequence[str],
) -> tuple[tuple[Cell, ...], Decimal]:
    counts = Counter(r.grade for r in its)
    size = len(its)
    quotas = [(g.key, g.quota_max, g.quota_min) for g in framework.grades]
    lines, total = stats.drift(counts, size, quotas)
    by_key = {line.grade: line for line in lines}
    cells: list[Cell] = [d.name, c.label, size, *(stats.share(counts.get(k, 0), size) for k in keys)]
    for k in quota_keys:
        line = by_key.get(k)
        cells += [_quota_text(line.quota_max, line.quota_min) if line else "—", line.beyond if line else None]
    n = framework.quota_min_group
    note = Text(EXEMPT.zh.format(n=n), EXEMPT.en.format(n=n)) if size < n else ""
    cells += [total, note]
    return tuple(cells), total
