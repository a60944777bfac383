"""Reads of appeals (申诉), each through ``jixiao.access.policy``: one page selector per page,
the evidence download, and the items of the case inbox (``inbox_items``, ``overdue_items``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can, require, scope
from jixiao.cases.deadlines import DEFAULT_DAYS, step_days
from jixiao.cases.inbox import InboxItem
from jixiao.cases.models import StepDeadline
from jixiao.common.errors import JixiaoError, NotFound
from jixiao.common.files import MAX_EVIDENCE_BYTES, MAX_FILES
from jixiao.common.text import language, named, say
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.cycles.lifecycle.snapshot import rules
from jixiao.cycles.results.calculation import result_explain
from jixiao.cycles.results.models import Result, ResultVersion
from jixiao.cycles.results.recheck import Corrections, correction_fields, corrections_parse, recheck_preview
from jixiao.cycles.results.rows import IndicatorRow, indicator_rows
from jixiao.cycles.review.release import Shown, shown_to
from jixiao.engine.money import plain, round_half_up
from jixiao.engine.text import Text
from jixiao.org.history import HistoryEntry, record_history
from jixiao.workflow.table import Transition, allowed

from . import window
from .models import OPEN, Appeal, AppealFile, Recommendation, State, Statement
from .separation import Candidate, rechecker_candidates, statement_raters
from .workflow import APPEAL, STATEMENT

KIND = "appeal"
# Who waits on an open appeal in each state (the hat in the inbox), the step that is theirs and
# what they are to do.
WAITING: dict[str, tuple[str, str, Text]] = {
    State.AWAITING_LEAVE: (
        "leader",
        "grant_leave",
        Text("待决定是否准予逾期申诉", "Allow or refuse the late appeal"),
    ),
    State.FILED: ("hr", "accept", Text("待受理", "Accept or decline")),
    State.ACCEPTED: ("hr", "assign", Text("待指派复核人", "Assign a rechecker")),
    State.RECHECKING: ("rechecker", "recommend", Text("待复核", "Recheck")),
    State.RECOMMENDED: ("leader", "decide_uphold", Text("待决定", "Decide")),
}
# The list page's state filter: "open" (every open state) or one state.
STATE_FILTERS = ("open", *APPEAL.labels)
STATEMENT_STEP = Text("待作出说明", "Answer with a statement")
FOLLOWING = Text("处理中", "In progress")


def _appeals() -> QuerySet[Appeal]:
    return Appeal.objects.select_related("cycle", "appellant", "result__member__snapshot", "rechecker")


def appeal_get(*, user: ActingUser, pk: int) -> Appeal:
    """One appeal the user may see, else 404 (its existence is not revealed)."""
    appeal = _appeals().filter(pk=pk).first()
    if appeal is None or not can(user, "appeal.view", appeal):
        raise NotFound()
    return appeal


def _days(state: str, known: dict[str, int | None] | None = None) -> int | None:
    """The days a step may take; ``known`` caches every step's days (one query for a page)."""
    if known is None:
        return step_days(KIND, state)
    if not known:
        set_by_hr = dict(StepDeadline.objects.filter(kind=KIND).values_list("step", "days"))
        known.update({s: set_by_hr.get(s, DEFAULT_DAYS.get((KIND, s))) for s in APPEAL.labels})
    return known.get(state)


def appeal_due(appeal: Appeal, known: dict[str, int | None] | None = None) -> dt.date | None:
    """The day the current step should be done by (None when settled or without a deadline)."""
    if appeal.state not in OPEN:
        return None
    days = _days(appeal.state, known)
    return None if days is None else appeal.step_began + dt.timedelta(days=days)


def _overdue(due: dt.date | None) -> bool:
    return due is not None and due < timezone.localdate()


def _indicator_names(appeal: Appeal) -> list[str]:
    if appeal.is_whole:
        return []
    plan, _framework = rules(appeal.result.member.snapshot)
    names = {i.key: named(i, "name_zh") for i in plan.indicators}
    return [names.get(key, key) for key in appeal.indicators]


# -- filing ---------------------------------------------------------------------------------


