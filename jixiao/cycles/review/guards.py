"""Guards of the cycle's transition table that belong to the review stage (§3).

``every_summary_submitted`` and ``every_summary_checked`` are listed in the rows of the cycle's
table (``cycles/lifecycle/workflow.py``: ``submit_summaries`` and ``hr_check``); they register
nothing. The table's service runs them under the cycle's row lock, inside the transition's
transaction, so what they checked still holds when the state changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.access.actor import ActingUser
from jixiao.common.errors import JixiaoError
from jixiao.cycles.lifecycle.models import Cycle, CycleMember
from jixiao.org.models import Department

from .models import SUMMARY_CHECKED, SUMMARY_UNDER_REVIEW, DepartmentSummary


def summary_gaps(cycle: Cycle, done: Iterable[str]) -> list[str]:
    """Names of the participating departments (those with members) whose summary is not in ``done``."""
    participating = CycleMember.objects.filter(cycle=cycle).values("department_id").distinct()
    ready = DepartmentSummary.objects.filter(cycle=cycle, status__in=list(done)).values("department_id")
    missing = Department.objects.filter(pk__in=participating).exclude(pk__in=ready)
    return list(missing.order_by("sort_order", "pk").values_list("name", flat=True))


def every_summary_submitted(cycle: Cycle, user: ActingUser) -> None:
    """Every participating department's head has submitted the department summary (部门汇总)."""
    missing = summary_gaps(cycle, SUMMARY_UNDER_REVIEW)
    if missing:
        raise JixiaoError(
            zh=f"以下部门尚未提交部门汇总：{'、'.join(missing)}。请各部门负责人提交后再继续。",
            en=f"These departments have not submitted their summary: {', '.join(missing)}. "
            "Their heads submit it first.",
            code="summaries_missing",
            status=409,
        )


def every_summary_checked(cycle: Cycle, user: ActingUser) -> None:
    """HR has checked every participating department's summary (returned ones come back first)."""
    missing = summary_gaps(cycle, SUMMARY_CHECKED)
    if missing:
        raise JixiaoError(
            zh=f"以下部门的部门汇总尚未核对：{'、'.join(missing)}。请先逐一核对（或退回后待负责人重新提交）。",
            en=f"These departments' summaries are not checked yet: {', '.join(missing)}. "
            "Check each one (or return it and wait for the head to resubmit).",
            code="summaries_unchecked",
            status=409,
        )
