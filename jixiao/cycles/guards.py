"""Preconditions of cycle transitions beyond the state itself (§3).

``services.cycle_transition`` calls :func:`transition_check` under the cycle's row lock, inside
the transition's transaction, so a precondition checked here still holds when the state changes.
Each guard raises :class:`~jixiao.common.errors.JixiaoError` saying what is missing and who can
supply it. Features add their guard to ``GUARDS`` (one function per action).
"""

from __future__ import annotations

from collections.abc import Callable

from .models import Cycle

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


# Feature modules register their guards on import; importing them here registers them at startup.
from . import calibration  # noqa: E402, F401  (quotas before verify and publish)