@dataclass
class FilePage:
    result: Result
    indicators: list[tuple[str, str]]  # (key, name) of the result's indicators
    window: str  # window.OPEN or window.LATE
    deadline: dt.date | None
    open_appeal: Appeal | None
    max_files: int = MAX_FILES
    max_megabytes: int = MAX_EVIDENCE_BYTES // (1024 * 1024)

    @property
    def late(self) -> bool:
        return self.window == window.LATE


def result_for_appeal(*, user: ActingUser, pk: int) -> Result:
    """The user's own released result (404 when they cannot see it, 403 when it is not theirs)."""
    qs = Result.objects.filter(pk=pk).select_related("cycle", "member__snapshot", "member__employee")
    result = scope(user, "result.view", qs).first()
    if result is None:
        raise NotFound()
    require(user, "appeal.file", result)
    return result


def file_page(*, user: ActingUser, pk: int) -> FilePage:
    result = result_for_appeal(user=user, pk=pk)
    plan, _framework = rules(result.member.snapshot)
    return FilePage(
        result=result,
        indicators=[(i.key, named(i, "name_zh")) for i in plan.indicators],
        window=window.window_of(result.cycle),
        deadline=window.window_deadline(result.cycle),
        open_appeal=Appeal.objects.filter(result=result, state__in=OPEN).first(),
    )


def appealable(*, user: ActingUser, results: Iterable[Result]) -> dict[int, Appeal | None]:
    """For the user's own results that may be appealed: result id → its open appeal (or None).
    A result missing from the answer cannot be appealed (not released, or not theirs)."""
    rows = [r for r in results if can(user, "appeal.file", r) and window.window_of(r.cycle) != window.NONE]
    found = {a.result_id: a for a in Appeal.objects.filter(result__in=rows, state__in=OPEN)}
    return {r.pk: found.get(r.pk) for r in rows}


# -- lists ----------------------------------------------------------------------------------


@dataclass
class Row:
    appeal: Appeal
    state: Text
    due: dt.date | None
    overdue: bool


def _rows(appeals: Iterable[Appeal]) -> list[Row]:
    rows: list[Row] = []
    known: dict[str, int | None] = {}
    for appeal in appeals:
        due = appeal_due(appeal, known)
        rows.append(Row(appeal, APPEAL.state_label(appeal.state), due, _overdue(due)))
    return rows


def my_appeals_page(*, user: ActingUser) -> list[Row]:
    require(user, "appeal.mine")
    actor = actor_for(user)
    if actor.employee_id is None:
        return []
    return _rows(scope(user, "appeal.view", _appeals().filter(appellant_id=actor.employee_id)))


@dataclass
class ListPage:
    rows: list[Row]
    states: list[tuple[str, Text]]
    cycles: list[Cycle]
    state: str
    cycle_id: int | None
    overdue: bool


def appeals_page(
    *, user: ActingUser, state: str = "", cycle_id: int | None = None, overdue: bool = False
) -> ListPage:
    """The appeals HR and the committee handle (a member: those they recheck), with filters."""
    require(user, "appeal.list")
    qs = scope(user, "appeal.view", _appeals())
    if state == "open":
        qs = qs.filter(state__in=OPEN)
    elif state in APPEAL.labels:
        qs = qs.filter(state=state)
    if cycle_id is not None:
        qs = qs.filter(cycle_id=cycle_id)
    rows = _rows(qs[:500])
    if overdue:
        rows = [r for r in rows if r.overdue]
    cycle_ids = scope(user, "appeal.view", Appeal.objects.all()).values("cycle_id")
    return ListPage(
        rows=rows,
        states=[("open", Text("未办结", "Open")), *APPEAL.labels.items()],
        cycles=list(Cycle.objects.filter(pk__in=cycle_ids)),
        state=state,
        cycle_id=cycle_id,
        overdue=overdue,
    )


# -- the appeal page -----------------------------------------------------------------------


def timeline(appeal: Appeal, statements: list[Statement]) -> list[HistoryEntry]:
    """The case's history: its own audit events and its statements'."""
    return record_history(
        (Appeal._meta.label_lower, [appeal.pk]), (Statement._meta.label_lower, [s.pk for s in statements])
    )


