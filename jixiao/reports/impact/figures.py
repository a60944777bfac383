"""The preview as figures (``common.figures``): one shape for the web page, the plan page's
section and the Excel workbook. Money columns are only built for whom pay is shown."""

from __future__ import annotations

from collections import Counter

from jixiao.common.figures import Cell, Chart, Column, ColumnKind, Section, Table
from jixiao.engine.text import Text
from jixiao.plans.models import Plan

from .preview import Impact, IndicatorChange, QuotaRow, Row

T = Text
NONE = Text("—", "—")


def _grade(impact: Impact, key: str) -> Text:
    return dict(impact.grades).get(key, Text(key, key))


def _summary(plan: Plan, impact: Impact, pay: bool) -> Section:
    rows = impact.rows
    labels = "、".join(label for _, label, _ in impact.cycles)
    paragraphs = [
        Text(
            f"用 {labels} 已关闭周期的实际数据（{len(rows)} 人次），分别按当时执行的版本和第 {plan.number} 版计算"
            "得分、等级与月度奖金；计算与周期关闭时是同一个引擎的批量计算，等级按当期总框架的分数段和一票否决。",
            f"The closed cycles {', '.join(label for _, label, _ in impact.cycles)} ({len(rows)} results) scored "
            f"under the version then in force and under version {plan.number}, by the same batch engine that "
            "closed them; grades by that cycle's framework bands and vetoes.",
        )
        if rows
        else Text(
            "该方案的部门还没有已关闭的考核周期，无法预览。", "No closed cycle of this plan's department yet."
        ),
        Text(
            f"新版本中没有数据的指标显示为“无数据”，按框架的缺数据规则计分：{impact.missing_rule.zh}。",
            f"An indicator of the new version with no data is shown as “no data” and scored by the framework's "
            f"missing-data rule: {impact.missing_rule.en}.",
        ),
    ]
    if not impact.by_code:
        paragraphs.append(
            Text(
                "该方案尚未在任何周期中执行过：按其部门（及适用岗位）人员在当时所适用方案下的结果对比。",
                "This plan has never run in a cycle: compared with its department's people under the plans they had.",
            )
        )
    if impact.framework_differs:
        paragraphs.append(
            Text(
                "新版本所依据的总框架版本与这些周期不同；预览按各周期当时的总框架计算，只比较方案的变化。",
                "The new version names another framework version; the preview uses each cycle's own framework, "
                "so only the plan's change is compared.",
            )
        )
    unpaid = [label for _, label, paid in impact.cycles if not paid]
    if pay and unpaid:
        paragraphs.append(
            Text(
                f"{'、'.join(unpaid)} 尚无月度薪酬计算结果，这些周期不比较奖金。",
                f"{', '.join(unpaid)} have no monthly pay run yet: no bonus is compared for them.",
            )
        )
    if not pay:
        paragraphs.append(
            Text("奖金金额仅对薪酬查看人员显示。", "Bonus amounts are shown only to those who see pay.")
        )
    figures: list[tuple[Text, Cell, ColumnKind]] = [
        (T("人次", "Results"), len(rows), "int"),
        (T("等级变化人次", "Grade changes"), sum(1 for r in rows if r.grade_changed), "int"),
        (T("等级提高", "Up"), sum(1 for r in rows if r.grade_changed and _up(impact, r)), "int"),
        (T("等级降低", "Down"), sum(1 for r in rows if r.grade_changed and not _up(impact, r)), "int"),
    ]
    if pay:
        old, new = _bonus_totals(rows)
        figures += [
            (T("原月度奖金合计（元）", "Monthly bonus, old (yuan)"), old, "money"),
            (T("新月度奖金合计（元）", "Monthly bonus, new (yuan)"), new, "money"),
            (T("奖金变化（元）", "Bonus change (yuan)"), new - old, "money"),
        ]
    return Section(
        "summary",
        T("概要", "Summary"),
        paragraphs=tuple(paragraphs),
        tables=(_changes_table(impact.changes),),
        figures=tuple(figures),
    )


def _up(impact: Impact, row: Row) -> bool:
    order = [key for key, _ in impact.grades]
    if row.new_grade not in order or row.old_grade not in order:
        return False
    return order.index(row.new_grade) < order.index(row.old_grade)


