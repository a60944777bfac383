"""The annual bonus run's transition table: HR releases a computed run (its people then see
their lines) only while the pay plan it was computed from is still the published one
(decision 33); a recomputation supersedes the year's current run."""

from __future__ import annotations

from typing import Any

from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text
from jixiao.plans.models import Status
from jixiao.workflow.table import Transition, Workflow

from .models import RUN_CURRENT, AnnualBonusRun

S = AnnualBonusRun.Status


def plan_published(run: AnnualBonusRun, user: Any) -> None:
    """A run is released only from a pay plan that is published now (not returned, not replaced)."""
    plan = run.plan
    if plan is None or plan.status != Status.PUBLISHED:
        name = f"“{plan.name}”第 {plan.number} 版" if plan else ""
        raise JixiaoError(
            zh=f"计算所用的薪酬方案{name}已不是发布中的方案，不能发布此结果。请按已发布的方案重新计算。",
            en="The pay plan this run was computed from is no longer the published one: recompute the "
            "run from the published plan.",
            code="plan_not_published",
            status=409,
        )


BONUS_RUN = Workflow(
    name="bonus_run",
    model=AnnualBonusRun,
    field="status",
    transitions=(
        Transition("release", {S.COMPUTED}, S.RELEASED, "bonus_run.release", Text("发布", "Release"),
                   guards=(plan_published,)),
        # Taken by the compute service for the year's earlier run, never as a button.
        Transition(
            "supersede", RUN_CURRENT, S.SUPERSEDED, "bonus_run.compute", Text("被重算取代", "Supersede")
        ),
    ),
    labels={
        S.COMPUTED: Text("已计算", "Computed"),
        S.RELEASED: Text("已发布", "Released"),
        S.SUPERSEDED: Text("已被重算", "Superseded"),
    },
)  # fmt: skip

BONUS_RUN_BUTTONS = frozenset({"release"})
