"""The demo's data entry for one department in one month: actuals through the real import
service, scores seeded in bulk with one audit event per department and month
(``score.demo_seed``) — going cell by cell through ``score_set`` would write a few hundred audit
events for nothing. Closed months get complete data (every measure, every rater), so closing
finds nothing missing; the open month is part-way through.

Customer service keeps its original generator (same seed, same numbers); marketing and
production are generated from their plans' measures and rated indicators.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from jixiao.audit.services import audit_record
from jixiao.cycles.entry import imports
from jixiao.cycles.entry.models import Actual, Score
from jixiao.cycles.lifecycle.models import Cycle, CycleMember

from .story import Story

LEVELS = ["excellent", "good", "good", "good", "fair", "fair", "poor"]
Skill = dict[int, float]
Measures = Callable[[random.Random, float], dict[str, Any]]


def _cs_measures(rng: random.Random, s: float) -> dict[str, Any]:
    inquiries = rng.randint(180, 320)
    return {
        "inquiries": inquiries,
        "orders": int(inquiries * 0.3 * s),
        "satisfaction": f"{min(99.5, 78 + 17 * s):.1f}",
        "response_seconds": int(30 / s + rng.randint(-4, 6)),
        "costly_errors": 1 if rng.random() < 0.12 else 0,
        "praise": rng.choice([0, 0, 1, 1, 2, 3]),
        "data_leak": 0,
    }


def _mkt_measures(rng: random.Random, s: float) -> dict[str, Any]:
    return {
        "sales": int(1_000_000 * s * rng.uniform(0.85, 1.1)),
        "new_franchisees": max(0, round(2 * s + rng.choice([-1, 0, 0, 1]))),
        "collection_rate": f"{min(1.0, 0.86 + 0.1 * s * rng.uniform(0.95, 1.05)):.3f}",
    }


def _prd_measures(rng: random.Random, s: float) -> dict[str, Any]:
    return {
        "output": int(2000 * s * rng.uniform(0.9, 1.1)),
        "first_pass_yield": f"{min(0.998, 0.93 + 0.055 * s * rng.uniform(0.97, 1.03)):.3f}",
        "scrap_rate": f"{max(0.004, 0.034 - 0.016 * s * rng.uniform(0.9, 1.1)):.3f}",
        "safety_violations": rng.choice([0, 0, 0, 0, 1]),
        "suggestions": rng.choice([0, 0, 1, 1, 2]),
        "major_accident": 0,
    }


MEASURES: dict[str, Measures] = {"CS": _cs_measures, "MKT": _mkt_measures, "PRD": _prd_measures}


def actuals_enter(
    hr: Any,
    cycle: Cycle,
    code: str,
    members: list[CycleMember],
    skill: Skill,
    rng: random.Random,
    partial: bool,
) -> None:
    """Import the month's actuals for ``members`` (in the open month, a third still to come)."""
    rows: list[list[Any]] = [["工号", "数据项", "实际值"]]
    for i, m in enumerate(members):
        if partial and i % 3 == 0:
            continue  # the current month: some data still to come
        s = skill[m.employee_id] * rng.uniform(0.9, 1.1)
        rows += [[m.employee.number, key, value] for key, value in MEASURES[code](rng, s).items()]
    imports.actuals_import(user=hr, cycle=cycle, rows=rows)


def _level(skill: float, rng: random.Random) -> str:
    return LEVELS[max(0, min(len(LEVELS) - 1, int((1.15 - skill) * 12 + rng.randint(-1, 1))))]


def _head(members: list[CycleMember]) -> int:
    head_id = members[0].department.head_id
    if head_id is None:
        raise ValueError(f"{members[0].department} has no head to rate its people")
    return head_id


def cs_scores(members: list[CycleMember], skill: Skill, rng: random.Random, partial: bool) -> list[Score]:
    """Customer service: the head rates teamwork and attitude, a peer teamwork, each agent
    their own attitude (the open month: the head is half-way through the team)."""
    head_id = _head(members)
    scores: list[Score] = []
    for i, m in enumerate(members):
        if partial and i % 2 == 1:
            continue
        level = _level(skill[m.employee_id], rng)
        peer = members[(i + 1) % len(members)].employee_id
        scores += [
            Score(member=m, indicator_key="teamwork", rater_kind="manager", rater_id=head_id, value=level),
            Score(
                member=m,
                indicator_key="teamwork",
                rater_kind="peer",
                rater_id=peer,
                value=rng.choice(LEVELS[:5]),
            ),
            Score(member=m, indicator_key="attitude", rater_kind="manager", rater_id=head_id, value=level),
            Score(
                member=m,
                indicator_key="attitude",
                rater_kind="self",
                rater_id=m.employee_id,
                value=rng.choice(LEVELS[:3]),
            ),
        ]
    return scores


def plan_scores(
    members: list[CycleMember], skill: Skill, rng: random.Random, partial: bool, committee_id: int
) -> list[Score]:
    """Every rater of every rated indicator of the members' plan: the head as manager, the
    next colleague as peer, the person themselves, a committee member for the committee."""
    head_id = _head(members)
    scores: list[Score] = []
    for i, m in enumerate(members):
        if partial and i % 2 == 1:
            continue
        raters = {
            "manager": head_id,
            "peer": members[(i + 1) % len(members)].employee_id,
            "self": m.employee_id,
            "committee": committee_id,
        }
        level = _level(skill[m.employee_id], rng)
        for indicator in m.snapshot.plan_content.get("indicators", []):
            levels = [x["key"] for x in indicator.get("levels", [])]
            for kind in indicator.get("raters", []) if levels else []:
                value = (
                    level if kind in {"manager", "committee"} else rng.choice(["excellent", "good", "good"])
                )
                scores.append(
                    Score(
                        member=m,
                        indicator_key=indicator["key"],
                        rater_kind=kind,
                        rater_id=raters[kind],
                        value=value if value in levels else levels[1],
                    )
                )
    return scores


def scores_seed(hr: Any, cycle: Cycle, code: str, scores: list[Score]) -> None:
    Score.objects.bulk_create(scores)
    audit_record(
        actor=hr, action="score.demo_seed", obj=cycle, after={"department": code, "scores": len(scores)}
    )


def backdate(cycle: Cycle, day: Story, offset: int) -> None:
    """A closed month's data was entered during that month (before its deadline), not on the
    day the demo was loaded: otherwise every value would look like a late edit."""
    for model in (Actual, Score):
        rows = model.objects.filter(member__cycle=cycle)
        rows.update(created_at=day.moment(offset, 20), updated_at=day.moment(offset, 25))