@dataclass
class Outcome:
    """What the appellant (and everyone on the case) sees of the decision: before and after."""

    figures: list[tuple[Text, dict[str, Any]]]  # (which, figures as shown)
    shown: Shown
    rows_before: list[IndicatorRow] = field(default_factory=list)
    rows_after: list[IndicatorRow] = field(default_factory=list)
    steps_after: list[str] = field(default_factory=list)
    version: ResultVersion | None = None
    pay_adjustment: Any = None
    pay_link: str = ""


def _figures_shown(figures: dict[str, Any]) -> dict[str, Any]:
    milli = int(figures.get("total_milli", 0) or 0)
    total = plain(round_half_up(Decimal(milli) / 1000, Decimal("0.01")))
    return {**figures, "total": total}


@dataclass
class AppealPage:
    appeal: Appeal
    state: Text
    due: dt.date | None
    overdue: bool
    indicators: list[str]
    files: list[AppealFile]
    statements: list[Statement]
    answerable: set[int]  # statements the user answers
    timeline: list[HistoryEntry]
    actions: list[Transition]
    action_names: set[str]
    raters: list[Any]  # whom the rechecker may ask for a statement
    can_preview: bool
    outcome: Outcome | None
    decider: Text  # who decides: the leader, or the deputy when the leader stands aside
    corrections: list[tuple[str, str, str]]  # (label, before, after) of a recommendation to adjust
    handles: bool = False  # the user sees the handling list (else their own appeals)


def appeal_page(*, user: ActingUser, pk: int) -> AppealPage:
    appeal = appeal_get(user=user, pk=pk)
    statements = list(appeal.statements.select_related("rater").order_by("pk"))
    actions = APPEAL.available(user, appeal)
    names = {t.action for t in actions}
    due = appeal_due(appeal)
    can_preview = can(user, "appeal.preview", appeal)
    return AppealPage(
        appeal=appeal,
        state=APPEAL.state_label(appeal.state),
        due=due,
        overdue=_overdue(due),
        indicators=_indicator_names(appeal),
        files=list(appeal.files.all()),
        statements=statements,
        answerable={s.pk for s in statements if STATEMENT.available(user, s)},
        timeline=timeline(appeal, statements),
        actions=actions,
        action_names=names,
        raters=statement_raters(appeal) if "request_statement" in names else [],
        can_preview=can_preview,
        outcome=_outcome(user, appeal) if appeal.state in (State.ADJUSTED, State.UPHELD) else None,
        decider=_decider_text(appeal),
        corrections=corrections_shown(appeal) if can_preview else [],
        handles=can(user, "appeal.list"),
    )


def _decider_text(appeal: Appeal) -> Text:
    if appeal.leader_barred:
        return Text(
            "组长与本案有关（或为复核人），须回避：由副组长决定。",
            "The leader has a part in this case (or rechecked it) and stands aside: the deputy decides.",
        )
    return Text("由考核小组组长决定。", "The committee leader decides.")


def _outcome(user: ActingUser, appeal: Appeal) -> Outcome:
    result = appeal.result
    shown = shown_to(user=user, result=result)
    before, after = _figures_shown(appeal.figures_before), _figures_shown(appeal.figures_after)
    figures = (
        [(Text("调整前", "Before"), before), (Text("调整后", "After"), after)]
        if appeal.state == State.ADJUSTED
        else [(Text("维持的结果", "Upheld"), before)]
    )
    outcome = Outcome(figures, shown, version=appeal.replaced_version)
    _pay_shown(user, appeal, outcome)
    if appeal.state == State.ADJUSTED and appeal.replaced_version is not None and shown.trace:
        _traces(appeal, outcome)
    return outcome


def _pay_shown(user: ActingUser, appeal: Appeal, outcome: Outcome) -> None:
    """The pay adjustment, to the appellant (their own pay) and to pay officers only."""
    adjustment = appeal.pay_adjustment
    if adjustment is None:
        return
    if actor_for(user).employee_id == appeal.appellant_id:
        outcome.pay_adjustment, outcome.pay_link = adjustment, reverse("pay:my_pay")
    elif can(user, "monthly_run.view"):
        outcome.pay_adjustment = adjustment
        outcome.pay_link = reverse("pay:monthly_run_detail", args=[adjustment.corrects_id])


