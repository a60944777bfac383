"""Integrity flags on real cycles built through the services (open, enter, close)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jixiao.common.errors import PermissionRefused
from jixiao.cycles.entry.services import actual_set, score_set
from jixiao.cycles.lifecycle import services
from jixiao.cycles.lifecycle.models import Cycle, CycleMember
from jixiao.integrity.selectors import cycle_flags
from jixiao.org.models import Employee

pytestmark = pytest.mark.django_db

# Measured indicators (conversion, satisfaction, response) at about 13.5 % and 100 % of their points.
LOW = {"orders": "5", "inquiries": "100", "satisfaction": "70", "response_seconds": "120"}
HIGH = {"orders": "40", "inquiries": "100", "satisfaction": "98", "response_seconds": "20"}
TEAM = ("employee", "colleague", "new1", "new2")


def team_cycle(personas: Any, *, deadline: str = "2099-12-31") -> tuple[Cycle, dict[str, CycleMember]]:
    """Sales with two more clerks under the head (four people the head rates), opened."""
    for n in (1, 2):
        personas.employees[f"new{n}"] = Employee.objects.create(
            number=f"N{n:03d}",
            name=f"新员工{n}",
            department=personas.department,
            position=personas.position,
            manager=personas.employees["head"],
            hire_date=dt.date(2024, 1, 1),
        )
    cycle = services.cycle_create(
        user=personas["hr"],
        label="2026-07",
        kind="month",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 7, 31),
        departments=[personas.department],
        deadlines={"open": deadline},
    )
    cycle = services.cycle_open(user=personas["hr"], cycle=cycle)
    members = {
        name: CycleMember.objects.select_related("snapshot").get(
            cycle=cycle, employee=personas.employees[name]
        )
        for name in TEAM
    }
    return cycle, members


def enter(personas: Any, member: CycleMember, actuals: dict[str, str], **levels: str) -> None:
    for key, value in actuals.items():
        actual_set(user=personas["hr"], member=member, measure_key=key, value=value)
    for indicator, level in levels.items():
        score_set(
            user=personas["head"], member=member, indicator_key=indicator, rater_kind="manager", value=level
        )


def flags(personas: Any, cycle: Cycle, user: str = "hr") -> dict[str, list[Any]]:
    return {g.kind: g.flags for g in cycle_flags(user=personas[user], cycle=cycle).groups}


def test_a_manager_who_gives_everyone_the_same_middling_scores_is_flagged(personas: Any) -> None:
    cycle, members = team_cycle(personas)
    for name in TEAM:
        enter(personas, members[name], HIGH, teamwork="good", attitude="fair")
    found = flags(personas, cycle)
    (flag,) = found["uniform"]
    assert flag.who == "测试head" and "新员工1" in flag.whom
    assert "给 4 人的评分完全相同" in flag.zh and "团队协作" in flag.zh and "80" in flag.zh
    assert "same scores to all 4 people" in flag.en
    assert not found["all_maximum"]


def test_one_person_scored_differently_clears_the_uniform_flag(personas: Any) -> None:
    cycle, members = team_cycle(personas)
    for name in TEAM:
        enter(personas, members[name], HIGH, teamwork="good", attitude="good" if name != "new2" else "fair")
    assert not flags(personas, cycle)["uniform"]


def test_all_top_levels_are_flagged_as_all_maximum_rather_than_uniform(personas: Any) -> None:
    cycle, members = team_cycle(personas)
    for name in TEAM:
        enter(personas, members[name], HIGH, teamwork="excellent", attitude="优")
    found = flags(personas, cycle)
    (flag,) = found["all_maximum"]
    assert "8 项等级评分全部是最高等级" in flag.zh and flag.who == "测试head"
    assert not found["uniform"]


def test_top_ratings_against_low_kpi_results_and_the_reverse_are_flagged_after_close(personas: Any) -> None:
    cycle, members = team_cycle(personas)
    enter(personas, members["employee"], LOW, attitude="excellent", teamwork="fair")
    enter(personas, members["colleague"], HIGH, attitude="poor", teamwork="good")
    enter(personas, members["new1"], HIGH, attitude="good", teamwork="good")
    assert not flags(personas, cycle)["evidence"]  # no results yet: nothing to compare with
    cycle = services.cycle_close_scoring(user=personas["hr"], cycle=cycle)
    found = {f.whom: f for f in flags(personas, cycle)["evidence"]}
    assert set(found) == {"测试employee", "测试colleague"}
    high, low = found["测试employee"], found["测试colleague"]
    assert "工作态度与成长=优" in high.zh and "13.5%" in high.zh and "低于 60%" in high.zh
    assert "工作态度与成长=差" in low.zh and "100.0%" in low.zh
    assert high.members[0][1] == members["employee"].result.pk


def test_a_team_graded_far_above_its_kpi_results_is_flagged_for_manager_and_department(personas: Any) -> None:
    cycle, members = team_cycle(personas)
    for name in ("employee", "colleague", "new1"):
        enter(personas, members[name], LOW, attitude="good", teamwork="good")
    enter(personas, members["new2"], LOW, attitude="fair", teamwork="excellent")
    cycle = services.cycle_close_scoring(user=personas["hr"], cycle=cycle)
    found = flags(personas, cycle)["team"]
    assert {f.whom for f in found} == {"测试head的下属", "销售部"}
    assert all("4 人" in f.zh and "13.5%" in f.zh and "阈值 20" in f.zh for f in found)


def test_a_team_whose_ratings_match_its_kpi_results_is_not_flagged(personas: Any) -> None:
    cycle, members = team_cycle(personas)
    for name in TEAM:
        enter(
            personas, members[name], HIGH, attitude="excellent" if name == "new1" else "good", teamwork="good"
        )
    cycle = services.cycle_close_scoring(user=personas["hr"], cycle=cycle)
    found = flags(personas, cycle)
    assert not found["team"] and not found["evidence"]


def test_entries_after_the_scoring_deadline_are_flagged_with_who_and_how_often(personas: Any) -> None:
    cycle, members = team_cycle(personas, deadline="2026-01-01")
    enter(personas, members["employee"], {"orders": "5"}, attitude="good")
    score_set(
        user=personas["head"],
        member=members["employee"],
        indicator_key="attitude",
        rater_kind="manager",
        value="excellent",
        expected_version=1,
    )
    found = {f.who: f for f in flags(personas, cycle)["late"]}
    assert set(found) == {"测试head", "测试hr"}
    assert "2026-01-01 之后为测试employee录入或修改了 1 项" in found["测试head"].zh
    assert "工作态度与成长=优" in found["测试head"].zh and "×2" in found["测试head"].zh
    assert "成交单数=5" in found["测试hr"].zh


def test_entries_before_the_deadline_or_without_one_are_not_late(personas: Any) -> None:
    cycle, members = team_cycle(personas)
    enter(personas, members["employee"], {"orders": "5"}, attitude="good")
    report = cycle_flags(user=personas["hr"], cycle=cycle)
    assert report.deadline == "2099-12-31" and not report.groups[3].flags
    cycle.deadlines = {}
    cycle.save()
    assert cycle_flags(user=personas["hr"], cycle=cycle).deadline is None


def test_the_flags_take_a_fixed_number_of_queries(personas: Any, django_assert_max_num_queries: Any) -> None:
    cycle, members = team_cycle(personas, deadline="2026-01-01")
    for name in TEAM:
        enter(personas, members[name], LOW, attitude="excellent", teamwork="excellent")
    cycle = services.cycle_close_scoring(user=personas["hr"], cycle=cycle)
    with django_assert_max_num_queries(9):
        report = cycle_flags(user=personas["hr"], cycle=cycle)
    assert report.total >= 4


@pytest.mark.parametrize("name", ["head", "other_head", "employee", "auditor", "finance"])
def test_only_hr_the_committee_and_admin_read_the_flags(personas: Any, name: str) -> None:
    cycle, _ = team_cycle(personas)
    with pytest.raises(PermissionRefused):
        cycle_flags(user=personas[name], cycle=cycle)
