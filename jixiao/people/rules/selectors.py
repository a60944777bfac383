"""Reads of rules that propose (issue 13), each through ``jixiao.access.policy``: one page
selector per page. Lists read a fixed number of queries whatever their length; the preview reads
one query for the cycles and one for their results per cycle kind (never one per person)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can, require, scope
from jixiao.audit.models import AuditEvent
from jixiao.audit.services import audit_read
from jixiao.common.errors import NotFound
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.cycles.lifecycle.models import State as CycleState
from jixiao.cycles.results.models import Result
from jixiao.cycles.review.release import shown_many
from jixiao.engine.people_rules import Condition, ConditionError, explain, fires, parse_condition
from jixiao.engine.text import Text
from jixiao.jobs.models import JobRun
from jixiao.org.models import Employee
from jixiao.workflow.table import Transition

from .checks import LintItem, rule_set_findings
from .history import preview_cycles, timeline_load
from .models import ActionKind, Proposal, ProposalState, Rule, RuleSet
from .running import KIND as RUN_KIND
from .workflow import PROPOSAL, RULE_SET

LIST_LIMIT = 200
PROPOSAL_STATES = tuple(ProposalState.values)  # the proposals list's filters
PROPOSAL_KINDS = tuple(ActionKind.values)
PREVIEW_NAMES = 100  # people named per rule on the preview page
PREVIEW_MONTHS = 12


# -- history from the audit log -------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: Any
    actor: Text
    label: Text
    reason: str


RULE_SET_STEPS = {
    **{t.action: t.label for t in RULE_SET.transitions},
    "create": Text("新建", "Created"),
    "update": Text("修改名称或说明", "Name or note changed"),
}
PROPOSAL_STEPS = {
    **{t.action: t.label for t in PROPOSAL.transitions},
    "create": Text("由规则提出", "Proposed by the rule"),
}


def timeline(obj: Any, labels: dict[str, Text], limit: int = 50) -> list[TimelineEntry]:
    """The record's own audit events, oldest first (one query)."""
    events = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
        "seq"
    )
    entries = []
    for event in events[:limit]:
        step = event.action.rpartition(".")[2]
        reason = str(json.loads(event.body).get("reason", ""))
        actor = Text("系统", "System") if event.actor_id is None else Text(event.actor_name)
        entries.append(TimelineEntry(event.created_at, actor, labels.get(step, Text(step)), reason))
    return entries


# -- rule sets ------------------------------------------------------------------------------


@dataclass
class RuleSetsPage:
    rule_sets: Sequence[RuleSet]
    can_create: bool


def rule_sets_page(*, user: ActingUser) -> RuleSetsPage:
    require(user, "rule_set.view")
    rows = list(
        RuleSet.objects.annotate(rule_count=Count("rules")).select_related("author", "approved_by")[:100]
    )
    return RuleSetsPage(rows, can(user, "rule_set.create"))


def rule_set_get(*, user: ActingUser, pk: int) -> RuleSet:
    require(user, "rule_set.view")
    rule_set = (
        RuleSet.objects.select_related("author", "submitted_by", "approved_by", "based_on")
        .filter(pk=pk)
        .first()
    )
    if rule_set is None:
        raise NotFound()
    return rule_set


def rule_set_create_check(*, user: ActingUser) -> None:
    require(user, "rule_set.create")


def rule_set_for_edit(*, user: ActingUser, pk: int) -> RuleSet:
    """A draft rule set the user may edit (404 when missing, 403 otherwise)."""
    rule_set = rule_set_get(user=user, pk=pk)
    require(user, "rule_set.edit", rule_set)
    return rule_set


def rule_for_edit(*, user: ActingUser, pk: int) -> Rule:
    rule = rule_get(user=user, pk=pk)
    require(user, "rule_set.edit", rule.rule_set)
    return rule


def rule_get(*, user: ActingUser, pk: int) -> Rule:
    require(user, "rule_set.view")
    rule = Rule.objects.select_related("rule_set").filter(pk=pk).first()
    if rule is None:
        raise NotFound()
    return rule


