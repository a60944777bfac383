"""The preview on stored data: the version in force reproduces exactly what the close stored
(score, grade, bonus) — the proof that the preview is the close's batch engine — and a version
that moves one weight moves the expected people and names that indicator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.cycles.results.models import Result
from jixiao.cycles.tests.more_people import add_people
from jixiao.pay.monthly.models import MonthlyPayLine
from jixiao.plans import services as plans
from jixiao.reports.impact.preview import impact_of
from jixiao.reports.impact.selectors import impact_page

from .world import new_version, paid_cycle

pytestmark = pytest.mark.django_db


def _stored() -> dict[tuple[str, str], tuple[int, str]]:
    rows = Result.objects.values_list(
        "cycle__label", "member__employee__number", "total_milli", "engine_grade"
    )
    return {(label, number): (total, grade) for label, number, total, grade in rows}


def test_the_version_in_force_reproduces_the_stored_scores_grades_and_bonuses(personas: Any) -> None:
    paid_cycle(personas)
    plan = new_version(personas, {"conversion": "10", "satisfaction": "40"})
    impact = impact_of(plan, 3)
    stored = _stored()
    assert {r.cycle_label for r in impact.rows} == {"2026-08", "2026-09", "2026-10"}
    assert len(impact.rows) == 9
    for r in impact.rows:
        total, grade = stored[(r.cycle_label, r.number)]
        assert (int(r.old_total * 1000), r.old_grade) == (total, grade), r
    paid = dict(MonthlyPayLine.objects.values_list("employee__number", "monthly_bonus_fen"))
    october = [r for r in impact.rows if r.cycle_label == "2026-10"]
    assert {r.number: r.old_bonus for r in october} == paid
    assert all(r.old_bonus is None for r in impact.rows if r.cycle_label != "2026-10")  # no pay run


def test_an_unchanged_new_version_changes_nothing(personas: Any) -> None:
    paid_cycle(personas)
    impact = impact_of(new_version(personas), 3)
    assert all(
        (r.new_total, r.new_grade, r.new_bonus) == (r.old_total, r.old_grade, r.old_bonus)
        for r in impact.rows
    )


def test_moving_weight_from_conversion_to_satisfaction_moves_the_expected_people(personas: Any) -> None:
    paid_cycle(personas)
    impact = impact_of(new_version(personas, {"conversion": "10", "satisfaction": "40"}), 3)
    moved = {(r.cycle_label, r.number): r for r in impact.rows if r.grade_changed}
    assert set(moved) == {("2026-10", "P001"), ("2026-10", "P002")}
    seller, helper = moved[("2026-10", "P001")], moved[("2026-10", "P002")]
    # The seller converts 30 % (full marks) and satisfies 82 (60 points): down from B to C.
    assert (seller.old_grade, seller.new_grade, seller.old_total, seller.new_total) == (
        "B", "C", Decimal("81.50"), Decimal("73.50"),
    )  # fmt: skip
    assert seller.mover is not None and seller.mover.zh == "转化率" and seller.mover_change == Decimal("-20")
    assert (
        helper.mover is not None and helper.mover.zh == "客户满意度" and helper.mover_change == Decimal("20")
    )
    # Bonus: 1,000.00 × 95 % × coefficient — C 0.8 and A 1.2 instead of B 1.0 — to the fen.
    assert (seller.old_bonus, seller.new_bonus) == (95_000, 76_000)
    assert (helper.old_bonus, helper.new_bonus) == (95_000, 114_000)


def test_a_new_indicator_without_data_is_shown_as_no_data(personas: Any) -> None:
    plan = new_version(personas)
    callback = {
        "key": "callback", "name_zh": "回访完成率", "kind": "ratio", "category": "performance",
        "weight": "5", "target": "1", "measure": "callback_rate", "source": "import",
    }  # fmt: skip
    plan = plans.plan_indicator_save(
        user=personas["head"], plan=plan, index=None, indicator=callback, version=plan.version
    )
    impact = impact_of(plan, 2)
    added = next(c for c in impact.changes if c.name.zh == "回访完成率")
    assert added.old_weight is None and added.with_data == 0
    assert all(any(t.zh == "回访完成率" for t in r.no_data) for r in impact.rows)
    assert impact.missing_rule.zh.startswith("没有数据：按框架的缺数据规则计 0 分")  # the persona framework


def test_the_preview_is_cached_until_a_result_changes(personas: Any) -> None:
    paid_cycle(personas)
    plan = new_version(personas, {"conversion": "10", "satisfaction": "40"})
    first = impact_of(plan, 3)
    with CaptureQueriesContext(connection) as cached:
        again = impact_of(plan, 3)
    assert again == first and len(cached) <= 4  # the cycles and the fingerprint only
    result = Result.objects.filter(cycle__label="2026-10", member__employee__number="P001").get()
    Result.objects.filter(pk=result.pk).update(revision=2, inputs={"measures": {}, "ratings": []})
    changed = impact_of(plan, 3)
    assert changed != first
    assert next(r for r in changed.rows if (r.cycle_label, r.number) == ("2026-10", "P001")).old_total == 10
    # with no inputs left, only the weighted deduction for errors keeps its 10 points


def _queries(user: Any, pk: int) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        page = impact_page(user=user, pk=pk, n="3")
    assert not page.error
    return len(queries)


def test_queries_do_not_grow_with_people(personas: Any) -> None:
    cycle = paid_cycle(personas)
    plan = new_version(personas, {"conversion": "10", "satisfaction": "40"})
    few = _queries(personas["hr"], plan.pk)
    add_people(cycle, 25)
    assert _queries(personas["hr"], plan.pk) == few


def test_each_cycle_is_checked_against_the_quotas_old_and_new(personas: Any) -> None:
    cycle = paid_cycle(personas)
    plan = new_version(personas, {"conversion": "10", "satisfaction": "40"})
    small = [q for q in impact_of(plan, 1).quotas if q.cycle_label == "2026-10"]
    assert small and all(q.exempt for q in small)  # three people: below the framework's group of 10
    add_people(cycle, 10)  # copies of the seller: B under the old version, C under the new
    quotas = {(q.grade, q.limit): q for q in impact_of(plan, 1).quotas}
    a, d = quotas[("A", "max")], quotas[("D", "min")]
    assert not a.exempt and (a.old_count, a.new_count, a.allowed) == (0, 1, 3)  # 20 % of 13, half-up
    assert (d.old_count, d.new_count, d.allowed, d.old_ok) == (1, 1, 1, True)  # 5 % of 13 → 1
