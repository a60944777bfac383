"""The demo's reports: the published monthly report (绩效考核月报) of each closed month.

Generated and published as HR through the same service the background job and the command call
(``reports.monthly.services``), synchronously; the workbook and the PDF are not rendered here
(they are rendered and kept on first download), so the demo loads quickly."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from jixiao.reports.monthly import services

from .story import CLOSED, Story


def conclusion_of(data: dict[str, Any]) -> str:
    """A Chinese conclusion written from the month's figures, as HR would sum them up."""
    members = sum(row[1] for row in data["coverage"]["rows"])
    results = sum(row[2] for row in data["coverage"]["rows"])
    scores, on_time = (sum(row[i] for row in data["coverage"]["rows"]) for i in (3, 4))
    company = data["scores"].get("company")
    appeals = sum(r[3] for r in data["cases"]["counts"] if r[0] == "appeal" and r[1] is None)
    off = [r for r in data["grades"]["rows"] if r["off"]]
    pay_fen = sum(r[3] for r in data["pay"]["rows"])
    lines = [
        f"本月共考核 {members} 人，{results} 人已出结果；评分 {scores} 条，其中按时 {on_time} 条。",
        f"全公司平均分 {company[2]}，中位数 {company[3]}。" if company else "本月尚无考核结果。",
        f"等级分布有 {len(off)} 个部门与配额不符，已在校准中说明。" if off else "各部门等级分布均符合配额。",
        f"本月受理申诉 {appeals} 件，均按时限办理。" if appeals else "本月没有申诉。",
        f"已发放绩效薪酬合计 {Decimal(pay_fen) / 100:,.2f} 元。" if pay_fen else "本月绩效薪酬尚未发放。",
        "建议：各部门在下月考核前复核指标目标值，按时完成评分与月末汇总。",
    ]
    return "\n".join(lines)


def load_reports(day: Story) -> None:
    """Generate and publish the monthly report of each closed month, as HR."""
    hr = get_user_model().objects.get(username="hr")
    for offset in CLOSED:
        report = services.report_generate(user=hr, month=day.label(offset), render=())
        report = services.report_conclusion_save(
            user=hr, report=report, conclusion=conclusion_of(report.snapshot), version=report.version
        )
        services.report_publish(user=hr, report=report, version=report.version)
