"""Signals of the cycle's life that wings above cycles listen to (they may not be imported here).

``cycle_locked`` is sent once the transaction that locked a cycle has committed, with the
locked ``cycle`` (people.rules runs its rules on it as a background job).
"""

from __future__ import annotations

from django.dispatch import Signal

cycle_locked = Signal()  # kwargs: cycle (the locked Cycle)
