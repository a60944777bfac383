"""The transition table of a suggestion (意见反馈): HR answers it or closes it as noted, and may
publish an answer (and take it back). Filing creates it (``suggestion.file``)."""

from __future__ import annotations

from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .models import State, Suggestion

SUGGESTION = Workflow(
    name="suggestion",
    model=Suggestion,
    field="state",
    labels={
        State.RECEIVED: Text("待处理", "Received"),
        State.ANSWERED: Text("已答复", "Answered"),
        State.NOTED: Text("已阅备查", "Closed as noted"),
        State.PUBLISHED: Text("已答复并公开", "Answered and published"),
    },
    transitions=(
        Transition("answer", [State.RECEIVED], State.ANSWERED, "suggestion.handle", Text("答复", "Answer")),
        Transition("close_noted", [State.RECEIVED], State.NOTED, "suggestion.handle",
                   Text("已阅备查", "Close as noted")),
        Transition("publish_answer", [State.ANSWERED], State.PUBLISHED, "suggestion.handle",
                   Text("公开答复", "Publish the answer")),
        Transition("unpublish", [State.PUBLISHED], State.ANSWERED, "suggestion.handle",
                   Text("撤下公开答复", "Withdraw from publication")),
    ),
)  # fmt: skip
