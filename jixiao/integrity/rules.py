"""The arithmetic of the integrity flags (公正检查, SPEC §8): small pure functions, no queries.

``selectors.cycle_flags`` fetches a whole cycle once and calls these; each threshold is a named
constant here, and the page states it next to every flag (docs/decisions.md, "Integrity flags").
Shares are percentages of an indicator's full points (an achievement on the 0–100 scale, capped
at 100 so that a ratio's 120 % cap does not hide a low rating).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

HUNDRED = Decimal(100)

# A rater who gave everyone the same value: only meaningful on enough people.
UNIFORM_MIN_RATEES = 3
# A rater whose every rubric score is the top level: only on at least this many scores.
ALL_MAXIMUM_MIN_SCORES = 3
# Score far from the KPI evidence: a rating at or above HIGH_RATING % of the indicator's points
# while the member's measured indicators reach less than LOW_EVIDENCE % of theirs, or a rating
# at or below LOW_RATING % while the measured indicators reach HIGH_EVIDENCE % or more.
HIGH_RATING = Decimal(90)
LOW_EVIDENCE = Decimal(60)
LOW_RATING = Decimal(50)
HIGH_EVIDENCE = Decimal(90)
# A team graded far above its KPI results: at least TEAM_MIN_MEMBERS members with both shares,
# and the average rated share exceeds the average measured share by TEAM_GAP points or more.
TEAM_MIN_MEMBERS = 3
TEAM_GAP = Decimal(20)


def uniform_values(ratings: Mapping[str, Mapping[int, str]]) -> dict[str, str] | None:
    """One rater's ratings ``{indicator: {ratee: normalised value}}``: return ``{indicator:
    value}`` when every indicator the rater scored for at least ``UNIFORM_MIN_RATEES`` people
    got one and the same value from them, else None (also when no indicator reaches the count)."""
    considered = {key: set(by_ratee.values()) for key, by_ratee in ratings.items()}
    considered = {
        key: values for key, values in considered.items() if len(ratings[key]) >= UNIFORM_MIN_RATEES
    }
    if not considered or any(len(values) != 1 for values in considered.values()):
        return None
    return {key: next(iter(values)) for key, values in sorted(considered.items())}


def all_maximum(points: Sequence[tuple[Decimal, Decimal]]) -> bool:
    """``(points given, top points possible)`` for one rater's rubric scores: whether there are
    at least ``ALL_MAXIMUM_MIN_SCORES`` and every one is the top."""
    return len(points) >= ALL_MAXIMUM_MIN_SCORES and all(given >= top for given, top in points)


def share(parts: Iterable[tuple[int | None, int]]) -> Decimal | None:
    """``(contribution, full points)`` pairs in milli-points: the weighted share achieved, in
    percent (each part capped at its full points; parts with no value are left out). None when
    nothing is left."""
    got = full = 0
    for contribution, weight in parts:
        if contribution is None or weight <= 0:
            continue
        got += max(0, min(contribution, weight))
        full += weight
    if full == 0:
        return None
    return Decimal(got) * HUNDRED / Decimal(full)


def evidence_gap(rating: Decimal, measured: Decimal | None) -> str | None:
    """Compare one rating (percent of the indicator's points) with the member's measured share:
    ``"high"`` (rated top, evidence low), ``"low"`` (rated low, evidence high) or None."""
    if measured is None:
        return None
    if rating >= HIGH_RATING and measured < LOW_EVIDENCE:
        return "high"
    if rating <= LOW_RATING and measured >= HIGH_EVIDENCE:
        return "low"
    return None


def team_gap(pairs: Sequence[tuple[Decimal, Decimal]]) -> tuple[Decimal, Decimal, Decimal] | None:
    """``(rated share, measured share)`` per team member: ``(average rated, average measured,
    gap)`` when the team is large enough and graded ``TEAM_GAP`` points or more above its KPI
    results, else None."""
    if len(pairs) < TEAM_MIN_MEMBERS:
        return None
    rated = sum((r for r, _ in pairs), Decimal(0)) / len(pairs)
    measured = sum((m for _, m in pairs), Decimal(0)) / len(pairs)
    gap = rated - measured
    return (rated, measured, gap) if gap >= TEAM_GAP else None


def deadline_end(day: str, zone: str) -> dt.datetime | None:
    """The first moment after the deadline day ``"YYYY-MM-DD"`` in the company's time zone (a
    deadline day is included in full); None when the text is not a date."""
    try:
        date = dt.date.fromisoformat(day)
    except (TypeError, ValueError):
        return None
    return dt.datetime.combine(date + dt.timedelta(days=1), dt.time(0), tzinfo=ZoneInfo(zone))


def percent(value: Decimal) -> str:
    """A share as people read it: one decimal place, half-up (``"87.5"``)."""
    return str(value.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP"))