def _traces(appeal: Appeal, outcome: Outcome) -> None:
    """The indicator table before and after, and the calculation after, re-run by the engine."""
    result = appeal.result
    version = appeal.replaced_version
    assert version is not None
    plan, _framework = rules(result.member.snapshot)
    later = result.versions.filter(number=version.number + 1).first()
    after_inputs = later.inputs if later is not None else result.inputs
    before = result_explain(Result(member_id=result.member_id, inputs=version.inputs), result.member.snapshot)
    after = result_explain(Result(member_id=result.member_id, inputs=after_inputs), result.member.snapshot)
    outcome.rows_before = indicator_rows(plan, before, version.inputs)
    outcome.rows_after = indicator_rows(plan, after, after_inputs)
    outcome.steps_after = [step.render(language()) for step in after.trace.steps] if after.trace else []


def corrections_shown(appeal: Appeal) -> list[tuple[str, str, str]]:
    """A recommendation's corrected inputs as (what, the value used, the corrected value)."""
    if appeal.recommendation != Recommendation.ADJUST or not appeal.corrections:
        return []

    fields = {f.name: f for f in correction_fields(appeal.result)}
    corrections = Corrections.from_json(appeal.corrections)
    shown = []
    for key, value in corrections.measures.items():
        f = fields.get(f"measure:{key}")
        shown.append((say(f.label) if f else key, f.current if f else "", value))
    for (indicator, kind), value in corrections.ratings.items():
        f = fields.get(f"rating:{indicator}:{kind}")
        shown.append((say(f.label) if f else f"{indicator} · {kind}", f.current if f else "", value))
    return shown


# -- steps with a page of their own ---------------------------------------------------------


def _in_state(appeal: Appeal, states: Iterable[str]) -> None:
    if appeal.state not in set(states):
        label = APPEAL.state_label(appeal.state)
        raise JixiaoError(
            zh=f"申诉 {appeal.reference} 当前为“{label.zh}”，不能进行此步骤。",
            en=f"Appeal {appeal.reference} is {label.en}; this step is not possible now.",
            code="state",
            status=409,
        )


@dataclass
class AssignPage:
    appeal: Appeal
    candidates: list[Candidate]


def assign_page(*, user: ActingUser, pk: int) -> AssignPage:
    appeal = appeal_get(user=user, pk=pk)
    require(user, "appeal.assign", appeal)
    _in_state(appeal, APPEAL.by_action["assign"].sources)
    return AssignPage(appeal, list(rechecker_candidates(appeal).values()))


@dataclass
class RecheckPage:
    appeal: Appeal
    fields: list[Any]  # recheck.CorrectionField, the inputs the rechecker may correct
    indicators: list[str]


def recommend_page(*, user: ActingUser, pk: int) -> RecheckPage:

    appeal = appeal_get(user=user, pk=pk)
    require(user, "appeal.recheck", appeal)
    _in_state(appeal, APPEAL.by_action["recommend"].sources)
    chosen = appeal.indicators or None
    return RecheckPage(appeal, correction_fields(appeal.result, chosen), _indicator_names(appeal))


def recheck_preview_of(*, user: ActingUser, appeal: Appeal, data: dict[str, str] | None = None) -> Any:
    """The preview of an adjustment (before/after, ripple, distribution, calibration note), for
    those handling the case: from the form's ``data``, or from the recommendation stored."""

    require(user, "appeal.preview", appeal)
    if data is not None:
        corrections = corrections_parse(appeal.result, data)
    else:
        corrections = Corrections.from_json(appeal.corrections or {})
    if corrections.is_empty():
        return None
    return recheck_preview(appeal.result, corrections)


@dataclass
class DecidePage:
    appeal: Appeal
    preview: Any  # recheck.RecheckPreview, or None for a recommendation to uphold
    corrections: list[tuple[str, str, str]]
    actions: list[Transition]
    decider: Text
    steps: list[str] = field(default_factory=list)


