"""Preconditions of cycle transitions beyond the state itself (§3).

``services.cycle_transition`` calls :func:`transition_check` under the cycle's row lock, inside
the transition's transaction, so a precondition checked here still holds when the state changes.
Each guard raises :class:`~jixiao.common.errors.JixiaoError` saying what is missing and who can
supply it. Features add their guard to ``GUARDS`` (one function per action).
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.common.errors import JixiaoError
from jixiao.org.models import Department

from .models import Cycle, CycleMember, DepartmentSummary

Guard = Callable[[Cycle], None]

GUARDS: dict[str, list[Guard]] = {}


def guard(action: str) -> Callable[[Guard], Guard]:
    """Register ``function`` as a precondition of ``action``."""

    def register(function: Guard) -> Guard:
        GUARDS.setdefault(action, []).append(function)
        return function

    return register


def transition_check(cycle: Cycle, action: str) -> None:
    """Raise unless every guard of ``action`` accepts ``cycle``."""
    for check in GUARDS.get(action, ()):
        check(cycle)


def _summary_gaps(cycle: Cycle, done: tuple[str, ...]) -> list[str]:
    """Names of the participating departments (those with members) whose summary is not in ``done``."""
    participating = CycleMember.objects.filter(cycle=cycle).values("department_id").distinct()
    ready = DepartmentSummary.objects.filter(cycle=cycle, status__in=done).values("department_id")
    missing = Department.objects.filter(pk__in=participating).exclude(pk__in=ready)
    return list(missing.order_by("sort_order", "pk").values_list("name", flat=True))


@guard("submit_summaries")
def every_summary_submitted(cycle: Cycle) -> None:
    """Every participating department's head has submitted the department summary (部门汇总)."""
    missing = _summary_gaps(cycle, ("submitted", "checked"))
    if missing:
        raise JixiaoError(
            zh=f"以下部门尚未提交部门汇总：{'、'.join(missing)}。请各部门负责人提交后再继续。",
            en=f"These departments have not submitted their summary: {', '.join(missing)}. "
            "Their heads submit it first.",
            code="summaries_missing",
            status=409,
        )


@guard("hr_check")
def every_summary_checked(cycle: Cycle) -> None:
    """HR has checked every participating department's summary (returned ones come back first)."""
    missing = _summary_gaps(cycle, ("checked",))
    if missing:
        raise JixiaoError(
            zh=f"以下部门的部门汇总尚未核对：{'、'.join(missing)}。请先逐一核对（或退回后待负责人重新提交）。",
            en=f"These departments' summaries are not checked yet: {', '.join(missing)}. "
            "Check each one (or return it and wait for the head to resubmit).",
            code="summaries_unchecked",
            status=409,
        )


# Feature modules register their guards on import; importing them here registers them at startup.
from . import calibration  # noqa: E402, F401  (quotas before verify and publish)
