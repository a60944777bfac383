"""The annual bonus run's transition table: HR releases a computed run (its people then see
their lines); a recomputation supersedes the year's current run."""

from __future__ import annotations

from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .models import RUN_CURRENT, AnnualBonusRun

S = AnnualBonusRun.Status

BONUS_RUN = Workflow(
    name="bonus_run",
    model=AnnualBonusRun,
    field="status",
    transitions=(
        Transition("release", {S.COMPUTED}, S.RELEASED, "bonus_run.release", Text("发布", "Release")),
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
)

BONUS_RUN_BUTTONS = frozenset({"release"})