@dataclass
class RuleSetPage:
    rule_set: RuleSet
    rules: list[Rule]
    findings: list[LintItem]
    actions: list[Transition]
    can_edit: bool
    can_copy: bool
    timeline: list[TimelineEntry]

    @property
    def blocking(self) -> list[LintItem]:
        return [item for item in self.findings if item.blocking]

    @property
    def state(self) -> Text:
        return RULE_SET.state_label(self.rule_set.state)

    @property
    def needs_reason(self) -> bool:
        return any(t.needs_reason for t in self.actions)


def rule_set_page(*, user: ActingUser, pk: int) -> RuleSetPage:
    rule_set = rule_set_get(user=user, pk=pk)
    rules = list(rule_set.rules.all())
    return RuleSetPage(
        rule_set,
        rules,
        rule_set_findings(rule_set, rules),
        RULE_SET.available(user, rule_set),
        can(user, "rule_set.edit", rule_set),
        can(user, "rule_set.create"),
        timeline(rule_set, RULE_SET_STEPS),
    )


# -- preview on past cycles -----------------------------------------------------------------


@dataclass
class Firing:
    cycle: str
    employee: Employee | None
    employee_id: int


@dataclass
class RulePreview:
    rule: Rule
    count: int = 0
    people: int = 0
    cycles: list[str] = field(default_factory=list)  # the window's cycle labels, oldest first
    firings: list[Firing] = field(default_factory=list)
    unreadable: bool = False

    @property
    def sentence(self) -> Text:
        window = f"{self.cycles[0]} – {self.cycles[-1]}" if self.cycles else "—"
        return Text(
            f"在最近 {PREVIEW_MONTHS} 个月的 {len(self.cycles)} 个周期（{window}）中，这条规则会触发 {self.count} 次，涉及 {self.people} 人。",
            f"In the last {PREVIEW_MONTHS} months' {len(self.cycles)} cycles ({window}) this rule would have "
            f"fired {self.count} times, for {self.people} people.",
        )


@dataclass
class PreviewPage:
    rule_set: RuleSet
    rules: list[RulePreview]
    today: dt.date


def _preview_kind(kind: str, rules: list[tuple[Rule, Condition]], today: dt.date) -> list[RulePreview]:
    depth = max(condition.count for _, condition in rules)
    cycles, window = preview_cycles(kind, min(depth, 12), today=today, months=PREVIEW_MONTHS)
    timeline = timeline_load(cycles)
    previews = []
    for rule, condition in rules:
        preview = RulePreview(rule, cycles=[c.label for c in reversed(cycles[:window])])
        for index in range(window):
            for employee_id in timeline.slots:
                if fires(condition, timeline.history(employee_id, index)) is not None:
                    preview.firings.append(Firing(cycles[index].label, None, employee_id))
        preview.count = len(preview.firings)
        preview.people = len({f.employee_id for f in preview.firings})
        preview.firings = preview.firings[:PREVIEW_NAMES]
        previews.append(preview)
    return previews


def preview_page(*, user: ActingUser, pk: int) -> PreviewPage:
    """Each rule run on the released cycles of its kind that ended in the last 12 months, with
    the results as they stand now: how often it would have fired, and for whom (HR and the committee)."""
    rule_set = rule_set_get(user=user, pk=pk)
    today = timezone.localdate()
    by_kind: dict[str, list[tuple[Rule, Condition]]] = {}
    unreadable: list[RulePreview] = []
    for rule in rule_set.rules.all():
        try:
            by_kind.setdefault(rule.cycle_kind, []).append((rule, parse_condition(rule.condition)))
        except ConditionError:
            unreadable.append(RulePreview(rule, unreadable=True))
    previews = [p for kind, rules in by_kind.items() for p in _preview_kind(kind, rules, today)] + unreadable
    names = Employee.objects.select_related("department").in_bulk(
        {f.employee_id for p in previews for f in p.firings}
    )
    for preview in previews:
        for firing in preview.firings:
            firing.employee = names.get(firing.employee_id)
    previews.sort(key=lambda p: (p.rule.position, p.rule.pk))
    return PreviewPage(rule_set, previews, today)


# -- proposals ------------------------------------------------------------------------------


def _proposals() -> QuerySet[Proposal]:
    return Proposal.objects.select_related(
        "employee__department", "cycle", "rule", "head", "decided_by", "sanction"
    )


