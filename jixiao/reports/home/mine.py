"""The home page's "my latest result and pay" and "deadlines this week"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can
from jixiao.cases.inbox import InboxItem
from jixiao.common.labels import label_text
from jixiao.cycles.lifecycle.models import Cycle, State
from jixiao.cycles.lifecycle.selectors import stage_deadlines
from jixiao.cycles.lifecycle.workflow import CYCLE_WORKFLOW
from jixiao.cycles.results.models import Result
from jixiao.cycles.results.selectors import my_results
from jixiao.cycles.review.release import shown_many
from jixiao.engine.text import Text
from jixiao.pay.monthly.models import MonthlyPayLine
from jixiao.pay.monthly.selectors import my_monthly_lines

WEEK = 7  # "this week": today and the six days after it (overdue ones are shown too, marked)


@dataclass
class Latest:
    result: Result | None  # with ``shown`` attached: what the release lets the person see
    pay: MonthlyPayLine | None  # the latest released monthly pay line


def latest(user: ActingUser) -> Latest:
    """The reader's own latest published result and released monthly pay (nothing for a login
    without an employee record, such as the bare system administrator)."""
    if actor_for(user).employee_id is None:
        return Latest(None, None)
    result = None
    if can(user, "result.mine"):
        released = my_results(user=user).filter(cycle__state__in=[State.PUBLISHED, State.LOCKED])[:1]
        shown = shown_many(user=user, results=released)
        result = shown[0] if shown else None
    pay = None
    if can(user, "pay.mine"):
        lines = my_monthly_lines(user=user)
        pay = lines[0] if lines else None
    return Latest(result, pay)


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    what: Text
    link: str
    overdue: bool


def _case_deadlines(items: list[InboxItem], today: dt.date, until: dt.date) -> list[Deadline]:
    out = []
    for item in items:
        if item.due is not None and item.due <= until:
            kind = label_text(item.kind, "case_kind")
            what = Text(
                f"{kind.zh} {item.reference}：{item.step.zh}", f"{kind.en} {item.reference}: {item.step.en}"
            )
            out.append(Deadline(item.due, what, item.link, item.due < today))
    return out


def _cycle_deadlines(cycles: list[Cycle], today: dt.date, until: dt.date) -> list[Deadline]:
    """The stage deadlines of the cycles the user takes part in, still to meet, up to ``until``."""
    order = [state for state, _ in State.choices]
    out = []
    for cycle in cycles:
        reached = order.index(cycle.state) if cycle.state in order else 0
        for stage in stage_deadlines(cycle=cycle, today=today):
            if stage.day <= until and order.index(stage.state) >= reached:  # a stage not yet left
                name = CYCLE_WORKFLOW.state_label(stage.state)
                what = Text(
                    f"周期 {cycle.label}：“{name.zh}”阶段截止", f"Cycle {cycle.label}: “{name.en}” ends"
                )
                link = reverse("cycles:cycle_detail", args=[cycle.pk])
                out.append(Deadline(stage.day, what, link, stage.overdue))
    return out


def deadlines_this_week(cycles: list[Cycle], inbox: list[InboxItem], today: dt.date) -> list[Deadline]:
    """Case steps (``inbox``) and the stages of ``cycles`` due by a week from ``today`` (overdue
    ones too), soonest first."""
    until = today + dt.timedelta(days=WEEK - 1)
    found = _case_deadlines(inbox, today, until) + _cycle_deadlines(cycles, today, until)
    return sorted(found, key=lambda d: d.day)
