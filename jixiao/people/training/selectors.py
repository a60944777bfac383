"""Reads of training (培训), each through ``jixiao.access.policy``: one page selector per page, the
material download, and the employee's page of the rules they are appraised and paid by
(我的考核与薪酬规则), which reuses the plans' and pay's own selectors."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.models import Role
from jixiao.access.policy import can, require, scope
from jixiao.common.errors import NotFound
from jixiao.common.files import MAX_EVIDENCE_BYTES, MAX_FILES
from jixiao.engine.bonus import resolve_tiers
from jixiao.engine.money import format_rate
from jixiao.engine.pay import DEFAULT_FORMULA
from jixiao.engine.pay_types import PayPlan
from jixiao.engine.text import Text
from jixiao.engine.toml_reader import FormatError
from jixiao.org.models import Department, Employee, Position
from jixiao.org.selectors import positions_on
from jixiao.pay.monthly.models import MonthlyPayLine
from jixiao.pay.monthly.selectors import my_monthly_lines
from jixiao.pay.structures.models import PayStructure
from jixiao.pay.structures.services import pay_plan_for
from jixiao.plans.adapters import engine_pay
from jixiao.plans.models import RELEASED as FRAMEWORK_RELEASED
from jixiao.plans.models import Framework, Plan, Status
from jixiao.plans.selectors import my_plan_page
from jixiao.workflow.table import Transition

from .models import COUNTS, State, TrainingAttendance, TrainingInvitation, TrainingMaterial, TrainingSession
from .services import HEAD
from .workflow import SESSION

PER_PAGE = 50
PEOPLE_PER_PAGE = 200


def _sessions() -> QuerySet[TrainingSession]:
    return TrainingSession.objects.select_related("framework")


def session_get(*, user: ActingUser, pk: int) -> TrainingSession:
    """A session the user may see, else 404 (its existence is not revealed)."""
    session = scope(user, "training_session.view", _sessions()).filter(pk=pk).first()
    if session is None:
        raise NotFound()
    return session


def session_managed(*, user: ActingUser, pk: int) -> TrainingSession:
    """A session for HR to change: 404 to those who may not see it, 403 to readers who may not manage."""
    session = session_get(user=user, pk=pk)
    require(user, "training.manage")
    return session


# -- the list -------------------------------------------------------------------------------


@dataclass
class SessionRow:
    session: TrainingSession
    state: Text
    invitation: TrainingInvitation | None  # the user's own
    attendance: TrainingAttendance | None  # the user's own


@dataclass
class SessionListPage:
    page: Page[TrainingSession]
    rows: list[SessionRow]
    counts: bool  # the invited/present columns (HR and the committee)
    can_manage: bool
    can_untrained: bool
    todo: bool = False


def sessions_to_attend(*, user: ActingUser) -> QuerySet[TrainingSession]:
    """The planned sessions the user is invited to (the home page's "training to attend"; the
    list with ``?todo=1``)."""
    me = actor_for(user).employee_id or 0
    planned = _sessions().filter(state=State.PLANNED, invitations__employee_id=me)
    return scope(user, "training_session.view", planned)


def session_list_page(*, user: ActingUser, page: Any = 1, todo: bool = False) -> SessionListPage:
    """The sessions the user may see (HR and the committee: all; others: those they are invited
    to, and heads those inviting their people), newest first, with the user's own invitation
    and attendance; a fixed number of queries whatever the rows."""
    require(user, "training.list")
    counts = can(user, "training.untrained")
    qs = sessions_to_attend(user=user) if todo else scope(user, "training_session.view", _sessions())
    if counts:
        qs = qs.annotate(
            invited=Count("invitations", distinct=True),
            present=Count("attendances", filter=Q(attendances__present=True), distinct=True),
        )
    shown = Paginator(qs.order_by("-held_on", "-pk"), PER_PAGE).get_page(page)
    ids, me = [s.pk for s in shown], actor_for(user).employee_id or 0
    invitations = {
        i.session_id: i for i in TrainingInvitation.objects.filter(session_id__in=ids, employee_id=me)
    }
    attended = {
        a.session_id: a for a in TrainingAttendance.objects.filter(session_id__in=ids, employee_id=me)
    }
    rows = [
        SessionRow(s, SESSION.state_label(s.state), invitations.get(s.pk), attended.get(s.pk)) for s in shown
    ]
    return SessionListPage(shown, rows, counts, can(user, "training.manage"), counts, todo)


# -- the session page ----------------------------------------------------------------------


@dataclass
class PersonRow:
    """An invitee as the page shows them: their invitation and attendance (None: not recorded)."""

    invitation: TrainingInvitation
    attendance: TrainingAttendance | None


@dataclass
class SessionPage:
    session: TrainingSession
    state: Text
    actions: list[Transition]
    can_manage: bool
    materials: list[TrainingMaterial]
    can_download: bool
    people: list[PersonRow]  # one page of the invitees the user may see
    pages: Page[TrainingInvitation]
    invited: int
    present: int
    absent: int
    mine: TrainingInvitation | None
    my_attendance: TrainingAttendance | None
    can_acknowledge: bool
    departments: list[Department] = field(default_factory=list)
    roles: list[tuple[str, Text]] = field(default_factory=list)
    max_files: int = MAX_FILES
    max_megabytes: int = MAX_EVIDENCE_BYTES // (1024 * 1024)

    @property
    def action_names(self) -> set[str]:
        return {t.action for t in self.actions}


def invite_roles() -> list[tuple[str, Text]]:
    """The roles one may invite by: department heads, then each granted role by its label."""
    return [(HEAD, Text("部门负责人", "Department heads"))] + [
        (str(value), Text(str(label), str(label))) for value, label in Role.choices
    ]


def _people(
    user: ActingUser, session: TrainingSession, page: Any
) -> tuple[Page[TrainingInvitation], list[PersonRow]]:
    """One page of the invitees the user may see, each with their attendance."""
    invitations = scope(
        user,
        "training_invitation.view",
        session.invitations.select_related("employee__department", "employee__position"),
    ).order_by("employee__department__sort_order", "employee__number", "pk")
    shown = Paginator(invitations, PEOPLE_PER_PAGE).get_page(page)
    ids = [i.employee_id for i in shown]
    marks = {
        a.employee_id: a
        for a in scope(user, "training_attendance.view", session.attendances.filter(employee_id__in=ids))
    }
    return shown, [PersonRow(i, marks.get(i.employee_id)) for i in shown]


def _counts(user: ActingUser, session: TrainingSession) -> tuple[int, int, int]:
    """(invited, present, absent) among the invitees the user may see."""
    invited = scope(user, "training_invitation.view", session.invitations.all()).count()
    marks = scope(user, "training_attendance.view", session.attendances.all())
    present = dict(marks.values_list("present").annotate(n=Count("pk")).values_list("present", "n"))
    return invited, present.get(True, 0), present.get(False, 0)


def _mine(
    user: ActingUser, session: TrainingSession
) -> tuple[TrainingInvitation | None, TrainingAttendance | None]:
    me = actor_for(user).employee_id
    if me is None:
        return None, None
    return (
        session.invitations.filter(employee_id=me).first(),
        session.attendances.filter(employee_id=me).first(),
    )


def session_page(*, user: ActingUser, pk: int, page: Any = 1) -> SessionPage:
    """A session with the steps the user may take, its materials, one page of the invitees they
    may see with their attendance, the counts, and their own invitation; a fixed number of queries
    whatever the number of invitees."""
    session = session_get(user=user, pk=pk)
    shown, people = _people(user, session, page)
    mine, my_attendance = _mine(user, session)
    manage = can(user, "training.manage")
    materials = list(session.materials.all())
    acknowledge = bool(
        mine is not None
        and materials
        and session.ask_acknowledgement
        and not session.is_cancelled
        and not mine.is_acknowledged
    )
    invited, present, absent = _counts(user, session)
    return SessionPage(
        session=session,
        state=SESSION.state_label(session.state),
        actions=SESSION.available(user, session),
        can_manage=manage,
        materials=materials,
        can_download=bool(materials) and can(user, "training_material.download", materials[0]),
        people=people,
        pages=shown,
        invited=invited,
        present=present,
        absent=absent,
        mine=mine,
        my_attendance=my_attendance,
        can_acknowledge=acknowledge,
        departments=list(Department.objects.order_by("sort_order", "code")) if manage else [],
        roles=invite_roles() if manage else [],
    )


def invite_options(*, user: ActingUser) -> tuple[list[Department], list[tuple[str, Text]]]:
    """The departments and roles the invitation form offers (HR)."""
    require(user, "training.manage")
    return list(Department.objects.order_by("sort_order", "code")), invite_roles()


def invitee_ids(*, user: ActingUser, session: TrainingSession) -> list[int]:
    """Every invitee of ``session`` the user may mark (the attendance form's choices, any page)."""
    require(user, "training.manage")
    return list(session.invitations.values_list("employee_id", flat=True))


def material_get(*, user: ActingUser, pk: int) -> TrainingMaterial:
    """A material the user may download (invitees, HR, the committee); 404 otherwise."""
    material = TrainingMaterial.objects.select_related("session").filter(pk=pk).first()
    if material is None or not can(user, "training_material.download", material):
        raise NotFound()
    return material


# -- the session form ----------------------------------------------------------------------


def framework_choices() -> list[tuple[int, str]]:
    """The framework versions a session can cover: published ones first, then superseded."""
    rows = Framework.objects.filter(status__in=FRAMEWORK_RELEASED).order_by("-status", "code", "-number")
    return [(f.pk, str(f)) for f in rows]


def framework_in_force() -> Framework | None:
    """The framework version in force: the published one that took effect last (by its effective
    month, then its number)."""
    month = timezone.localdate().strftime("%Y-%m")
    published = Framework.objects.filter(status=Status.PUBLISHED)
    current = published.filter(Q(effective_from__lte=month) | Q(effective_from="")).order_by(
        "-effective_from", "-number", "-pk"
    )
    return current.first() or published.order_by("effective_from", "-number", "-pk").first()


@dataclass
class FormPage:
    session: TrainingSession | None
    frameworks: list[tuple[int, str]]
    framework_in_force: Framework | None


def form_page(*, user: ActingUser, pk: int | None = None) -> FormPage:
    require(user, "training.manage")
    session = session_managed(user=user, pk=pk) if pk is not None else None
    return FormPage(session, framework_choices(), framework_in_force())


# -- who has not been trained ----------------------------------------------------------------


LIST_LIMIT = 300  # names listed without choosing a department


@dataclass
class DepartmentGap:
    """A department's active headcount, how many of them are untrained, and (when listed) who."""

    department: Department
    active: int
    missing: int
    people: list[Employee] = field(default_factory=list)

    @property
    def trained(self) -> int:
        return self.active - self.missing


@dataclass
class UntrainedPage:
    framework: Framework | None
    frameworks: list[tuple[int, str]]
    blocks: list[DepartmentGap]  # every department with someone untrained, with counts
    listed: list[DepartmentGap]  # the departments whose names the page lists
    invited: set[int]  # listed people invited to a planned session on the framework
    active: int
    untrained: int
    department_id: int | None  # the department asked for
    limit: int = LIST_LIMIT

    @property
    def too_many(self) -> bool:
        """Names are listed per department once more than ``limit`` people are untrained."""
        return not self.listed and self.untrained > 0


def _trained(framework: Framework) -> QuerySet[Any]:
    """Who attended a held or closed session on ``framework``."""
    return TrainingAttendance.objects.filter(
        present=True, session__framework=framework, session__state__in=COUNTS
    ).values("employee_id")


def _per_department(qs: QuerySet[Employee]) -> dict[int, int]:
    return dict(qs.values_list("department_id").annotate(n=Count("pk")).values_list("department_id", "n"))


def _framework_asked(framework_id: int | None) -> Framework | None:
    if framework_id:
        chosen = Framework.objects.filter(pk=framework_id, status__in=FRAMEWORK_RELEASED).first()
        if chosen is not None:
            return chosen
    return framework_in_force()


def untrained_page(
    *, user: ActingUser, framework_id: int | None = None, department_id: int | None = None
) -> UntrainedPage:
    """Active employees with no attendance at a held or closed session on the framework version
    (the one in force unless another released version is asked for): counts by department in two
    grouped queries, and the names of one department (or of everyone while they are at most
    ``LIST_LIMIT``) — a fixed number of queries whatever the headcount."""
    require(user, "training.untrained")
    framework, choices = _framework_asked(framework_id), framework_choices()
    if framework is None:
        return UntrainedPage(None, choices, [], [], set(), 0, 0, department_id)
    active = Employee.objects.exclude(status=Employee.Status.LEFT)
    missing = active.exclude(pk__in=_trained(framework))
    totals, gaps = _per_department(active), _per_department(missing)
    departments = Department.objects.filter(pk__in=gaps).order_by("sort_order", "code")
    blocks = {d.pk: DepartmentGap(d, totals.get(d.pk, 0), gaps[d.pk]) for d in departments}
    shown = (
        [department_id]
        if department_id in blocks
        else list(blocks)
        if sum(gaps.values()) <= LIST_LIMIT
        else []
    )
    people = list(
        missing.filter(department_id__in=shown)
        .select_related("position")
        .order_by("number")[: LIST_LIMIT * 10]
    )
    for employee in people:
        blocks[employee.department_id].people.append(employee)
    invited = set(
        TrainingInvitation.objects.filter(
            session__framework=framework, session__state=State.PLANNED, employee_id__in=[e.pk for e in people]
        ).values_list("employee_id", flat=True)
    )
    listed = [blocks[pk] for pk in blocks if pk in shown]
    return UntrainedPage(
        framework, choices, list(blocks.values()), listed, invited, sum(totals.values()), sum(gaps.values()),
        department_id,
    )  # fmt: skip


def untrained_count(framework: Framework) -> int:
    """How many active employees are not yet trained on ``framework`` (for dashboards and hubs)."""
    trained = _trained(framework)
    return Employee.objects.exclude(status=Employee.Status.LEFT).exclude(pk__in=trained).count()


# -- 我的考核与薪酬规则: how I am appraised and paid ---------------------------------------------

FORMULA_WORDS = {
    "base": Text("月度奖金基数", "monthly bonus base"),
    "completion": Text("部门工作完成情况", "department completion"),
    "coefficient": Text("本人考核系数", "my coefficient"),
}
_TOKEN = re.compile(r"[A-Za-z_]+|\*|/|.")


def formula_words(formula: str) -> Text:
    """A monthly bonus formula in words: ``base * completion * coefficient`` →
    月度奖金基数 × 部门工作完成情况 × 本人考核系数 (other tokens as written)."""
    zh: list[str] = []
    en: list[str] = []
    for token in _TOKEN.findall(formula):
        word = FORMULA_WORDS.get(token)
        shown = {"*": "×", "/": "÷"}.get(token, token)
        zh.append(word.zh if word else shown)
        en.append(word.en if word else shown)
    return Text("".join(zh), "".join(en))


@dataclass
class TierRow:
    """One annual bonus tier as the page states it: its range in the legal convention's words
    (以上/不满 …) and my role's rate."""

    range: Text
    rate: str
    source_text: str


@dataclass
class AnnualRules:
    role: str
    role_name: str
    mode: str  # bonus_mode code, shown by its label
    tiers: list[TierRow]
    headcount: int


@dataclass
class MyRulesPage:
    employee: Employee | None
    plan: Plan | None
    framework: Framework | None
    grades: list[dict[str, Any]]
    position: Position | None
    structure: PayStructure | None
    pay_plan: Plan | None
    formula: str
    formula_words: Text
    annual: AnnualRules | None
    line: MonthlyPayLine | None  # my last released month: the worked example
    today: dt.date


def _appraisal_plan(user: ActingUser) -> tuple[Plan | None, Framework | None]:
    """The plan ``plans:my_plan`` shows (its own selector), kept only when it is an appraisal
    plan (a department's pay plan is not how one is appraised)."""
    mine = my_plan_page(user=user)
    if mine.plan is None or not mine.plan.is_appraisal:
        return None, None
    return mine.plan, mine.framework


def _structure(employee: Employee, day: dt.date) -> tuple[Position | None, PayStructure | None]:
    """My position in force ``day`` and its pay structure in force that day."""
    position_id = positions_on([employee.pk], day).get(employee.pk)
    if position_id is None:
        return None, None
    position = Position.objects.filter(pk=position_id).first()
    structure = (
        PayStructure.objects.filter(position_id=position_id, effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )
    return position, structure


def _annual(pay: PayPlan, structure: PayStructure | None, position: Position | None) -> AnnualRules | None:
    """The annual bonus tiers with my role's rate in each; None when my post shares in none."""
    plan = pay.annual_bonus
    if plan is None:
        return None
    role = structure.annual_bonus_role if structure else ""
    if not role and position is not None:
        role = next((s.annual_bonus_role for s in pay.structures if s.position == position.code), "")
    found = next((r for r in plan.roles if r.key == role), None)
    if found is None:
        return None
    tiers = [
        TierRow(Text(t.render_zh(), t.render_en()), format_rate(tier.rate(role)), tier.source_text)
        for t, tier in zip(resolve_tiers(plan), plan.tiers, strict=True)
    ]
    return AnnualRules(role, found.name_zh, str(plan.mode), tiers, found.headcount)


def _pay_rules(employee: Employee, structure: PayStructure | None, position: Position | None) -> tuple[
    Plan | None, str, AnnualRules | None
]:  # fmt: skip
    plan = pay_plan_for(employee.department)
    if plan is None:
        return None, DEFAULT_FORMULA, None
    try:
        pay = engine_pay(plan)
    except FormatError:
        return plan, DEFAULT_FORMULA, None
    return plan, pay.monthly_bonus_formula, _annual(pay, structure, position)


def my_rules_page(*, user: ActingUser) -> MyRulesPage:
    """Everything the person is appraised and paid by, today: the plan ``plans:my_plan`` shows
    (indicators, weights, targets, scoring) with the framework's grade bands and coefficients; the
    pay structure of their position in force today; the department's monthly bonus formula and
    the annual bonus tiers for their role; and their last released month's pay line, whose trace
    (re-derived by the engine from the line's stored inputs) is the worked example."""
    require(user, "training.my_rules")
    today = timezone.localdate()
    plan, framework = _appraisal_plan(user)
    grades = list((framework.content if framework else {}).get("grades", []))
    me = actor_for(user).employee_id
    employee = Employee.objects.select_related("department").filter(pk=me).first() if me else None
    if employee is None:
        return MyRulesPage(None, plan, framework, grades, None, None, None, DEFAULT_FORMULA,
                           formula_words(DEFAULT_FORMULA), None, None, today)  # fmt: skip
    position, structure = _structure(employee, today)
    pay_plan, formula, annual = _pay_rules(employee, structure, position)
    lines = my_monthly_lines(user=user)
    return MyRulesPage(
        employee, plan, framework, grades, position, structure, pay_plan, formula, formula_words(formula),
        annual, lines[0] if lines else None, today,
    )  # fmt: skip
