"""The integrity arithmetic, without a database: examples at and around every threshold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from jixiao.integrity import rules as r


def test_a_rater_who_gives_three_people_the_same_value_on_every_indicator_is_uniform() -> None:
    ratings = {"teamwork": {1: "80", 2: "80", 3: "80"}, "attitude": {1: "60", 2: "60", 3: "60"}}
    assert r.uniform_values(ratings) == {"attitude": "60", "teamwork": "80"}


def test_one_different_value_is_enough_to_clear_a_rater() -> None:
    assert r.uniform_values({"teamwork": {1: "80", 2: "80", 3: "100"}}) is None
    assert r.uniform_values({"a": {1: "80", 2: "80", 3: "80"}, "b": {1: "60", 2: "80", 3: "60"}}) is None


def test_two_people_are_too_few_to_call_scores_uniform() -> None:
    assert r.uniform_values({"teamwork": {1: "80", 2: "80"}}) is None
    # Indicators rated for fewer people are left out; the rest still decide.
    assert r.uniform_values({"a": {1: "80", 2: "80", 3: "80"}, "b": {1: "60", 2: "100"}}) == {"a": "80"}


def test_all_maximum_needs_three_scores_and_every_one_at_the_top() -> None:
    top = (D(100), D(100))
    assert r.all_maximum([top, top, top])
    assert not r.all_maximum([top, top])
    assert not r.all_maximum([top, top, (D(80), D(100))])


def test_share_caps_each_part_at_its_full_points_and_skips_missing_values() -> None:
    # 36 of 30 (ratio cap 120 %) counts as 30; the missing part is left out of the base.
    assert r.share([(36_000, 30_000), (10_000, 20_000), (None, 15_000)]) == D(80)
    assert r.share([(None, 10_000)]) is None
    assert r.share([(-5_000, 10_000), (10_000, 10_000)]) == D(50)


def test_a_top_rating_with_low_evidence_is_high_and_the_reverse_is_low() -> None:
    assert r.evidence_gap(D(90), D("59.9")) == "high"
    assert r.evidence_gap(D(90), D(60)) is None
    assert r.evidence_gap(D("89.9"), D(10)) is None
    assert r.evidence_gap(D(50), D(90)) == "low"
    assert r.evidence_gap(D(50), D("89.9")) is None
    assert r.evidence_gap(D(100), None) is None


def test_a_team_twenty_points_above_its_kpi_results_is_flagged() -> None:
    assert r.team_gap([(D(100), D(80)), (D(100), D(80)), (D(100), D(80))]) == (D(100), D(80), D(20))
    assert r.team_gap([(D(100), D("80.1"))] * 3) is None
    assert r.team_gap([(D(100), D(0))] * 2) is None


def test_the_deadline_day_counts_in_full_in_the_company_time_zone() -> None:
    end = r.deadline_end("2026-10-25", "Asia/Shanghai")
    assert end is not None
    assert end.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 16, 0, tzinfo=dt.UTC)
    assert r.deadline_end("soon", "Asia/Shanghai") is None


def test_percent_shows_one_decimal_rounded_half_up() -> None:
    assert r.percent(D("87.25")) == "87.3"
    assert r.percent(D(80)) == "80.0"
