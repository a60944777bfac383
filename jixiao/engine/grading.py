"""Grades, ranks and forced distribution (等级、排名与强制分布).

- **Grade**: the best grade whose ``min_score`` the total reaches (grades are listed best
  first); a veto caps it at the veto's grade (the worse of the two wins).
- **Rank**: standard competition ranking (1, 2, 2, 4): equal totals share a rank and the
  next rank skips; higher totals rank first. Ranks are computed within each group.
- **Forced distribution** (强制分布): per group and grade, the quota count is
  ``round_half_up(share × group size)`` — the one rounding rule — for both "at most"
  (``quota_max``) and "at least" (``quota_min``) quotas. Groups smaller than the
  framework's ``quota_min_group`` are exempt (小团队豁免).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .indicators import to_milli
from .money import round_half_up
from .types import Framework


@dataclass(frozen=True)
class GradeColumns:
    grade: list[str]
    coefficient: list[Decimal]
    capped_by_veto: list[bool]


def grade_for(framework: Framework, total: Decimal) -> str:
    """The best grade whose minimum ``total`` reaches (the last grade if none)."""
    for grade in framework.grades:
        if total >= grade.min_score:
            return grade.key
    return framework.grades[-1].key


def grade_batch(
    framework: Framework, totals: Sequence[int], caps: Sequence[str | None] | None = None
) -> GradeColumns:
    """Grade totals given in milli-points (``BatchResult.total``), applying veto caps."""
    mins = [(to_milli(g.min_score), g.key) for g in framework.grades]
    order = {g.key: i for i, g in enumerate(framework.grades)}
    coefficient = {g.key: g.coefficient for g in framework.grades}
    last = framework.grades[-1].key
    grades: list[str] = []
    capped: list[bool] = []
    for i, total in enumerate(totals):
        key = next((k for m, k in mins if total >= m), last)
        cap = caps[i] if caps is not None else None
        if cap is not None and order[cap] > order[key]:
            grades.append(cap)
            capped.append(True)
        else:
            grades.append(key)
            capped.append(False)
    return GradeColumns(grade=grades, coefficient=[coefficient[g] for g in grades], capped_by_veto=capped)


def rank_competition(values: Sequence[int | Decimal], groups: Sequence[str] | None = None) -> list[int]:
    """Rank by value, highest first, standard competition ranking (1, 2, 2, 4), within groups."""
    keyed = groups if groups is not None else [""] * len(values)
    by_group: dict[str, list[int]] = {}
    for i, g in enumerate(keyed):
        by_group.setdefault(g, []).append(i)
    ranks = [0] * len(values)
    for members in by_group.values():
        members.sort(key=lambda i: values[i], reverse=True)
        previous: int | Decimal | None = None
        rank = 0
        for position, i in enumerate(members, 1):
            if previous is None or values[i] != previous:
                rank = position
                previous = values[i]
            ranks[i] = rank
    return ranks


class QuotaStatus(StrEnum):
    OK = "ok"
    OVER = "over"  # 超出上限
    UNDER = "under"  # 低于下限


@dataclass(frozen=True)
class QuotaLine:
    grade: str
    count: int
    share: Decimal
    limit: str  # "max" | "min"
    quota_share: Decimal
    quota_count: int
    status: QuotaStatus

    @property
    def excess(self) -> int:
        """How many people over (positive) or under (negative) the quota."""
        return self.count - self.quota_count


@dataclass(frozen=True)
class GroupDistribution:
    group: str
    size: int
    exempt: bool
    counts: dict[str, int]
    lines: tuple[QuotaLine, ...]

    @property
    def ok(self) -> bool:
        return self.exempt or all(line.status is QuotaStatus.OK for line in self.lines)

    @property
    def problems(self) -> tuple[QuotaLine, ...]:
        return () if self.exempt else tuple(line for line in self.lines if line.status is not QuotaStatus.OK)


def quota_count(share: Decimal, size: int) -> int:
    """The number of people a share of a group allows or requires: half-up."""
    return int(round_half_up(share * size))


def check_distribution(
    framework: Framework, grades: Sequence[str], groups: Sequence[str] | None = None
) -> list[GroupDistribution]:
    """Compare each group's grade counts with the framework's quotas (see module rules)."""
    keyed = groups if groups is not None else [""] * len(grades)
    members: dict[str, list[str]] = {}
    for g, given in zip(keyed, grades, strict=True):
        members.setdefault(g, []).append(given)
    out: list[GroupDistribution] = []
    for group, its in members.items():
        size = len(its)
        counts = Counter(its)
        exempt = size < framework.quota_min_group
        lines: list[QuotaLine] = []
        for grade in framework.grades:
            count = counts.get(grade.key, 0)
            share = Decimal(count) / size if size else Decimal(0)
            if grade.quota_max is not None:
                limit = quota_count(grade.quota_max, size)
                status = QuotaStatus.OVER if count > limit else QuotaStatus.OK
                lines.append(QuotaLine(grade.key, count, share, "max", grade.quota_max, limit, status))
            if grade.quota_min is not None:
                limit = quota_count(grade.quota_min, size)
                status = QuotaStatus.UNDER if count < limit else QuotaStatus.OK
                lines.append(QuotaLine(grade.key, count, share, "min", grade.quota_min, limit, status))
        out.append(GroupDistribution(group, size, exempt, dict(counts), tuple(lines)))
    return out
