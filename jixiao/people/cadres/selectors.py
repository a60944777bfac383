"""Cadre review pages: one selector per page, always through ``access``. The eligibility traces are
re-run by the engine on every read (never stored as text)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can, require, scope
from jixiao.common.errors import NotFound, PermissionRefused
from jixiao.engine import eligibility as engine
from jixiao.engine.text import Text
from jixiao.org.models import Employee, Position, PositionChange
from jixiao.org.selectors import position_history
from jixiao.workflow.services import state_refusal

from .history import candidates_for, eligibility_of, records_for
from .models import CRITERIA, EligibilityRule, Evaluation, Nomination, PotentialRating, State
from .quota import quota_after
from .workflow import NOMINATION

POTENTIAL_ORDER = ("high", "medium", "low")
PERFORMANCE_ORDER = ("low", "medium", "high")
BAND_NAMES = {"low": Text("低", "Low"), "medium": Text("中", "Medium"), "high": Text("高", "High")}
STATE_FILTERS = tuple(State.values)


def _active() -> QuerySet[Employee]:
    return Employee.objects.exclude(status=Employee.Status.LEFT).select_related("department", "position")


def _employee(user: ActingUser, pk: int, action: str) -> Employee:
    employee = _active().filter(pk=pk).first()
    if employee is None or not can(user, "cadre.trace", employee):
        raise NotFound()
    if action != "cadre.trace":
        require(user, action, employee)
    return employee


# -- eligibility ---------------------------------------------------------------------------------


@dataclass
class EligibilityRow:
    employee: Employee
    eligibility: engine.Eligibility
    can_nominate: bool


@dataclass
class EligibilityPage:
    targets: list[Position]
    target: Position | None
    rule: EligibilityRule | None
    eligible: list[EligibilityRow]
    ineligible: list[EligibilityRow]
    can_manage_rules: bool
    today: dt.date


def eligibility_page(*, user: ActingUser, position_id: int | None) -> EligibilityPage:
    """Who is eligible for a target position, and who is not, each with the trace (HR and the
    committee: everyone below its level; a head: the people of their departments)."""
    require(user, "cadre.eligibility")
    targets = list(
        Position.objects.select_related("department").order_by("-level", "department__sort_order", "code")
    )
    target = next((t for t in targets if t.pk == position_id), None) or next(
        (t for t in targets if t.is_cadre), targets[0] if targets else None
    )
    page = EligibilityPage(
        targets, target, None, [], [], can(user, "cadre_rule.manage"), timezone.localdate()
    )
    if target is None:
        return page
    page.rule = EligibilityRule.objects.filter(level=target.level).first()
    people = list(
        scope(user, "cadre.trace", _active())
        .filter(Q(position__level__lt=target.level) | Q(position=None))
        .order_by("department__sort_order", "number")
    )
    candidates = candidates_for(people, page.today)
    for employee in people:
        found = eligibility_of(page.rule, target.level, candidates[employee.pk], page.today)
        row = EligibilityRow(employee, found, can(user, "cadre.nominate", employee))
        (page.eligible if found.eligible else page.ineligible).append(row)
    return page


@dataclass
class RulesPage:
    rules: list[EligibilityRule]
    levels: list[int]  # the position levels in use
    can_manage: bool


def rules_page(*, user: ActingUser) -> RulesPage:
    require(user, "cadre.eligibility")
    levels = sorted(set(Position.objects.values_list("level", flat=True)), reverse=True)
    return RulesPage(list(EligibilityRule.objects.all()), levels, can(user, "cadre_rule.manage"))


def rule_for(*, user: ActingUser, level: int) -> EligibilityRule | None:
    require(user, "cadre_rule.manage")
    return EligibilityRule.objects.filter(level=level).first()


# -- nominations ---------------------------------------------------------------------------------


@dataclass
class NominationRow:
    nomination: Nomination
    state: Text


@dataclass
class NominationsPage:
    rows: list[NominationRow]
    states: list[tuple[str, Text]]
    state: str
    can_eligibility: bool
    can_talent: bool
    todo: bool = False


def _nominations(qs: QuerySet[Nomination]) -> QuerySet[Nomination]:
    return qs.select_related("nominee", "target", "department", "nominator")


def _waits_on(user: ActingUser, nomination: Nomination) -> bool:
    return any(t.action in NOMINATION_TODO_STEPS for t in NOMINATION.available(user, nomination))


# The steps that make a nomination wait on someone: evaluate, end the evaluation, decide.
NOMINATION_TODO_STEPS = frozenset({"score", "end_evaluation", "approve"})


def nominations_page(*, user: ActingUser, state: str = "", todo: bool = False) -> NominationsPage:
    """The nominations a person may read: HR and the committee all, a head those they made;
    ``todo``: only those with a step of the user's to take (the home page counts these)."""
    require(user, "nomination.list")
    qs = _nominations(scope(user, "nomination.view", Nomination.objects.all()))
    if state:
        qs = qs.filter(state=state)
    shown = [n for n in qs if not todo or _waits_on(user, n)]
    return NominationsPage(
        rows=[NominationRow(n, NOMINATION.state_label(n.state)) for n in shown],
        states=[(s, NOMINATION.state_label(s)) for s in STATE_FILTERS],
        state=state,
        can_eligibility=can(user, "cadre.eligibility"),
        can_talent=can(user, "talent.view"),
        todo=todo,
    )


