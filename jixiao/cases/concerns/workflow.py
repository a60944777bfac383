"""The transition table of a complaint or allegation (§6): filed → investigating → closed, or
filed → closed as out of scope. Filing creates the case (``concern.file``); notes, replies and
information are records of their own (``audited_create``), allowed while the case is open.

Services apply a row with ``transition_apply`` (one audit event ``concern.<action>``); pages
build their buttons from ``CONCERN.available(user, concern)``.
"""

from __future__ import annotations

from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .models import Concern, State

CONCERN = Workflow(
    name="concern",
    model=Concern,
    field="state",
    labels={
        State.FILED: Text("待受理", "Filed"),
        State.INVESTIGATING: Text("调查中", "Under investigation"),
        State.CLOSED: Text("已结案", "Closed"),
    },
    transitions=(
        Transition("investigate", [State.FILED], State.INVESTIGATING, "concern.handle",
                   Text("受理并开始调查", "Accept and investigate")),
        Transition("conclude", [State.INVESTIGATING], State.CLOSED, "concern.handle",
                   Text("结案", "Close with an outcome")),
        Transition("decline", [State.FILED], State.CLOSED, "concern.handle",
                   Text("不予受理（不属于受理范围）", "Decline (out of scope)")),
    ),
)  # fmt: skip