def proposal_state_label(state: str) -> Text:
    return PROPOSAL.state_label(state)


@dataclass
class ProposalsPage:
    rows: list[Proposal]
    cycles: list[Cycle]
    cycle_id: int | None
    state: str
    kind: str
    states: list[tuple[str, Text]]
    kinds: list[tuple[str, Any]]
    can_run: bool
    locked_cycles: list[Cycle]
    jobs: list[JobRun]
    pending: int
    todo: bool = False


def proposals_to_decide(*, user: ActingUser) -> list[Proposal]:
    """The proposals waiting for the user's decision (the HR supervisor or the committee leader,
    never on their own or on one they proposed): the home page's count and ``?todo=1``."""
    waiting = scope(user, "proposal.view", _proposals()).filter(state=ProposalState.PROPOSED)
    return [p for p in waiting[:LIST_LIMIT] if can(user, "proposal.decide", p)]


def proposals_page(
    *,
    user: ActingUser,
    cycle_id: int | None,
    state: str,
    kind: str,
    log_read: bool = True,
    todo: bool = False,
) -> ProposalsPage:
    """Every proposal the user may see, newest first (filters: cycle, state, kind). The read of
    others' amounts is logged once per view; a form refused on the page it was shown on
    (``log_read=False``) shows again what that view logged, and a refusal writes nothing."""
    require(user, "proposal.list")
    rows = scope(user, "proposal.view", _proposals())
    if cycle_id is not None:
        rows = rows.filter(cycle_id=cycle_id)
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    shown = proposals_to_decide(user=user) if todo else list(rows[:LIST_LIMIT])
    if log_read:
        _audit_money_read(user, shown)
    can_run = can(user, "proposal.run")
    locked = run_cycles(user=user) if can_run else []
    jobs = list(JobRun.objects.filter(kind=RUN_KIND).order_by("-created_at")[:5]) if can_run else []
    with_proposals = Proposal.objects.values("cycle_id").distinct()
    return ProposalsPage(
        rows=shown,
        cycles=list(Cycle.objects.filter(pk__in=with_proposals).order_by("-start")),
        cycle_id=cycle_id,
        state=state,
        kind=kind,
        states=list(PROPOSAL.labels.items()),
        kinds=list(ActionKind.choices),
        can_run=can_run,
        locked_cycles=locked,
        jobs=jobs,
        pending=scope(user, "proposal.view", Proposal.objects.filter(state=ProposalState.PROPOSED)).count(),
        todo=todo,
    )


def run_cycles(*, user: ActingUser) -> list[Cycle]:
    """The locked cycles HR may run the rules on (the newest 36)."""
    require(user, "proposal.run")
    return list(Cycle.objects.filter(state=CycleState.LOCKED).order_by("-start")[:36])


def cycle_for_run(*, user: ActingUser, pk: int) -> Cycle:
    require(user, "proposal.run")
    cycle = Cycle.objects.filter(pk=pk).first()
    if cycle is None:
        raise NotFound()
    return cycle


def _audit_money_read(user: ActingUser, proposals: list[Proposal]) -> None:
    """Amounts of others' rewards and penalties are pay: one read event per page naming them."""
    own = actor_for(user).employee_id
    others = [p.employee_id for p in proposals if p.is_money and p.employee_id != own]
    audit_read(actor=user, object_type=Proposal._meta.label_lower, shown={"employees": others})


def proposal_get(*, user: ActingUser, pk: int) -> Proposal:
    """One proposal the user may see, else 404 (its existence is not revealed)."""
    proposal = _proposals().filter(pk=pk).first()
    if proposal is None or not can(user, "proposal.view", proposal):
        raise NotFound()
    return proposal


@dataclass
class TraceRow:
    """A result that fired the proposal, as it was then, and whether a recheck changed it since."""

    result_id: int
    cycle: str
    grade: str
    total: str
    vetoed: bool
    revised: bool


@dataclass
class ProposalPage:
    proposal: Proposal
    state: Text
    rule_text: Text
    lines: tuple[Text, ...]
    rows: list[TraceRow]
    actions: list[Transition]
    handles: bool
    plan_link: str
    timeline: list[TimelineEntry]

    @property
    def action_names(self) -> set[str]:
        return {t.action for t in self.actions}


