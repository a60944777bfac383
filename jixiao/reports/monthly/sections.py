"""The report's sections (``common.figures``) from its stored snapshot: the web page, the
workbook and the PDF all show these, so the three always agree.

``departments`` limits the rows to those departments (a head's view): rows of other departments
and the company totals are left out, and so is the pay section (a head reads no pay totals).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any

from jixiao.common.figures import Cell, Chart, Column, ColumnKind, Section, Table
from jixiao.engine.report_figures import share
from jixiao.engine.text import Text

T = Text
DEPARTMENT = Column(T("部门", "Department"))
COMPANY = T("全公司", "Company")

CASE_KINDS: dict[str, Text] = {
    "appeal": T("申诉", "Appeals"),
    "complaint": T("投诉", "Complaints"),
    "allegation": T("举报", "Allegations"),
    "suggestion": T("意见建议", "Suggestions"),
}
OUTCOMES: dict[str, Text] = {
    "open": T("办理中", "In progress"),
    "upheld": T("维持原结果", "Upheld"),
    "adjusted": T("结果已调整", "Adjusted"),
    "declined": T("不予受理", "Declined"),
    "closed": T("不准逾期申诉", "Late appeal refused"),
    "withdrawn": T("已撤回", "Withdrawn"),
    "substantiated": T("属实", "Substantiated"),
    "partly_substantiated": T("部分属实", "Partly substantiated"),
    "not_substantiated": T("不属实", "Not substantiated"),
    "out_of_scope": T("不属于受理范围", "Out of scope"),
    "received": T("待处理", "Received"),
    "answered": T("已答复", "Answered"),
    "noted": T("已阅备查", "Noted"),
    "published": T("已答复并公开", "Answered and published"),
}
SUMMARY_STATUS: dict[str, Text] = {
    "": T("未提交", "Not started"),
    "draft": T("草稿", "Draft"),
    "submitted": T("已提交", "Submitted"),
    "returned": T("已退回", "Returned"),
    "checked": T("已核对", "Checked"),
}
SANCTION_KINDS: dict[str, Text] = {"reward": T("奖励", "Reward"), "penalty": T("处罚", "Penalty")}
PROMOTION_STATES: dict[str, Text] = {
    "approved": T("已批准晋升", "Approved"),
    "rejected": T("未获批准", "Rejected"),
}

ALLEGATION_MIN = 3  # as snapshot.ALLEGATION_MIN (the snapshot holds no smaller breakdown)
TITLE = T("绩效考核月报", "Monthly appraisal report")


def _label(table: dict[str, Text], code: str) -> Text:
    return table.get(code, T(code))


class View:
    """The snapshot as one reader may see it."""

    def __init__(self, data: dict[str, Any], departments: Collection[int] | None) -> None:
        self.data = data
        self.departments = None if departments is None else frozenset(departments)
        self.names: dict[str, str] = data.get("departments", {})

    @property
    def whole(self) -> bool:
        return self.departments is None

    def keep(self, d: int | None) -> bool:
        return self.whole or (d is not None and d in (self.departments or ()))

    def name(self, d: int | None) -> Cell:
        return COMPANY if d is None else self.names.get(str(d), str(d))


def report_sections(
    data: dict[str, Any], conclusion: str = "", departments: Collection[int] | None = None
) -> tuple[Section, ...]:
    """The sections of a report's snapshot, all of it or only ``departments``' rows."""
    if not data:
        return ()
    view = View(data, departments)
    builders: list[Callable[[View], Section | None]] = [
        _coverage, _grades, _scores, _plans, _summaries, _cases, _people, _pay,
    ]  # fmt: skip
    sections = [s for s in (b(view) for b in builders) if s is not None]
    return (_conclusion(data, conclusion), *sections)


def _conclusion(data: dict[str, Any], conclusion: str) -> Section:
    cycles = "、".join(data.get("cycles", [])) or "—"
    paragraphs = [
        T(f"月份：{data['month']}；考核周期：{cycles}。", f"Month: {data['month']}; cycles: {cycles}.")
    ]
    paragraphs += [T(p, p) for p in conclusion.splitlines() if p.strip()]
    if not conclusion.strip():
        paragraphs.append(T("（人力资源部尚未撰写结论。）", "(HR has not written the conclusion yet.)"))
    return Section("conclusion", T("一、结论", "1. Conclusion"), paragraphs=tuple(paragraphs))


def _coverage(view: View) -> Section:
    part = view.data["coverage"]
    rows = [
        (view.name(d), members, results, share(results, members), scores, on_time, share(on_time, scores))
        for d, members, results, scores, on_time in part["rows"]
        if view.keep(d)
    ]
    table = Table(
        "coverage",
        T("各部门考核覆盖与按时评分", "Coverage and on-time scoring by department"),
        (
            DEPARTMENT,
            Column(T("考核人数", "People appraised"), "int"),
            Column(T("已出结果", "With a result"), "int"),
            Column(T("覆盖率", "Coverage"), "percent"),
            Column(T("评分条数", "Scores given"), "int"),
            Column(T("按时评分", "On time"), "int"),
            Column(T("按时率", "On-time rate"), "percent"),
        ),
        tuple(rows),
    )
    deadline = part.get("deadline")
    said = (
        T(f"评分截止日期：{deadline}。", f"Scoring deadline: {deadline}.")
        if deadline
        else T(
            "本月周期未设评分截止日期，全部评分计为按时。",
            "No scoring deadline was set; every score counts as on time.",
        )
    )
    chart = Chart("column", T("覆盖率与按时率", "Coverage and on-time rate"), table, 0, (3, 6))
    figures = (
        (T("考核人数", "People appraised"), sum(r[1] for r in rows)),
        (T("已出结果", "With a result"), sum(r[2] for r in rows)),
    )
    return Section(
        "coverage", T("二、考核覆盖与按时评分", "2. Coverage and on-time scoring"), (said,), (table,), (chart,),
        figures,
    )  # fmt: skip


def _grades(view: View) -> Section:
    part = view.data["grades"]
    keys = part["grades"]
    rows: list[tuple[Cell, ...]] = []
    for row in part["rows"]:
        if not view.keep(row["d"]):
            continue
        off = "；".join(f"{k} {row['quota'].get(k, '')}" for k in row["off"])
        rows.append((view.name(row["d"]), *(row["counts"].get(k, 0) for k, _, _ in keys), off or "—"))
    quotas = [
        (k, next((r["quota"].get(k) for r in part["rows"] if r["quota"].get(k)), "")) for k, _, _ in keys
    ]
    columns = (
        DEPARTMENT,
        *(Column(T(zh or k, en or k), "int") for k, zh, en in keys),
        Column(T("与配额不符（配额）", "Off quota (quota)")),
    )
    table = Table("grades", T("各部门等级分布", "Grade distribution by department"), columns, tuple(rows))
    quota_text = "；".join(f"{k} {q}" for k, q in quotas if q) or "—"
    said = T(
        f"配额（按部门人数折算）：{quota_text}。",
        f"Quotas (counted on each department's size): {quota_text}.",
    )
    charts = (
        (Chart("stacked", T("等级分布", "Grade distribution"), table, 0, tuple(range(1, len(keys) + 1))),)
        if keys
        else ()
    )
    return Section("grades", T("三、等级分布与配额", "3. Grades against quotas"), (said,), (table,), charts)


def _scores(view: View) -> Section:
    part = view.data["scores"]
    raw = [r for r in part["rows"] if view.keep(r[0])]
    if view.whole and part.get("company"):
        raw.append(part["company"])
    rows = tuple((view.name(r[0]), r[1], *(Decimal(v) for v in r[2:])) for r in raw)
    table = Table(
        "scores",
        T("各部门总分统计", "Total scores by department"),
        (
            DEPARTMENT,
            Column(T("人数", "People"), "int"),
            Column(T("平均分", "Mean"), "decimal"),
            Column(T("中位数", "Median"), "decimal"),
            Column(T("最低分", "Lowest"), "decimal"),
            Column(T("最高分", "Highest"), "decimal"),
            Column(T("标准差", "Std. deviation"), "decimal"),
        ),
        rows,
    )
    chart = Chart("column", T("平均分与中位数", "Mean and median"), table, 0, (2, 3))
    return Section("scores", T("四、分数统计", "4. Score statistics"), (), (table,), (chart,))


def _plans(view: View) -> Section:
    rows = tuple((view.name(r[0]), *r[1:]) for r in view.data["plans"]["rows"] if view.keep(r[0]))
    table = Table(
        "plans",
        T("本月方案评审", "Plan reviews this month"),
        (
            DEPARTMENT,
            Column(T("提交评审（版次）", "Versions submitted"), "int"),
            Column(T("评审意见", "Review comments"), "int"),
            Column(T("已答复意见", "Comments answered"), "int"),
            Column(T("发布方案", "Plans published"), "int"),
            Column(T("检查：须修改", "Lint: blocking"), "int"),
            Column(T("检查：提醒", "Lint: warnings"), "int"),
        ),
        rows,
    )
    chart = Chart("bar", T("评审意见", "Review comments"), table, 0, (1, 2))
    return Section("plans", T("五、方案评审", "5. Plan reviews"), (), (table,), (chart,) if rows else ())


def _summaries(view: View) -> Section:
    rows = tuple(
        (view.name(r[0]), _label(SUMMARY_STATUS, r[1]), *r[2:])
        for r in view.data["summaries"]["rows"]
        if view.keep(r[0])
    )
    table = Table(
        "summaries",
        T("部门月末汇总、检查发现与整改", "Month-end summaries, findings and rectification"),
        (
            DEPARTMENT,
            Column(T("汇总状态", "Summary")),
            Column(T("检查发现", "Findings"), "int"),
            Column(T("需整改", "Needing rectification"), "int"),
            Column(T("待整改", "Open"), "int"),
            Column(T("已反馈", "Answered"), "int"),
            Column(T("已验证", "Verified"), "int"),
            Column(T("已逾期", "Overdue"), "int"),
        ),
        rows,
    )
    chart = Chart("stacked", T("整改状态", "Rectification status"), table, 0, (4, 5, 6))
    return Section(
        "summaries", T("六、月末汇总与整改", "6. Month-end summaries and rectification"), (), (table,),
        (chart,) if rows else (),
    )  # fmt: skip


def _cases(view: View) -> Section:
    part = view.data["cases"]
    counts = tuple(
        (_label(CASE_KINDS, kind), view.name(d), _label(OUTCOMES, outcome), n)
        for kind, d, outcome, n in part["counts"]
        if view.keep(d)
    )
    durations = tuple(
        (_label(CASE_KINDS, kind), view.name(d), n, None if median == "None" else Decimal(median), longest)
        for kind, d, n, median, longest in part["durations"]
        if view.keep(d)
    )
    note = (
        T(
            f"举报少于 {ALLEGATION_MIN} 件的部门不分列，只计入全公司合计（本月 {part['withheld']} 个部门）；"
            "任何数字都不显示举报人。",
            f"A department with fewer than {ALLEGATION_MIN} allegations is not shown on its own, only in the "
            f"company total ({part['withheld']} departments this month); no figure shows who reported.",
        )
        if view.whole
        else T(
            f"举报少于 {ALLEGATION_MIN} 件的部门不分列；任何数字都不显示举报人。",
            f"A department with fewer than {ALLEGATION_MIN} allegations is not shown; no figure shows who reported.",
        )
    )
    count_table = Table(
        "cases",
        T("申诉、投诉、举报与意见建议：按结果", "Appeals, complaints, allegations, suggestions by outcome"),
        (
            Column(T("类别", "Kind")),
            DEPARTMENT,
            Column(T("结果", "Outcome")),
            Column(T("件数", "Cases"), "int"),
        ),
        counts,
        note,
    )
    duration_table = Table(
        "durations",
        T("办结用时（天）", "Days to settle"),
        (
            Column(T("类别", "Kind")),
            DEPARTMENT,
            Column(T("已办结", "Settled"), "int"),
            Column(T("中位天数", "Median days"), "decimal"),
            Column(T("最长天数", "Longest days"), "int"),
        ),
        durations,
    )
    totals: dict[str, int] = defaultdict(int)
    for kind, d, _, n in part["counts"]:
        if d is None or (not view.whole and view.keep(d)):
            totals[kind] += n
    total_table = Table(
        "case_totals",
        T("各类件数", "Cases by kind"),
        (Column(T("类别", "Kind")), Column(T("件数", "Cases"), "int")),
        tuple((CASE_KINDS[k], totals.get(k, 0)) for k in CASE_KINDS),
    )
    chart = Chart("column", T("各类件数", "Cases by kind"), total_table, 0, (1,))
    return Section(
        "cases", T("七、申诉、投诉、举报与意见建议", "7. Appeals, complaints, allegations and suggestions"),
        (note,), (total_table, count_table, duration_table), (chart,),
    )  # fmt: skip


def _people(view: View) -> Section:
    part = view.data["people"]
    sanctions = Table(
        "sanctions",
        T("奖励与处罚（本月计入）", "Rewards and penalties paid this month"),
        (
            DEPARTMENT,
            Column(T("类型", "Kind")),
            Column(T("件数", "Count"), "int"),
            Column(T("金额", "Amount"), "money"),
        ),
        tuple(
            (view.name(d), _label(SANCTION_KINDS, k), n, fen)
            for d, k, n, fen in part["sanctions"]
            if view.keep(d)
        ),
    )
    improvement = Table(
        "improvement",
        T("绩效改进计划", "Improvement plans"),
        (DEPARTMENT, Column(T("本月开始", "Started"), "int"), Column(T("本月结束", "Finished"), "int")),
        tuple((view.name(d), s, f) for d, s, f in part["improvement"] if view.keep(d)),
    )
    promotions = Table(
        "promotions",
        T("晋升审批", "Promotions decided"),
        (DEPARTMENT, Column(T("结果", "Decision")), Column(T("人数", "People"), "int")),
        tuple(
            (view.name(d), _label(PROMOTION_STATES, s), n) for d, s, n in part["promotions"] if view.keep(d)
        ),
    )
    training = Table(
        "training",
        T("培训出勤", "Training attendance"),
        (DEPARTMENT, Column(T("出勤人次", "Attendances"), "int")),
        tuple((view.name(d), n) for d, n in part["training"] if view.keep(d)),
    )
    figures = ((T("本月举办培训（场）", "Training sessions held"), part["sessions"]),) if view.whole else ()
    return Section(
        "people", T("八、奖惩、改进、晋升与培训", "8. Rewards, penalties, improvement, promotions, training"),
        (), (sanctions, improvement, promotions, training), (), figures,
    )  # fmt: skip


def _pay(view: View) -> Section | None:
    if not view.whole:
        return None
    part = view.data["pay"]
    rows = tuple(
        (view.name(d), n, bonus, total, pool, None if pool is None else pool - bonus)
        for d, n, bonus, total, pool in part["rows"]
    )
    table = Table(
        "pay",
        T("月度绩效薪酬与奖金池", "Monthly pay against bonus pools"),
        (
            DEPARTMENT,
            Column(T("发放人数", "People paid"), "int"),
            Column(T("月度奖金", "Monthly bonus"), "money"),
            Column(T("应发合计", "Total pay"), "money"),
            Column(T("奖金池", "Bonus pool"), "money"),
            Column(T("奖金池结余（负数为超出）", "Pool left (negative: over)"), "money"),
        ),
        rows,
    )
    said = (
        T(f"本月已发放的薪酬批次：{part['runs']} 个。", f"Pay runs released for the month: {part['runs']}.")
        if part["runs"]
        else T("本月薪酬尚未发放。", "The month's pay has not been released.")
    )
    figures: tuple[tuple[Text, Cell, ColumnKind], ...] = (
        (T("月度奖金合计", "Monthly bonus, total"), sum(r[2] for r in rows), "money"),
        (T("应发合计", "Total pay"), sum(r[3] for r in rows), "money"),
    )
    chart = Chart("column", T("月度奖金与奖金池", "Monthly bonus and pool"), table, 0, (2, 4))
    return Section(
        "pay", T("九、绩效薪酬", "9. Performance pay"), (said,), (table,), (chart,) if rows else (), figures
    )
