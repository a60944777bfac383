"""Monthly reports of the persona company: a draft for the closed persona cycle 2026-10 and a
published report for 2026-09 (reused when asked again in one database)."""

from __future__ import annotations

from typing import Any

from jixiao.reports.monthly import services
from jixiao.reports.monthly.models import MonthlyReport

DRAFT_MONTH = "2026-10"
PUBLISHED_MONTH = "2026-09"


def draft_report(p: Any) -> MonthlyReport:
    from jixiao.cycles.tests.helpers import closed_cycle

    found = MonthlyReport.objects.filter(month=DRAFT_MONTH).first()
    if found is not None:
        return found
    closed_cycle(p)
    return services.report_generate(user=p["hr"], month=DRAFT_MONTH, render=())


def published_report(p: Any) -> MonthlyReport:
    found = MonthlyReport.objects.filter(month=PUBLISHED_MONTH).first()
    if found is not None:
        return found
    report = services.report_generate(user=p["hr"], month=PUBLISHED_MONTH, render=())
    report = services.report_conclusion_save(
        user=p["hr"], report=report, conclusion="本月考核工作平稳。", version=report.version
    )
    return services.report_publish(user=p["hr"], report=report, version=report.version)
