"""Reads shared by every kind of case: the case inbox (待办案件) and the step deadlines page.

The inbox puts together what each kind's wing lists for the person (``<wing>.selectors.
inbox_items(user=...)``): each wing decides through ``access`` what that person may see, so the
inbox shows nothing a wing would not. Overdue items for escalation come from each wing's
``overdue_items()``.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from types import ModuleType

from django.utils import timezone

from jixiao.access.actor import ActingUser
from jixiao.access.policy import can, require
from jixiao.common.labels import LABELS, label_text
from jixiao.engine.text import Text
from jixiao.workflow.table import Workflow

from .appeals import selectors as appeals
from .concerns import selectors as concerns
from .deadlines import DEFAULT_DAYS, MAX_DAYS
from .inbox import InboxItem
from .models import StepDeadline
from .suggestions import selectors as suggestions

# Each kind of case and the wing (a Django app inside ``cases``) that holds it.
WING_OF = {
    "appeal": "appeals",
    "complaint": "concerns",
    "allegation": "concerns",
    "suggestion": "suggestions",
}
WING_SELECTORS = (appeals, concerns, suggestions)

# The steps' names where a wing's workflow table does not (yet) name them.
STEP_LABELS: dict[tuple[str, str], Text] = {
    ("appeal", "awaiting_leave"): Text("待组长准予逾期申诉", "Awaiting the leader's leave (late appeal)"),
    ("appeal", "filed"): Text("待受理", "Awaiting acceptance"),
    ("appeal", "accepted"): Text("待指派复核人", "Awaiting a rechecker"),
    ("appeal", "rechecking"): Text("复核中", "Rechecking"),
    ("appeal", "recommended"): Text("待组长决定", "Awaiting the leader's decision"),
    ("complaint", "filed"): Text("待受理", "Awaiting acceptance"),
    ("complaint", "investigating"): Text("调查中", "Investigating"),
    ("allegation", "filed"): Text("待受理", "Awaiting acceptance"),
    ("allegation", "investigating"): Text("调查中", "Investigating"),
    ("suggestion", "received"): Text("待答复", "Awaiting an answer"),
}


def _workflow_module(wing: str) -> ModuleType | None:
    """``jixiao.cases.<wing>.workflow``, or None while that wing has none."""
    path = f"jixiao.cases.{wing}.workflow"
    try:
        return importlib.import_module(path)
    except ModuleNotFoundError as error:
        if error.name != path:
            raise  # the module exists but imports something missing: a real error
        return None


def _workflows(kind: str) -> list[Workflow]:
    """The workflow tables of ``kind``'s wing, the one whose model is named ``kind`` first."""
    module = _workflow_module(WING_OF[kind]) if kind in WING_OF else None
    tables = [v for v in vars(module).values() if isinstance(v, Workflow)] if module is not None else []
    return sorted(tables, key=lambda w: w.model._meta.model_name != kind)


def step_label(kind: str, step: str) -> Text:
    """The name of ``step`` of a ``kind`` case: the wing's workflow label, else ours."""
    for table in _workflows(kind):
        labels = {str(state): text for state, text in table.labels.items()}
        if step in labels:
            return labels[step]
    return STEP_LABELS.get((kind, step), Text(step))


# -- the inbox ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Door:
    """A way into the cases from the inbox page: a form to start one, or a list to work on."""

    label: Text
    url_name: str
    hint: Text


# Everyone may start a case; the lists are for those who handle each kind (access decides).
START_DOORS = (
    ("appeal.mine", Door(Text("我的申诉", "My appeals"), "appeals:mine",
                         Text("对已公布的考核结果提出申诉：在“我的考核结果”中点“申诉”。",
                              "Appeal a published result: press “Appeal” in My results."))),
    ("concern.file", Door(Text("投诉或举报", "Complaint or allegation"), "concerns:file",
                          Text("对考核过程的投诉，或对徇私舞弊、弄虚作假的举报。",
                               "A complaint about the appraisal process, or an allegation of favouritism or falsified data."))),
    ("concern.file", Door(Text("我的投诉与举报", "My complaints and allegations"), "concerns:mine",
                          Text("查看进展和答复，补充信息。", "Follow them, read replies, add information."))),
    ("suggestion.file", Door(Text("意见反馈", "Suggestion"), "suggestions:file",
                             Text("对考核制度的意见和建议。", "Ideas about the appraisal system."))),
    ("suggestion.answers", Door(Text("已公开的答复", "Published answers"), "suggestions:answers",
                                Text("人力资源部公开答复的意见。", "Suggestions HR answered publicly."))),
)  # fmt: skip
WORK_DOORS = (
    ("appeal.list", Door(Text("全部申诉", "All appeals"), "appeals:list", Text("受理、复核、决定。", "Accept, recheck, decide."))),
    ("concern.list", Door(Text("投诉与举报", "Complaints and allegations"), "concerns:list",
                          Text("副组长（涉及副组长时由组长）办理。", "Handled by the deputy (the leader when the deputy is named)."))),
    ("suggestion.list", Door(Text("意见反馈", "Suggestions"), "suggestions:list", Text("人力资源部答复。", "Answered by HR."))),
)  # fmt: skip


