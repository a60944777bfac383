"""The employee's result reads like a payslip (issue 11 item 5): one row per indicator with
目标, 实际, 完成度, 权重, 得分 rounded for display, caps called 封顶, percent targets as
percents, the derivation behind a toggle; in English the same table in English."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from jixiao.cycles.lifecycle import services
from jixiao.cycles.results import selectors
from jixiao.cycles.results.models import Result
from jixiao.cycles.tests.helpers import closed_cycle, member_of, summaries_checked

pytestmark = pytest.mark.django_db


def _published(personas: Any) -> Result:
    cycle = closed_cycle(personas)
    summaries_checked(personas, cycle)
    for action in ("submit_summaries", "hr_check", "publish"):
        if action == "publish":
            services.cycle_verify(user=personas["leader"], cycle=cycle)
        cycle = services.cycle_transition(user=personas["hr"], cycle=cycle, action=action)
    return Result.objects.get(member=member_of(personas, cycle))


def test_the_rows_follow_the_plan_with_rounded_figures(personas: Any) -> None:
    result = _published(personas)
    page = selectors.result_page(user=personas["employee"], pk=result.pk)
    rows = {row.key: row for row in page.rows}
    assert list(rows) == [i.key for i in page.explained.plan.indicators]
    conversion = rows["conversion"]
    assert conversion.name == "转化率" and conversion.target.endswith(" %")
    assert not conversion.target.startswith("0.")  # 30 %, never 0.30 %
    for row in page.rows:  # every figure at most two decimals
        for figure in (row.actual, row.achievement, row.points):
            assert not re.search(r"\d\.\d{3,}", figure), (row.key, figure)
    weighted = sum(
        page.explained.person.contributions[k] or 0 for k in rows if k in page.explained.person.contributions
    )
    assert weighted == page.explained.person.weighted  # the exact values stay with the engine


def test_a_capped_indicator_says_so_in_the_table_and_the_trace(personas: Any) -> None:
    result = _published(personas)
    inputs = result.inputs  # far more orders than inquiries × target: conversion held at its cap
    inputs["measures"] = {**inputs["measures"], "orders": "300", "inquiries": "700"}
    Result.objects.filter(pk=result.pk).update(inputs=inputs)
    page = selectors.result_page(user=personas["employee"], pk=result.pk)
    capped = [row for row in page.rows if row.capped]
    assert capped, [(row.key, row.achievement) for row in page.rows]
    lines = "\n".join(page.steps)
    assert not re.search(r"\d\.\d{7,}", lines), "the trace prints long decimals"
    for row in capped:
        step = next(line for line in page.steps if row.name in line and "达成率" in line)
        assert "封顶为" in step and "四舍五入" not in step, step


def test_the_page_shows_the_table_and_the_derivation_behind_a_toggle(personas: Any, client_for: Any) -> None:
    result = _published(personas)
    html = client_for("employee").get(reverse("cycles:result_detail", args=[result.pk])).content.decode()
    table = html[html.index('id="result-table"') : html.index("</table>", html.index('id="result-table"'))]
    for header in ("指标", "目标", "实际", "完成度", "权重", "得分"):
        assert f">{header}</th>" in table
    assert "转化率" in table and "0.30 %" not in html
    assert '<details id="derivation">' in html and 'id="trace"' in html
    client = client_for("employee")
    client.cookies["django_language"] = "en"
    body = client.get(
        reverse("cycles:result_detail", args=[result.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert '<html lang="en"' in body
    for header in ("Indicator", "Target", "Actual", "Achievement", "Weight", "Points"):
        assert f">{header}</th>" in body


def test_the_english_rows_are_in_english(personas: Any) -> None:
    result = _published(personas)
    with translation.override("en"):
        page = selectors.result_page(user=personas["employee"], pk=result.pk)
    for row in page.rows:
        assert "上级评分" not in row.actual and "；" not in row.actual
