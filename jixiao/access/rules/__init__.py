"""Every access rule, one module per subject, in one registry.

Each subject module (``org``, ``plans``, ``cycles``, ``review``, ``pay``) defines
``GLOBAL_RULES`` (actions about the whole system: ``rule(actor)``), ``OBJECT_RULES`` (actions on
one row: ``rule(actor, obj)``) and ``SCOPE_RULES`` (the same actions on a queryset, so that
``obj in scope(...)`` ⇔ ``can(...)``, proved by a property test). Default deny: an action with
no rule is refused. A new app adds a module here and lists it in ``SUBJECTS``; an action named
twice is an error at import, so no subject can quietly override another's rule.
"""

from __future__ import annotations

from typing import Any

from . import (
    analysis,
    appeals,
    cadres,
    concerns,
    cycles,
    exports,
    handbook,
    impact,
    improvement,
    monthly_reports,
    notifications,
    org,
    pay,
    people_rules,
    plans,
    raters,
    review,
    training,
    workplans,
)
from .kinds import GlobalRule, ObjectRule, ScopeRule

SUBJECTS = (
    org, plans, cycles, review, pay, appeals, concerns, notifications,
    people_rules, improvement, cadres, training, workplans, handbook,
    monthly_reports, analysis, impact, raters, exports,
)  # fmt: skip


def _merged(table: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for subject in SUBJECTS:
        rules: dict[str, Any] = getattr(subject, table)
        twice = merged.keys() & rules.keys()
        if twice:
            raise ImportError(f"{subject.__name__}.{table} names {sorted(twice)} again")
        merged |= rules
    return merged


GLOBAL_RULES: dict[str, GlobalRule] = _merged("GLOBAL_RULES")
OBJECT_RULES: dict[str, ObjectRule] = _merged("OBJECT_RULES")
SCOPE_RULES: dict[str, ScopeRule] = _merged("SCOPE_RULES")
