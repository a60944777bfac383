"""The cycle's row lock with its state guard (§3), shared by every wing that writes under it.

Kept apart from ``services`` so the wings (entry, review, calibration) and the guards listed
in ``workflow.CYCLE_WORKFLOW`` can lock the cycle without importing the table's services.
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.common.errors import JixiaoError
from jixiao.workflow.services import locked

from .models import Cycle


def cycle_locked(cycle_pk: int, states: Iterable[str] | None = None) -> Cycle:
    """Lock and return the cycle row; refuse unless it is in one of ``states``.

    Callers run inside ``transaction.atomic()``, so the state they checked is the state they
    write under (the state guard of SPEC §3).
    """
    cycle = locked(Cycle, cycle_pk)
    if states is not None:
        cycle_state_check(cycle, states)
    return cycle


def cycle_state_check(cycle: Cycle, states: Iterable[str]) -> None:
    """Refuse (409) unless the cycle is in one of ``states``."""
    if cycle.state not in set(states):
        raise JixiaoError(
            zh=f"周期 {cycle.label} 当前为“{cycle.get_state_display()}”，不能进行此操作。",
            en=f"Cycle {cycle.label} is {cycle.state}; this is not allowed now.",
            code="cycle_state",
            status=409,
        )
