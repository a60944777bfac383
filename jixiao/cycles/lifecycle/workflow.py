"""The cycle's state machine as data (§3): each row is one transition and its permission.

``services`` has one function per row; each applies it under a row lock on the cycle, in one
transaction with its audit event. Closing scoring also computes every result
(``calculation.results_calculate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import State


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    permission: str
    label: Any


TRANSITIONS: tuple[Transition, ...] = (
    Transition("open", State.PLANNING, State.OPEN, "cycle.manage", _("开始录入与评分")),
    Transition("close_scoring", State.OPEN, State.SCORING_CLOSED, "cycle.manage", _("截止评分并计算结果")),
    Transition(
        "submit_summaries",
        State.SCORING_CLOSED,
        State.SUMMARIES_SUBMITTED,
        "cycle.manage",
        _("部门汇总已提交"),
    ),
    Transition(
        "hr_check", State.SUMMARIES_SUBMITTED, State.HR_CHECKED, "cycle.manage", _("人力资源部核对完成")
    ),
    Transition("verify", State.HR_CHECKED, State.VERIFIED, "cycle.verify", _("考核小组核实")),
    Transition("publish", State.VERIFIED, State.PUBLISHED, "cycle.manage", _("公布结果")),
    Transition("lock", State.PUBLISHED, State.LOCKED, "cycle.manage", _("锁定周期")),
)
BY_ACTION = {t.action: t for t in TRANSITIONS}

# Scores, actuals, self-assessments and conflict declarations are accepted only while open.
WRITABLE = (State.OPEN,)