def my_nominations(*, user: ActingUser) -> list[NominationRow]:
    """The nominee's decided nominations: the outcome only."""
    require(user, "nomination.mine")
    qs = _nominations(scope(user, "nomination.outcome", Nomination.objects.all()))
    return [NominationRow(n, NOMINATION.state_label(n.state)) for n in qs]


@dataclass
class NominatePage:
    employee: Employee
    target: Position
    eligibility: engine.Eligibility
    rule: EligibilityRule | None


def nominate_page(*, user: ActingUser, employee_id: int, position_id: int) -> NominatePage:
    employee = _employee(user, employee_id, "cadre.nominate")
    target = Position.objects.select_related("department").filter(pk=position_id).first()
    if target is None:
        raise NotFound()
    today = timezone.localdate()
    rule = EligibilityRule.objects.filter(level=target.level).first()
    found = eligibility_of(rule, target.level, candidates_for([employee], today)[employee.pk], today)
    return NominatePage(employee, target, found, rule)


@dataclass
class NominationPage:
    nomination: Nomination
    state: Text
    eligibility: engine.Eligibility
    evaluations: list[Evaluation]
    average: str  # the evaluations' average total, "—" without any
    conflicts: list[Any]
    actions: list[Any]  # the steps the user may take now (from the transition table)
    can_score: bool
    can_declare: bool
    mine: Evaluation | None
    see_evaluations: bool
    criteria: tuple[tuple[str, Text, int], ...]
    quota: int
    holders: int  # people holding the target today (without the nominee)


def _nomination(pk: int) -> Nomination:
    nomination = _nominations(Nomination.objects.filter(pk=pk)).first()
    if nomination is None:
        raise NotFound()
    return nomination


def nomination_page(*, user: ActingUser, pk: int) -> NominationPage:
    """The whole nomination (HR, the committee, the nominating head — never the nominee)."""
    nomination = _nomination(pk)
    if not can(user, "nomination.view", nomination):
        raise NotFound()
    today = timezone.localdate()
    rule = EligibilityRule.objects.filter(level=nomination.target.level).first()
    candidate = candidates_for([nomination.nominee], today)[nomination.nominee_id]
    evaluations = []
    if can(user, "nomination.evaluations", nomination):
        evaluations = list(nomination.evaluations.select_related("evaluator__employee").order_by("pk"))
    me = actor_for(user).user_id
    quota, after = quota_after(nomination, today)
    open_steps = [t for t in NOMINATION.available(user, nomination) if t.action != "score"]
    return NominationPage(
        nomination=nomination,
        state=NOMINATION.state_label(nomination.state),
        eligibility=eligibility_of(rule, nomination.target.level, candidate, today),
        evaluations=evaluations,
        average=_average(evaluations),
        conflicts=list(nomination.conflicts.select_related("user__employee")),
        actions=open_steps,
        can_score=nomination.state == State.EVALUATING and can(user, "nomination.score", nomination),
        can_declare=can(user, "nomination.declare", nomination) and me not in nomination.conflicted,
        mine=next((e for e in evaluations if e.evaluator_id == me), None),
        see_evaluations=can(user, "nomination.evaluations", nomination),
        criteria=CRITERIA,
        quota=quota,
        holders=after - 1,
    )


def _average(evaluations: list[Evaluation]) -> str:
    if not evaluations:
        return "—"
    tenths = round(sum(e.total for e in evaluations) * 10 / len(evaluations))
    return f"{tenths // 10}.{tenths % 10}"


@dataclass
class OutcomePage:
    nomination: Nomination
    state: Text


def outcome_page(*, user: ActingUser, pk: int) -> OutcomePage:
    """What the nominee reads once decided: the post and the outcome (never the evaluations)."""
    nomination = _nomination(pk)
    if not can(user, "nomination.outcome", nomination):
        raise NotFound()
    return OutcomePage(nomination, NOMINATION.state_label(nomination.state))


def nomination_or_outcome(*, user: ActingUser, pk: int) -> NominationPage | OutcomePage:
    """The nomination page for those who may read it; the outcome for the nominee once decided."""
    nomination = _nomination(pk)
    if can(user, "nomination.view", nomination):
        return nomination_page(user=user, pk=pk)
    return outcome_page(user=user, pk=pk)


def nomination_for(*, user: ActingUser, pk: int, action: str) -> Nomination:
    """The nomination for a step: found only by those who may read it; then the step's rule."""
    nomination = _nomination(pk)
    if not can(user, "nomination.view", nomination):
        raise NotFound()
    if not can(user, action, nomination):
        raise PermissionRefused()
    return nomination


