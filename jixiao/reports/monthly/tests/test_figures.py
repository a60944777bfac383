"""Every figure of the monthly report reconciles with the records it summarises: each is
computed here a second way (plain ORM filters over the lists) and compared."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jixiao.cases.appeals.models import Appeal
from jixiao.cases.appeals.tests.world import filed_appeal
from jixiao.cases.concerns.models import Concern
from jixiao.cycles.entry.models import Score
from jixiao.cycles.lifecycle.models import CycleMember
from jixiao.cycles.results.models import Result
from jixiao.engine.report_figures import spread_of
from jixiao.pay.monthly.models import MonthlyPayLine
from jixiao.pay.monthly.tests.world import MONTH as PAY_MONTH
from jixiao.pay.monthly.tests.world import released_run
from jixiao.reports.monthly import snapshot
from jixiao.reports.monthly.sections import CASE_KINDS, report_sections

pytestmark = pytest.mark.django_db
MONTH = "2026-08"  # the persona cycle 2026-08: published, three people in two departments


def test_coverage_grades_and_scores_reconcile_with_results(personas: Any) -> None:
    data = snapshot.build(MONTH)
    cycles = snapshot.month_cycles(MONTH)
    assert [c.label for c in cycles] == ["2026-08"]
    for d, members, results, scores, on_time in data["coverage"]["rows"]:
        assert members == CycleMember.objects.filter(cycle__in=cycles, department_id=d).count()
        assert results == Result.objects.filter(cycle__in=cycles, member__department_id=d).count()
        assert scores == Score.objects.filter(member__cycle__in=cycles, member__department_id=d).count()
        assert 0 <= on_time <= scores
    assert (
        sum(r[1] for r in data["coverage"]["rows"])
        == CycleMember.objects.filter(cycle__in=cycles).count()
        > 2
    )
    for row in data["grades"]["rows"]:
        for grade, n in row["counts"].items():
            assert (
                n
                == Result.objects.filter(
                    cycle__in=cycles, member__department_id=row["d"], grade=grade
                ).count()
            )
    everyone = Result.objects.filter(cycle__in=cycles).count()
    assert sum(n for row in data["grades"]["rows"] for n in row["counts"].values()) == everyone > 2
    for d, n, mean, median, low, high, _ in data["scores"]["rows"]:
        totals = sorted(
            Result.objects.filter(cycle__in=cycles, member__department_id=d).values_list(
                "total_milli", flat=True
            )
        )
        assert n == len(totals)
        assert Decimal(low) == (Decimal(totals[0]) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        assert Decimal(high) == (Decimal(totals[-1]) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        middle = (Decimal(totals[(n - 1) // 2]) + Decimal(totals[n // 2])) / 2000
        assert Decimal(median) == middle.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        assert Decimal(mean) == (Decimal(sum(totals)) / len(totals) / 1000).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def test_appeals_counted_with_the_month_s_cycles(personas: Any) -> None:
    filed_appeal(personas)
    data = snapshot.build(MONTH)
    counted = {(row[1], row[2]): row[3] for row in data["cases"]["counts"] if row[0] == "appeal"}
    cycles = snapshot.month_cycles(MONTH)
    assert counted[(None, "open")] == Appeal.objects.filter(cycle__in=cycles).count() == 1
    department = personas.department.pk
    assert (
        counted[(department, "open")]
        == Appeal.objects.filter(cycle__in=cycles, result__member__department_id=department).count()
    )
    assert snapshot.build("2026-09")["cases"]["counts"] == []  # appeals of 2026-08 only in 2026-08


def test_pay_totals_to_the_fen_equal_the_released_lines(personas: Any) -> None:
    run = released_run(personas)
    data = snapshot.build(PAY_MONTH)
    lines = MonthlyPayLine.objects.filter(run=run)
    assert data["pay"]["runs"] == 1
    assert sum(r[3] for r in data["pay"]["rows"]) == lines.aggregate(t=Sum("total_fen"))["t"]
    assert sum(r[2] for r in data["pay"]["rows"]) == lines.aggregate(t=Sum("monthly_bonus_fen"))["t"]
    for d, n, bonus, total, pool in data["pay"]["rows"]:
        assert n == lines.filter(department_id=d).count()
        assert total == lines.filter(department_id=d).aggregate(t=Sum("total_fen"))["t"]
        assert bonus == lines.filter(department_id=d).aggregate(t=Sum("monthly_bonus_fen"))["t"]
        assert pool == sum(b["pool_fen"] for b in run.budget if b["department"] == d)
    pay = next(s for s in report_sections(data) if s.key == "pay")
    assert pay.figures[1][1] == lines.aggregate(t=Sum("total_fen"))["t"]


def _allegation(personas: Any, subject: str, n: int) -> None:
    for i in range(n):
        Concern.objects.create(
            kind="allegation", anonymous=True, subject=personas.employees[subject], title=f"举报 {i}",
            text="事实", step_began=timezone.localdate(), content_sha256=f"{subject}{i}",
        )  # fmt: skip


def test_a_department_with_fewer_than_three_allegations_shows_no_breakdown(personas: Any) -> None:
    _allegation(personas, "employee", 2)  # sales: 2, withheld
    _allegation(personas, "worker", 3)  # plant: 3, shown
    month = f"{timezone.localdate():%Y-%m}"
    data = snapshot.build(month)
    rows = [r for r in data["cases"]["counts"] + data["cases"]["durations"] if r[0] == "allegation"]
    assert {r[1] for r in rows} == {None, personas.other_department.pk}
    total = sum(r[3] for r in data["cases"]["counts"] if r[0] == "allegation" and r[1] is None)
    assert total == Concern.objects.filter(kind="allegation").count() == 5
    assert data["cases"]["withheld"] == 1
    # The sales head's view of the same snapshot shows no allegation at all.
    cases = next(s for s in report_sections(data, "", {personas.department.pk}) if s.key == "cases")
    assert not [row for t in cases.tables[1:] for row in t.rows if row[0] == CASE_KINDS["allegation"]]
    assert "reporter" not in str(data) and "p_" not in str(data)


def test_spread_of_counts_matches_the_list() -> None:
    values = [70_000, 80_500, 80_500, 91_250, 99_999]
    s = spread_of((v, 1) for v in values)
    assert s is not None
    assert (s.count, s.median, s.low, s.high) == (5, Decimal("80.5"), Decimal("70.0"), Decimal("100.0"))
    assert s.mean == Decimal("84.4")


def test_counting_takes_the_same_queries_whatever_the_rows(personas: Any) -> None:
    month = f"{timezone.localdate():%Y-%m}"
    _allegation(personas, "worker", 1)
    with CaptureQueriesContext(connection) as few:
        snapshot.build(month)
    _allegation(personas, "employee", 5)
    _allegation(personas, "worker", 4)
    with CaptureQueriesContext(connection) as many:
        snapshot.build(month)
    assert len(many.captured_queries) == len(few.captured_queries)
    with CaptureQueriesContext(connection) as one_cycle:
        snapshot.build(MONTH)
    filed_appeal(personas)
    with CaptureQueriesContext(connection) as with_appeal:
        snapshot.build(MONTH)
    assert len(with_appeal.captured_queries) == len(one_cycle.captured_queries)


@pytest.mark.parametrize(
    "bad", ["2026-13", "1e30", "nan", "-1", "2026-00", "99999-01", "x" * 20_000, "", "2026-1"]
)
def test_a_month_that_is_not_one_is_refused_in_both_languages(bad: str) -> None:
    from jixiao.common.errors import JixiaoError

    with pytest.raises(JixiaoError) as refused:
        snapshot.parse_month(bad)
    assert refused.value.status == 400
    assert "2026-10" in refused.value.zh and "2026-10" in refused.value.en
    assert len(refused.value.zh) < 200


def test_plan_reviews_count_comments_and_lint_with_the_same_queries_whatever_the_plans(personas: Any) -> None:
    from jixiao.plans.models import Plan, ReviewComment

    month = f"{timezone.localdate():%Y-%m}"
    plans = list(Plan.objects.order_by("pk"))
    assert len(plans) >= 3
    ReviewComment.objects.create(plan=plans[0], round=1, text="目标值偏低", author=personas["hr"])
    with CaptureQueriesContext(connection) as one:
        first = snapshot.plan_reviews(month)
    for plan in plans[1:]:
        ReviewComment.objects.create(
            plan=plan, round=1, text="权重请说明", author=personas["hr"], answer="已说明"
        )
    with CaptureQueriesContext(connection) as every:
        rows = snapshot.plan_reviews(month)["rows"]
    assert len(every.captured_queries) == len(one.captured_queries)
    assert sum(r[2] for r in first["rows"]) == 1
    assert sum(r[2] for r in rows) == ReviewComment.objects.count() == len(plans)
    assert sum(r[3] for r in rows) == ReviewComment.objects.exclude(answer="").count() == len(plans) - 1