def _doors(user: ActingUser, table: tuple[tuple[str, Door], ...]) -> list[Door]:
    return [door for rule, door in table if can(user, rule)]


@dataclass
class InboxPage:
    items: list[InboxItem]
    total: int  # before the filters
    kind: str
    role: str
    overdue_only: bool
    kinds: list[tuple[str, Text]]
    roles: list[tuple[str, Text]]
    can_set_deadlines: bool
    start: list[Door]
    work: list[Door]


def _due_order(item: InboxItem) -> tuple[bool, dt.date, str, str]:
    return (item.due is None, item.due or dt.date.max, item.kind, item.reference)


def inbox_filtered(
    items: list[InboxItem], *, kind: str = "", role: str = "", overdue_only: bool = False
) -> list[InboxItem]:
    """``items`` of ``kind`` where the person wears ``role`` (each, if empty), only the overdue
    ones if asked, soonest due first (those without a due date last)."""
    shown = [
        item
        for item in items
        if (not kind or item.kind == kind)
        and (not role or item.role == role)
        and (item.overdue or not overdue_only)
    ]
    return sorted(shown, key=_due_order)


def inbox_page(*, user: ActingUser, kind: str = "", role: str = "", overdue_only: bool = False) -> InboxPage:
    """What waits on ``user`` among the cases (each wing lists only what ``user`` may see)."""
    require(user, "case.inbox")
    every = [item for wing in WING_SELECTORS for item in wing.inbox_items(user=user)]
    return InboxPage(
        items=inbox_filtered(every, kind=kind, role=role, overdue_only=overdue_only),
        total=len(every),
        kind=kind,
        role=role,
        overdue_only=overdue_only,
        kinds=list(LABELS["case_kind"].items()),
        roles=list(LABELS["case_role"].items()),
        can_set_deadlines=can(user, "case_deadline.manage"),
        start=_doors(user, START_DOORS),
        work=_doors(user, WORK_DOORS),
    )


def overdue_items() -> list[InboxItem]:
    """Every case step past its due date, from every wing (for escalation; no person's view)."""
    today = timezone.localdate()
    every = [item for wing in WING_SELECTORS for item in wing.overdue_items()]
    return [item for item in every if item.due is not None and item.due < today]


# -- step deadlines -----------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    kind: str
    step: str
    kind_label: Text
    step_label: Text
    default_days: int
    days: int | None  # HR's figure, None while the default holds
    version: int  # of HR's row; 0 while there is none

    @property
    def in_force(self) -> int:
        return self.days if self.days is not None else self.default_days


@dataclass
class DeadlinePage:
    rows: list[DeadlineRow]
    max_days: int


def deadline_page(*, user: ActingUser) -> DeadlinePage:
    """Every (kind, step) with a deadline: its default and HR's figure (one query)."""
    require(user, "case_deadline.manage")
    set_by_hr = {(d.kind, d.step): d for d in StepDeadline.objects.all()}
    rows = []
    for (kind, step), default in DEFAULT_DAYS.items():
        row = set_by_hr.get((kind, step))
        rows.append(
            DeadlineRow(
                kind=kind,
                step=step,
                kind_label=label_text(kind, "case_kind"),
                step_label=step_label(kind, step),
                default_days=default,
                days=row.days if row is not None else None,
                version=row.version if row is not None else 0,
            )
        )
    return DeadlinePage(rows, MAX_DAYS)