@dataclass
class DecidePage:
    nomination: Nomination
    quota: int
    holders: int
    default_effective: dt.date
    evaluations: int
    average: str


def decide_page(*, user: ActingUser, pk: int) -> DecidePage:
    nomination = nomination_for(user=user, pk=pk, action="nomination.decide")
    if nomination.state != State.EVALUATED:
        raise state_refusal(NOMINATION, nomination, Text("审批", "decide"))
    today = timezone.localdate()
    first_next = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    quota, after = quota_after(nomination, first_next)
    evaluations = list(nomination.evaluations.all())
    return DecidePage(nomination, quota, after - 1, first_next, len(evaluations), _average(evaluations))


# -- a person's trace and the talent grid --------------------------------------------------------


@dataclass
class LevelCheck:
    level: int
    eligibility: engine.Eligibility


@dataclass
class PersonPage:
    employee: Employee
    records: list[engine.Record]
    band: engine.Band
    band_name: Text | None
    checks: list[LevelCheck]
    history: list[PositionChange]
    potential: list[PotentialRating] | None  # None: the reader may not see potential
    can_rate: bool
    year: int


def person_page(*, user: ActingUser, employee_id: int) -> PersonPage:
    """One person's cadre trace: released results, the performance band, each higher level's
    eligibility, the 任职记录; potential for the committee and HR only."""
    employee = _employee(user, employee_id, "cadre.trace")
    today = timezone.localdate()
    candidate = candidates_for([employee], today)[employee.pk]
    level = employee.position.level if employee.position else 0
    checks = [
        LevelCheck(r.level, engine.eligibility(r.as_engine(), candidate, today))
        for r in EligibilityRule.objects.filter(level__gt=level)
    ]
    recent = _recent(list(candidate.records), today.year)
    band = engine.performance_band(recent)
    potential = None
    if can(user, "talent.view"):
        potential = list(scope(user, "potential.view", PotentialRating.objects.filter(employee=employee)))
    return PersonPage(
        employee=employee,
        records=list(candidate.records),
        band=band,
        band_name=BAND_NAMES.get(band.level),
        checks=checks,
        history=position_history(user=user, employee=employee),
        potential=potential,
        can_rate=can(user, "cadre.potential", employee),
        year=today.year,
    )


def person_for(*, user: ActingUser, employee_id: int, action: str) -> Employee:
    """The person a step acts on: found by those who may read their trace, then the step's rule."""
    return _employee(user, employee_id, action)


def _recent(records: list[engine.Record], year: int) -> list[engine.Record]:
    """The results the talent grid reads for ``year``: cycles that ended in that year."""
    return [r for r in records if r.end.year == year]


@dataclass
class Box:
    potential: str
    performance: str
    people: list[Employee]


@dataclass
class TalentRow:
    potential: Text
    boxes: list[Box]


@dataclass
class TalentPage:
    year: int
    columns: list[Text]  # performance low → high
    rows: list[TalentRow]  # potential high → low
    unplaced: list[tuple[Employee, Text]]  # cadres without a band or a rating, and why


def talent_page(*, user: ActingUser, year: int | None) -> TalentPage:
    """The nine-box grid (九宫格) of the cadres for ``year``: performance (the band of the grades of
    the year's released cycles) against the committee's potential rating. Committee and HR only;
    nobody finds themselves on it."""
    require(user, "talent.view")
    year = year if year is not None and 2000 <= year <= 2100 else timezone.localdate().year
    me = actor_for(user).employee_id
    cadres = list(
        _active()
        .filter(position__is_cadre=True)
        .exclude(pk=me or 0)
        .order_by("department__sort_order", "number")
    )
    records = records_for(e.pk for e in cadres)
    ratings = {
        r.employee_id: r.level
        for r in scope(user, "potential.view", PotentialRating.objects.filter(year=year, employee__in=cadres))
    }
    boxes = {(p, f): Box(p, f, []) for p in POTENTIAL_ORDER for f in PERFORMANCE_ORDER}
    unplaced: list[tuple[Employee, Text]] = []
    for employee in cadres:
        band = engine.performance_band(_recent(records.get(employee.pk, []), year))
        potential = ratings.get(employee.pk)
        if not band.level or potential is None:
            why = (
                Text("本年度没有考核结果", "no results this year")
                if not band.level
                else Text("未评定潜力", "potential not rated")
            )
            unplaced.append((employee, why))
            continue
        boxes[(potential, band.level)].people.append(employee)
    return TalentPage(
        year=year,
        columns=[BAND_NAMES[f] for f in PERFORMANCE_ORDER],
        rows=[TalentRow(BAND_NAMES[p], [boxes[(p, f)] for f in PERFORMANCE_ORDER]) for p in POTENTIAL_ORDER],
        unplaced=unplaced,
    )