def _plan_link(proposal: Proposal) -> str:
    if proposal.improvement_plan_id is None:
        return ""
    try:
        return reverse("improvement:detail", args=[proposal.improvement_plan_id])
    except NoReverseMatch:
        return ""


HIDDEN = "—"  # a figure the cycle's release keeps from this viewer (结果开通)


def _trace_rows(proposal: Proposal, user: ActingUser) -> tuple[list[TraceRow], bool]:
    """The results that fired the proposal, each figure as far as the cycle's release shows it to
    ``user`` (the person concerned reads their own proposal; HR and the committee see all), and
    whether anything was held back."""
    entries: list[dict[str, Any]] = list(proposal.trace.get("entries", []))
    ids = [int(e["result"]) for e in entries]
    results = {
        r.pk: r
        for r in shown_many(
            user=user, results=Result.objects.filter(pk__in=ids).select_related("cycle", "member")
        )
    }
    rows, held = [], False
    for e in entries:
        result = results.get(int(e["result"]))
        shown = getattr(result, "shown", None)
        grade_ok, total_ok = (shown.grade, shown.total) if shown is not None else (False, False)
        held = held or not (grade_ok and total_ok)
        revised = result is not None and result.revision != e.get("revision", result.revision)
        rows.append(
            TraceRow(
                int(e["result"]),
                str(e["cycle"]),
                str(e["grade"]) if grade_ok else HIDDEN,
                str(e["total"]) if total_ok else HIDDEN,
                bool(e["vetoed"]),
                revised,
            )
        )
    return rows, held


def proposal_page(*, user: ActingUser, pk: int, log_read: bool = True) -> ProposalPage:
    """The proposal with its trace and the steps the user may take (``log_read`` as for the list)."""
    proposal = proposal_get(user=user, pk=pk)
    rows, held = _trace_rows(proposal, user)
    try:
        condition = parse_condition(str(proposal.trace.get("condition", "")))
        # The explanation names grades and totals: not to a viewer the release keeps them from.
        lines = () if held else explain(condition, proposal.entries)
    except ConditionError:
        lines = ()
    if proposal.is_money and log_read:
        _audit_money_read(user, [proposal])
    return ProposalPage(
        proposal,
        PROPOSAL.state_label(proposal.state),
        proposal.rule.described,
        lines,
        rows,
        PROPOSAL.available(user, proposal),
        can(user, "proposal.list"),
        _plan_link(proposal),
        timeline(proposal, PROPOSAL_STEPS),
    )


@dataclass
class MinePage:
    about_me: list[Proposal]
    talks: list[Proposal]

    @property
    def empty(self) -> bool:
        return not self.about_me and not self.talks


def mine_page(*, user: ActingUser) -> MinePage:
    """My approved proposals (a commendation, a plan, a reward or penalty — never a pending or
    rejected one) and, for a head, the talks I am asked to hold."""
    require(user, "proposal.mine")
    me = actor_for(user).employee_id
    if me is None:
        return MinePage([], [])
    visible = scope(user, "proposal.view", _proposals())
    about_me = list(visible.filter(employee_id=me, state__in=list(SHOWN))[:LIST_LIMIT])
    talks = list(visible.filter(head_id=me, kind=ActionKind.TALK).exclude(employee_id=me)[:LIST_LIMIT])
    return MinePage(about_me, talks)


SHOWN = (ProposalState.APPROVED, ProposalState.DONE)


def todo_count(*, user: ActingUser) -> int:
    """What waits on the user here (for a hub or the home page): proposals to decide, talks to hold."""
    actor = actor_for(user)
    waiting = 0
    if can(user, "proposal.list") and actor.has("hr_supervisor", "committee_leader"):
        pending = Proposal.objects.filter(state=ProposalState.PROPOSED)
        if actor.employee_id is not None:
            pending = pending.exclude(employee_id=actor.employee_id)
        waiting += pending.count()
    if actor.employee_id is not None:
        waiting += Proposal.objects.filter(
            head_id=actor.employee_id, kind=ActionKind.TALK, state=ProposalState.APPROVED
        ).count()
    return waiting
