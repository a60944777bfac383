"""Cadre eligibility and the performance band: examples, and the property that a bad result never
makes anyone eligible."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.engine.eligibility import (
    Candidate,
    Record,
    Rule,
    eligibility,
    full_months,
    performance_band,
    window,
)

GRADES = ("A", "B", "C", "D")
TODAY = dt.date(2026, 12, 1)
QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def quarter(year: int, q: int, grade: str, veto: bool = False) -> Record:
    month, day = QUARTER_ENDS[q]
    return Record(f"{year}-Q{q}", "quarter", dt.date(year, month, day), grade, GRADES, veto)


def month(year: int, m: int, grade: str) -> Record:
    return Record(f"{year}-{m:02d}", "month", dt.date(year, m, 28), grade, GRADES)


FOUR_GOOD = (quarter(2025, 4, "B"), quarter(2026, 1, "B"), quarter(2026, 2, "A"), quarter(2026, 3, "B"))
RULE = Rule()  # the last 4 quarters at B or better, 24 months in post, no veto, no open plan


def test_eligible_with_every_figure_in_the_trace() -> None:
    found = eligibility(RULE, Candidate(FOUR_GOOD, dt.date(2023, 5, 1)), TODAY)
    assert found.eligible
    assert [c.key for c in found.conditions] == ["grades", "tenure", "veto", "plan"]
    grades = found.conditions[0]
    assert grades.figures.zh == "2025-Q4 B、2026-Q1 B、2026-Q2 A、2026-Q3 B → 符合"
    assert grades.figures.en == "2025-Q4 B, 2026-Q1 B, 2026-Q2 A, 2026-Q3 B → met"
    assert "2023-05-01" in found.conditions[1].figures.zh and "3 年 7 个月" in found.conditions[1].figures.zh


def test_each_condition_can_fail_alone() -> None:
    c_grade = (*FOUR_GOOD[:3], quarter(2026, 3, "C"))
    assert eligibility(RULE, Candidate(c_grade, dt.date(2020, 1, 1)), TODAY).unmet[0].key == "grades"
    assert (
        "2026-Q3 C 低于 B"
        in eligibility(RULE, Candidate(c_grade, dt.date(2020, 1, 1)), TODAY).unmet[0].figures.zh
    )
    short = eligibility(RULE, Candidate(FOUR_GOOD, dt.date(2025, 6, 1)), TODAY)
    assert [c.key for c in short.unmet] == ["tenure"]
    vetoed = (*FOUR_GOOD[:3], quarter(2026, 3, "B", veto=True))
    assert [c.key for c in eligibility(RULE, Candidate(vetoed, dt.date(2020, 1, 1)), TODAY).unmet] == ["veto"]
    plan = eligibility(RULE, Candidate(FOUR_GOOD, dt.date(2020, 1, 1), open_plan=True), TODAY)
    assert [c.key for c in plan.unmet] == ["plan"]
    unknown = eligibility(RULE, Candidate(FOUR_GOOD, None), TODAY)
    assert [c.key for c in unknown.unmet] == ["tenure"]


def test_too_few_results_and_the_window() -> None:
    found = eligibility(RULE, Candidate(FOUR_GOOD[:2], dt.date(2020, 1, 1)), TODAY)
    assert not found.eligible and "只有 2 个季度" in found.unmet[0].figures.zh
    # an old bad quarter outside the last four does not count; a future one is not yet there
    old_bad = (quarter(2024, 1, "D"), *FOUR_GOOD, quarter(2027, 1, "D"))
    assert eligibility(RULE, Candidate(old_bad, dt.date(2020, 1, 1)), TODAY).eligible
    assert window(old_bad, "quarter", 4, TODAY) == FOUR_GOOD
    # monthly results do not fill a quarterly window
    months = tuple(month(2026, m, "A") for m in range(1, 12))
    assert not eligibility(RULE, Candidate(months, dt.date(2020, 1, 1)), TODAY).eligible
    monthly = Rule(cycle_kind="month", cycle_count=6, min_grade="A", min_months_in_post=0, no_open_plan=False)
    assert eligibility(monthly, Candidate(months), TODAY).eligible
    assert [c.key for c in eligibility(monthly, Candidate(months), TODAY).conditions] == ["grades", "veto"]


def test_hire_date_is_not_shown() -> None:
    found = eligibility(RULE, Candidate(FOUR_GOOD, dt.date(2021, 3, 15), since_hire=True), TODAY)
    assert "2021" not in found.conditions[1].figures.zh and "按入职计" in found.conditions[1].figures.zh


def test_grade_missing_from_the_framework_is_not_met() -> None:
    odd = (*FOUR_GOOD[:3], Record("2026-Q3", "quarter", dt.date(2026, 9, 30), "S", GRADES))
    assert not eligibility(RULE, Candidate(odd, dt.date(2020, 1, 1)), TODAY).eligible


def test_full_months() -> None:
    assert full_months(dt.date(2024, 12, 1), dt.date(2026, 12, 1)) == 24
    assert full_months(dt.date(2024, 12, 2), dt.date(2026, 12, 1)) == 23
    assert full_months(dt.date(2027, 1, 1), dt.date(2026, 12, 1)) == 0


def test_rule_bounds() -> None:
    for bad in ({"cycle_kind": "week"}, {"cycle_count": 0}, {"cycle_count": 25}, {"min_months_in_post": -1}):
        with pytest.raises(ValueError):
            Rule(**bad)


def test_performance_band() -> None:
    assert performance_band(()).level == ""
    assert performance_band([quarter(2026, 1, "A"), quarter(2026, 2, "A")]).level == "high"
    band = performance_band([quarter(2026, 1, "A"), quarter(2026, 2, "B")])
    assert band.average == Fraction(5, 6) and band.level == "high" and "0.83" in band.figures.zh
    assert performance_band([quarter(2026, 1, "B")]).level == "medium"
    assert performance_band([quarter(2026, 1, "C")]).level == "medium"
    assert performance_band([quarter(2026, 1, "C"), quarter(2026, 2, "D")]).level == "low"


# --- property: adding a bad result never makes someone eligible ---------------------------------

records = st.builds(
    Record,
    label=st.sampled_from([f"{y}-Q{q}" for y in (2024, 2025, 2026) for q in (1, 2, 3, 4)]),
    kind=st.sampled_from(["quarter", "month"]),
    end=st.dates(dt.date(2024, 1, 1), dt.date(2027, 3, 31)),
    grade=st.sampled_from([*GRADES, "S"]),
    grades=st.just(GRADES),
    veto=st.booleans(),
)
rules = st.builds(
    Rule,
    cycle_kind=st.sampled_from(["quarter", "month"]),
    cycle_count=st.integers(1, 6),
    min_grade=st.sampled_from(GRADES),
    min_months_in_post=st.integers(0, 48),
    no_veto=st.booleans(),
    no_open_plan=st.booleans(),
)


@given(
    rule=rules,
    history=st.lists(records, max_size=12),
    since=st.none() | st.dates(dt.date(2015, 1, 1), dt.date(2026, 12, 1)),
    open_plan=st.booleans(),
    bad=records,
)
def test_adding_a_bad_result_never_makes_anyone_eligible(
    rule: Rule, history: list[Record], since: dt.date | None, open_plan: bool, bad: Record
) -> None:
    fails_grade = not bad.at_least(rule.min_grade)
    fails_veto = rule.no_veto and bad.veto
    if not (fails_grade or fails_veto):
        bad = Record(bad.label, bad.kind, bad.end, "D" if rule.min_grade != "D" else "S", GRADES, bad.veto)
    before = eligibility(rule, Candidate(tuple(history), since, open_plan=open_plan), TODAY)
    after = eligibility(rule, Candidate((*history, bad), since, open_plan=open_plan), TODAY)
    assert not (after.eligible and not before.eligible)


@given(
    rule=rules, history=st.lists(records, max_size=12), since=st.none() | st.dates(dt.date(2015, 1, 1), TODAY)
)
def test_the_verdict_is_every_condition_met(rule: Rule, history: list[Record], since: dt.date | None) -> None:
    found = eligibility(rule, Candidate(tuple(history), since), TODAY)
    assert found.eligible == all(c.met for c in found.conditions)
    assert all(c.figures.zh.endswith(("符合", "不符合")) for c in found.conditions)