def _bonus_totals(rows: tuple[Row, ...]) -> tuple[int, int]:
    paid = [r for r in rows if r.old_bonus is not None and r.new_bonus is not None]
    return sum(r.old_bonus or 0 for r in paid), sum(r.new_bonus or 0 for r in paid)


def _change_label(change: IndicatorChange) -> Text:
    if change.old_weight is None:
        return T("新增", "Added") if change.with_data else T("新增（无数据）", "Added (no data)")
    if change.new_weight is None:
        return T("删除", "Removed")
    if change.old_weight != change.new_weight:
        return T("权重调整", "Weight changed")
    if change.rules_changed:
        return T("计分规则调整", "Scoring rule changed")
    return T("不变", "Unchanged")


def _changes_table(changes: tuple[IndicatorChange, ...]) -> Table:
    return Table(
        "indicators",
        T("指标变化（与最近一期执行的版本相比）", "Indicators against the latest version in force"),
        (
            Column(T("指标", "Indicator")),
            Column(T("原权重", "Old weight"), "decimal"),
            Column(T("新权重", "New weight"), "decimal"),
            Column(T("变化", "Change")),
            Column(T("有数据的人次", "Results with data"), "int"),
        ),
        tuple(
            (
                c.name,
                c.old_weight,
                c.new_weight,
                _change_label(c),
                c.with_data if c.new_weight is not None else None,
            )
            for c in changes
        ),
    )


def _distribution(impact: Impact) -> Section:
    old = Counter(r.old_grade for r in impact.rows)
    new = Counter(r.new_grade for r in impact.rows)
    table = Table(
        "grades",
        T("等级分布（人次）", "Grade distribution (results)"),
        (
            Column(T("等级", "Grade")),
            Column(T("原版本", "Old version"), "int"),
            Column(T("新版本", "New version"), "int"),
            Column(T("变化", "Change"), "int"),
        ),
        tuple((name, old[key], new[key], new[key] - old[key]) for key, name in impact.grades),
    )
    chart = Chart("column", T("等级分布：原版本与新版本", "Grades: old and new version"), table, 0, (1, 2))
    tables = (table, _quota_table(impact)) if impact.quotas else (table,)
    return Section("distribution", T("等级分布变化", "Distribution shift"), tables=tables, charts=(chart,))


def _quota_status(ok: bool, exempt: bool) -> Text:
    if exempt:
        return T("小团队豁免", "Small group: exempt")
    return T("符合", "Within") if ok else T("超出配额", "Outside the quota")


def _quota_table(impact: Impact) -> Table:
    def quota(q: QuotaRow) -> Text:
        percent = f"{q.share * 100:.0f}%"
        if q.limit == "max":
            return Text(f"不超过 {percent}（{q.allowed} 人）", f"at most {percent} ({q.allowed})")
        return Text(f"不少于 {percent}（{q.allowed} 人）", f"at least {percent} ({q.allowed})")

    return Table(
        "quotas",
        T("各周期强制分布检查（总框架配额）", "Each cycle against the framework's quotas"),
        (
            Column(T("周期", "Cycle")),
            Column(T("等级", "Grade")),
            Column(T("配额", "Quota")),
            Column(T("原版本人数", "Old count"), "int"),
            Column(T("新版本人数", "New count"), "int"),
            Column(T("原版本", "Old version")),
            Column(T("新版本", "New version")),
        ),
        tuple(
            (
                q.cycle_label,
                _grade(impact, q.grade),
                quota(q),
                q.old_count,
                q.new_count,
                _quota_status(q.old_ok, q.exempt),
                _quota_status(q.new_ok, q.exempt),
            )
            for q in impact.quotas
        ),
    )


def _movers(impact: Impact) -> Section:
    table = Table(
        "movers",
        T("等级变化的人员及主要原因", "Who changes grade, and the indicator that moved them"),
        (
            Column(T("周期", "Cycle")),
            Column(T("工号", "No.")),
            Column(T("姓名", "Name")),
            Column(T("原得分", "Old score"), "decimal"),
            Column(T("新得分", "New score"), "decimal"),
            Column(T("原等级", "Old grade")),
            Column(T("新等级", "New grade")),
            Column(T("主要影响指标", "Indicator that moved them most")),
            Column(T("该指标得分变化", "Its points change"), "decimal"),
        ),
        tuple(
            (
                r.cycle_label,
                r.number,
                r.name,
                r.old_total,
                r.new_total,
                _grade(impact, r.old_grade),
                _grade(impact, r.new_grade),
                r.mover or NONE,
                r.mover_change,
            )
            for r in impact.rows
            if r.grade_changed
        ),
        note=T("没有人的等级发生变化。", "Nobody changes grade.")
        if not any(r.grade_changed for r in impact.rows)
        else None,
    )
    return Section("movers", T("谁的等级变了，为什么", "Who changes grade, and why"), tables=(table,))


