"""The cycle's state machine as data (§3): each row is one transition, its access rule and the
guards that must agree. ``services`` applies a row with ``transition_apply`` (one audit event
``cycle.<action>``); closing scoring applies its row when the job stores every result: the
ordinary close once the period has ended, an early one with a stated reason, either only with
the data the framework requires (``guards``); locking waits until no case holds the cycle
(``holds``: an open appeal).
"""

from __future__ import annotations

from jixiao.cycles.calibration.guards import quotas_met
from jixiao.cycles.review.guards import every_summary_checked, every_summary_submitted
from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .guards import measured_data_complete, period_ended, period_not_ended
from .holds import no_holds
from .models import Cycle, State

CYCLE_WORKFLOW = Workflow(
    name="cycle",
    model=Cycle,
    field="state",
    labels={
        State.PLANNING: Text("筹备中", "Planning"),
        State.OPEN: Text("数据录入与评分中", "Open for data and scoring"),
        State.SCORING_CLOSED: Text("评分已截止", "Scoring closed"),
        State.SUMMARIES_SUBMITTED: Text("部门汇总已提交", "Summaries submitted"),
        State.HR_CHECKED: Text("人力资源部已核对", "Checked by HR"),
        State.VERIFIED: Text("考核小组已核实", "Verified by the committee"),
        State.PUBLISHED: Text("已公布（申诉期）", "Published (appeal period)"),
        State.LOCKED: Text("已锁定", "Locked"),
    },
    transitions=(
        Transition("open", [State.PLANNING], State.OPEN, "cycle.manage", Text("开始录入与评分", "Open for data and scoring")),
        Transition("close_scoring", [State.OPEN], State.SCORING_CLOSED, "cycle.manage",
                   Text("截止评分并计算结果", "Close scoring and compute the results"),
                   guards=(period_ended, measured_data_complete)),
        Transition("close_scoring_early", [State.OPEN], State.SCORING_CLOSED, "cycle.manage",
                   Text("提前截止评分（须说明原因）", "Close scoring early (state the reason)"),
                   guards=(period_not_ended, measured_data_complete), needs_reason=True),
        Transition("submit_summaries", [State.SCORING_CLOSED], State.SUMMARIES_SUBMITTED, "cycle.manage",
                   Text("部门汇总已提交", "Summaries submitted"), guards=(every_summary_submitted,)),
        Transition("hr_check", [State.SUMMARIES_SUBMITTED], State.HR_CHECKED, "cycle.manage",
                   Text("人力资源部核对完成", "HR check complete"), guards=(every_summary_checked,)),
        Transition("verify", [State.HR_CHECKED], State.VERIFIED, "cycle.verify",
                   Text("考核小组核实", "Committee verifies"), guards=(quotas_met,)),
        Transition("publish", [State.VERIFIED], State.PUBLISHED, "cycle.manage",
                   Text("公布结果", "Publish the results"), guards=(quotas_met,)),
        Transition("lock", [State.PUBLISHED], State.LOCKED, "cycle.manage", Text("锁定周期", "Lock the cycle"),
                   guards=(no_holds,)),
    ),
)  # fmt: skip
