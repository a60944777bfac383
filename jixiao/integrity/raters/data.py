"""Stored ratings → the engine's ``Rating`` rows (评分者分析). No queries here: the caller
fetched the scores and the members (``integrity.selectors._members``: plans and KPI shares).

Only rubric ratings are analysed (a level is points of the indicator's top level, via the
flags' own ``_rubric_points``); self-ratings are not ratings of others and are left out. The
person's KPI evidence is the weighted share their measured indicators achieved (``Member.measured``).
An indicator is its key: over a range of cycles the same key is one indicator (its levels are
read per plan, in percent of full points), so a peer who rates one person a month is still seen
giving the same level month after month.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jixiao.engine.raters import RaterResult, Rating, analyse

from ..flags import Member, _indicator, _rubric_points


def ratings_of(members: Mapping[int, Member], scores: Iterable[Mapping[str, Any]]) -> list[Rating]:
    """``scores``: rows with member_id, indicator_key, rater_kind, rater_id, value."""
    out = []
    for s in scores:
        if s["rater_kind"] == "self":
            continue
        member = members.get(s["member_id"])
        if member is None:
            continue
        ind = _indicator(member, s["indicator_key"])
        points = _rubric_points(ind, s["value"]) if ind is not None else None
        if points is None or points[1] <= 0:
            continue
        out.append(
            Rating(
                rater=str(s["rater_id"]),
                ratee=str(s["member_id"]),
                department=str(member.department_id),
                indicator=s["indicator_key"],
                given=points[0],
                top=points[1],
                evidence=member.measured,
            )
        )
    return out


def cycle_rater_flags(
    members: dict[int, Member], scores: list[dict[str, Any]], cycle_id: int
) -> list[tuple[str, RaterResult]]:
    """For the cycle's integrity flags: (rater name, result) for each rater with a flag."""
    names = {s["rater_id"]: s["rater__name"] for s in scores}
    ratings = ratings_of(members, scores)
    return [(names[int(r.rater)], r) for r in analyse(ratings).raters if r.flags]