def _person_row(impact: Impact, r: Row, pay: bool) -> tuple[Cell, ...]:
    grade_old = _grade(impact, r.old_grade)
    if r.calibrated:
        calibrated = _grade(impact, r.calibrated)
        grade_old = Text(
            f"{grade_old.zh}（校准为 {calibrated.zh}）", f"{grade_old.en} (calibrated to {calibrated.en})"
        )
    missing = Text.join(list(r.no_data), "、", ", ") if r.no_data else None
    cells: list[Cell] = [r.cycle_label, r.number, r.name, r.old_total, grade_old]
    if pay:
        cells.append(r.old_bonus)
    cells += [r.new_total, _grade(impact, r.new_grade)]
    if pay:
        cells.append(r.new_bonus)
    cells.append(r.score_change)
    if pay:
        cells.append(r.bonus_change)
    cells.append(Text(f"无数据：{missing.zh}", f"no data: {missing.en}") if missing else None)
    return tuple(cells)


def _people(impact: Impact, pay: bool) -> Section:
    money = Column(T("原月度奖金", "Old monthly bonus"), "money")
    columns = [
        Column(T("周期", "Cycle")),
        Column(T("工号", "No.")),
        Column(T("姓名", "Name")),
        Column(T("原得分", "Old score"), "decimal"),
        Column(T("原等级", "Old grade")),
        *([money] if pay else []),
        Column(T("新得分", "New score"), "decimal"),
        Column(T("新等级", "New grade")),
        *([Column(T("新月度奖金", "New monthly bonus"), "money")] if pay else []),
        Column(T("得分变化", "Score change"), "decimal"),
        *([Column(T("奖金变化", "Bonus change"), "money")] if pay else []),
        Column(T("说明", "Note")),
    ]
    table = Table(
        "people",
        T("逐人对比", "Person by person"),
        tuple(columns),
        tuple(_person_row(impact, r, pay) for r in impact.rows),
    )
    return Section(
        "people", T("每人每期的得分、等级与奖金", "Each person's score, grade and bonus"), tables=(table,)
    )


def _bonus(impact: Impact) -> Section:
    rows: list[tuple[Cell, ...]] = []
    for cycle_id, label, paid in impact.cycles:
        mine = tuple(r for r in impact.rows if r.cycle_id == cycle_id)
        if not paid:
            rows.append((label, None, None, None, None))
            continue
        old, new = _bonus_totals(mine)
        counted = sum(1 for r in mine if r.old_bonus is not None)
        rows.append((label, counted, old, new, new - old))
    old, new = _bonus_totals(impact.rows)
    counted = sum(1 for r in impact.rows if r.old_bonus is not None)
    rows.append((T("合计", "Total"), counted, old, new, new - old))
    table = Table(
        "bonus",
        T("月度奖金合计（元）", "Monthly bonus totals (yuan)"),
        (
            Column(T("周期", "Cycle")),
            Column(T("有薪酬的人数", "People paid"), "int"),
            Column(T("原版本", "Old version"), "money"),
            Column(T("新版本", "New version"), "money"),
            Column(T("变化", "Change"), "money"),
        ),
        tuple(rows),
        note=T(
            "奖金按当月已计算的薪酬（结构、部门完成率、奖金公式）与各版本的等级系数重新计算，精确到分；奖惩与调整不受方案影响，不计入。",
            "Bonuses recomputed from the month's pay run (structure, completion, formula) with each version's "
            "grade coefficient, to the fen; rewards, penalties and adjustments do not depend on the plan.",
        ),
    )
    return Section("bonus", T("奖金合计", "Bonus totals"), tables=(table,))


def sections_of(plan: Plan, impact: Impact, *, pay: bool) -> list[Section]:
    """Every section of the preview (the money ones only with ``pay``)."""
    sections = [_summary(plan, impact, pay), _distribution(impact), _movers(impact), _people(impact, pay)]
    if pay:
        sections.append(_bonus(impact))
    return sections
