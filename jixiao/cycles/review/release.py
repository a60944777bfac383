"""Release (结果开通, §3): what an employee is shown of their own published result (read side;
``services.cycle_release_set`` writes the settings).

HR sets it on the cycle before publishing: the total yes/no, the grade yes/no, and the rank
hidden / as a band ("前 20%") / in the department / in the department and the company. Those
who may see a result whole (``result.view_full``: HR, the committee, the department's head)
see everything; the employee sees what is released. A hidden total hides its calculation trace
too, since the trace adds up to it; a hidden grade hides the coefficient, which follows from it
(docs/decisions.md, "What the employee is shown").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from jixiao.access.actor import ActingUser
from jixiao.access.policy import can
from jixiao.cycles.lifecycle.models import Cycle, RankRelease
from jixiao.cycles.results.models import Result

# Bands in percent of the department, best first: rank r of n is in the first band b with r/n ≤ b%.
BANDS = (10, 20, 30, 50)


def rank_band(rank: int, size: int) -> int | None:
    """The smallest band (percent) that rank ``rank`` of ``size`` falls in; None: the lower half.

    The first-ranked is never told "lower half": in a department of one or two they are in the
    top half (``rank_band(1, 1) == 50``).
    """
    for band in BANDS:
        if rank * 100 <= band * size:
            return band
    return BANDS[-1] if rank == 1 else None


@dataclass(frozen=True)
class Shown:
    """What one viewer sees of one result."""

    full: bool
    total: bool
    grade: bool
    rank: str  # the rank as text for this viewer ("" when hidden)

    @property
    def trace(self) -> bool:
        return self.total


def _rank_text(cycle: Cycle, result: Result, department_size: int, company_size: int, full: bool) -> str:
    department = _("部门第 %(rank)d 名（共 %(size)d 人）") % {
        "rank": result.rank_department,
        "size": department_size,
    }
    company = _("公司第 %(rank)d 名（共 %(size)d 人）") % {"rank": result.rank_company, "size": company_size}
    mode = RankRelease.COMPANY if full else cycle.release_rank
    if mode == RankRelease.HIDDEN:
        return ""
    if mode == RankRelease.BAND:
        band = rank_band(result.rank_department, department_size)
        return _("部门前 %(band)d%%") % {"band": band} if band else _("部门后 50%")
    if mode == RankRelease.DEPARTMENT:
        return department
    return f"{department} · {company}"


def shown_many(*, user: ActingUser, results: Iterable[Result]) -> list[Result]:
    """Attach ``shown`` (a :class:`Shown`) to each result for ``user``; two queries for the sizes."""
    rows = list(results)
    cycle_ids = {r.cycle_id for r in rows}
    departments = {
        (row["cycle_id"], row["member__department_id"]): row["n"]
        for row in Result.objects.filter(cycle_id__in=cycle_ids)
        .values("cycle_id", "member__department_id")
        .annotate(n=Count("pk"))
    }
    companies = dict(
        Result.objects.filter(cycle_id__in=cycle_ids)
        .values("cycle_id")
        .annotate(n=Count("pk"))
        .values_list("cycle_id", "n")
    )
    for result in rows:
        full = can(user, "result.view_full", result)
        cycle = result.cycle
        size = departments.get((result.cycle_id, result.member.department_id), 1)
        rank = _rank_text(cycle, result, size, companies.get(result.cycle_id, 1), full)
        result.shown = Shown(  # type: ignore[attr-defined]
            full=full, total=full or cycle.release_score, grade=full or cycle.release_grade, rank=rank
        )
    return rows


def shown_to(*, user: ActingUser, result: Result) -> Shown:
    """What ``user`` (allowed to read ``result``) is shown of it."""
    shown: Shown = shown_many(user=user, results=[result])[0].shown  # type: ignore[attr-defined]
    return shown