def decide_page(*, user: ActingUser, pk: int) -> DecidePage:
    appeal = appeal_get(user=user, pk=pk)
    require(user, "appeal.decide", appeal)
    _in_state(appeal, [State.RECOMMENDED])
    preview = (
        recheck_preview_of(user=user, appeal=appeal)
        if appeal.recommendation == Recommendation.ADJUST
        else None
    )
    trace = preview.person.trace if preview is not None else None
    return DecidePage(
        appeal=appeal,
        preview=preview,
        corrections=corrections_shown(appeal),
        actions=APPEAL.available(user, appeal),
        decider=_decider_text(appeal),
        steps=[s.render(language()) for s in trace.steps] if trace else [],
    )


@dataclass
class StatementPage:
    statement: Statement
    appeal: Appeal
    indicators: list[str]


def statement_get(*, user: ActingUser, pk: int) -> Statement:
    statement = Statement.objects.select_related("appeal", "rater").filter(pk=pk).first()
    if statement is None or not can(user, "appeal.view", statement.appeal):
        raise NotFound()
    return statement


def statement_page(*, user: ActingUser, pk: int) -> StatementPage:
    statement = statement_get(user=user, pk=pk)
    require(user, "statement.answer", statement)
    appeal = appeal_get(user=user, pk=statement.appeal_id)
    return StatementPage(statement, appeal, _indicator_names(appeal))


def evidence_get(*, user: ActingUser, pk: int) -> AppealFile:
    """An evidence file of an appeal the user may see, else 404."""
    item = AppealFile.objects.select_related("appeal").filter(pk=pk).first()
    if item is None or not can(user, "appeal.view", item.appeal):
        raise NotFound()
    return item


# -- the case inbox -------------------------------------------------------------------------


def _item(appeal: Appeal, role: str, step: Text, due: dt.date | None, escalated: bool = False) -> InboxItem:
    title = Text(
        f"{appeal.appellant.name} · {appeal.cycle.label} 考核结果",
        f"{appeal.appellant.name} · result of {appeal.cycle.label}",
    )
    return InboxItem(KIND, appeal.reference, title, step, role, appeal.link, due, escalated)


def inbox_items(*, user: ActingUser) -> list[InboxItem]:
    """The appeal steps that wait on ``user`` (as HR, rechecker, rater, deputy, leader), the
    statements asked of them, their own open appeals (followed), and, for the deputy, every
    overdue step (escalated)."""
    actor = actor_for(user)
    items: list[InboxItem] = []
    known: dict[str, int | None] = {}
    for appeal in scope(user, "appeal.view", _appeals().filter(state__in=OPEN)):
        due = appeal_due(appeal, known)
        role, action, step = WAITING[appeal.state]
        if appeal.appellant_id == actor.employee_id:
            items.append(_item(appeal, "appellant", FOLLOWING, due))
        elif allowed(user, APPEAL.by_action[action].rule, appeal):
            items.append(_item(appeal, _hat(actor, role), step, due))
        elif actor.has("committee_deputy") and _overdue(due):
            items.append(_item(appeal, "deputy", step, due, escalated=True))
    if actor.employee_id is not None:
        asked = Statement.objects.filter(rater_id=actor.employee_id, state=Statement.State.REQUESTED)
        days = _days(State.RECHECKING, known)
        for statement in asked.select_related("appeal__cycle", "appeal__appellant"):
            due = None if days is None else statement.step_began + dt.timedelta(days=days)
            items.append(_item(statement.appeal, "rater", STATEMENT_STEP, due))
    return sorted(items, key=lambda i: (i.due or dt.date.max, i.reference))


def _hat(actor: Any, role: str) -> str:
    """The role the person acts in: the deputy deciding for a barred leader is the deputy."""
    if role == "leader" and not actor.has("committee_leader"):
        return "deputy"
    if role == "hr" and not actor.is_hr:
        return "deputy"
    return role


def overdue_items() -> list[InboxItem]:
    """Every overdue appeal step, system-wide, marked escalated (for the escalation command)."""
    items: list[InboxItem] = []
    known: dict[str, int | None] = {}
    for appeal in _appeals().filter(state__in=OPEN):
        due = appeal_due(appeal, known)
        if _overdue(due):
            role, _action, step = WAITING[appeal.state]
            items.append(_item(appeal, role, step, due, escalated=True))
    return sorted(items, key=lambda i: (i.due or dt.date.max, i.reference))
