"""The monthly report's transition table: generated (again) while a draft, published by HR;
published, it never changes (later corrections are notes beside it, ``ReportCorrection``)."""

from __future__ import annotations

from typing import Any

from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .models import MonthlyReport, State


def has_figures(report: MonthlyReport, user: Any) -> None:
    if not report.snapshot:
        raise JixiaoError(
            zh="月报尚未生成数据，不能发布。",
            en="The report has no figures yet; generate it first.",
            status=409,
        )


def has_conclusion(report: MonthlyReport, user: Any) -> None:
    if not report.conclusion.strip():
        raise JixiaoError(
            zh="发布前请先撰写结论。",
            en="Write the conclusion before publishing.",
            code="conclusion",
            status=409,
        )


REPORT_WORKFLOW = Workflow(
    name="monthly_report",
    model=MonthlyReport,
    field="state",
    labels={State.DRAFT: Text("草稿", "Draft"), State.PUBLISHED: Text("已发布", "Published")},
    transitions=(
        Transition(
            "regenerate",
            [State.DRAFT],
            State.DRAFT,
            "monthly_report.regenerate",
            Text("重新生成", "Generate again"),
        ),
        Transition(
            "publish",
            [State.DRAFT],
            State.PUBLISHED,
            "monthly_report.publish",
            Text("发布", "Publish"),
            guards=(has_figures, has_conclusion),
        ),
    ),
)
