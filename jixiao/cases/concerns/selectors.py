"""Reads of complaints and allegations, always through ``access`` (``concern.view`` /
``concern.handle``), except the anonymous reporter's page, which is reached with the follow-up
code (counted against the address's throttle when wrong).

One page selector per page; the case inbox asks ``inbox_items`` and the escalation command
``overdue_items``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from jixiao.access.actor import ActingUser
from jixiao.access.policy import can, require, scope
from jixiao.audit.models import AuditEvent
from jixiao.audit.selectors import audit_events_recent
from jixiao.cases.deadlines import due_date, step_days
from jixiao.cases.inbox import InboxItem
from jixiao.common.errors import JixiaoError, NotFound
from jixiao.common.labels import LABELS, action_label
from jixiao.cycles.lifecycle.models import RELEASED, Cycle
from jixiao.cycles.lifecycle.models import State as CycleState
from jixiao.cycles.results.models import Result
from jixiao.engine.text import Text
from jixiao.notifications.services import users_with_roles
from jixiao.org.models import Employee
from jixiao.workflow.table import Transition

from .codes import code_failed, code_guard, code_hash, code_normal
from .models import OPEN, Concern, ConcernFile, ConcernLink, ConcernNote, Kind, State
from .workflow import CONCERN

ANONYMOUS_NAME = "匿名举报人"  # the audit actor name of an anonymous reporter (services.ANONYMOUS_NAME)
# The events of a case the reporter sees on its timeline (besides replies and their own information).
REPORTER_ACTIONS = frozenset({"concern.file", "concern.investigate", "concern.conclude", "concern.decline"})
SEARCH_LENGTH = 100
PER_PAGE = 50


def _link(concern: Concern) -> str:
    return f"/cases/concerns/{concern.pk}/"


def _days_table() -> dict[tuple[str, str], int | None]:
    """The days each open step may take, read once per page (HR may change them)."""
    return {(kind, state): step_days(kind, state) for kind in Kind.values for state in OPEN}


def _due(concern: Concern, days: dict[tuple[str, str], int | None] | None = None) -> dt.date | None:
    if not concern.is_open:
        return None
    if days is None:
        return due_date(concern.kind, concern.state, concern.step_began)
    count = days.get((concern.kind, concern.state))
    return None if count is None else concern.step_began + dt.timedelta(days=count)


def _overdue_q(days: dict[tuple[str, str], int | None]) -> Q:
    today = timezone.localdate()
    late = Q(pk__in=[])
    for (kind, state), count in days.items():
        if count is not None:
            late |= Q(kind=kind, state=state, step_began__lt=today - dt.timedelta(days=count))
    return late


def _searched(qs: QuerySet[Concern], q: str) -> QuerySet[Concern]:
    q = (q or "").strip()[:SEARCH_LENGTH]
    if not q:
        return qs
    words = Q(title__icontains=q) | Q(text__icontains=q)
    number = q.upper().removeprefix("AL-").removeprefix("CP-")
    if number.isascii() and number.isdigit() and len(number) < 12:
        words |= Q(pk=int(number))
    return qs.filter(words)


# -- rows and the pages' parts ----------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    concern: Concern
    due: dt.date | None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()

    @property
    def state_label(self) -> Text:
        return CONCERN.state_label(self.concern.state)


@dataclass(frozen=True)
class Entry:
    """One line of a case's timeline: when, what (by its label), who, and the note it added."""

    at: dt.datetime
    what: Text
    who: Text
    note: ConcernNote | None = None


def _who(event: AuditEvent, concern: Concern, for_reporter: bool) -> Text:
    reporter = event.actor_name == ANONYMOUS_NAME or (
        concern.reporter_id is not None and event.actor_id == concern.reporter_id
    )
    if for_reporter:
        return Text("您", "You") if reporter else Text("处理人", "Handler")
    if event.actor_name == ANONYMOUS_NAME:
        return Text(ANONYMOUS_NAME, "Anonymous reporter")
    return Text(event.actor_name)


def timeline(
    concern: Concern, notes: list[ConcernNote], links: list[ConcernLink], for_reporter: bool
) -> list[Entry]:
    """The case's audit events in order, with the notes they added; the reporter's timeline
    leaves out internal notes and links (``notes``/``links`` are already what the viewer reads)."""
    by_note = {str(n.pk): n for n in notes}
    events = audit_events_recent().filter(
        Q(object_type="concerns.concern", object_id=str(concern.pk))
        | Q(object_type="concerns.concernnote", object_id__in=list(by_note))
        | Q(object_type="concerns.concernlink", object_id__in=[str(link.pk) for link in links])
    )
    entries = []
    for event in events.order_by("seq"):
        if for_reporter and event.object_type == "concerns.concern" and event.action not in REPORTER_ACTIONS:
            continue
        note = by_note.get(event.object_id) if event.object_type == "concerns.concernnote" else None
        entries.append(
            Entry(event.created_at, action_label(event.action), _who(event, concern, for_reporter), note)
        )
    return entries


@dataclass
class CasePage:
    """A complaint or allegation as its viewer may see it."""

    concern: Concern
    role: str  # "handler", "reader" (the other committee officer of a complaint), "reporter"
    due: dt.date | None
    notes: list[ConcernNote]
    files: list[ConcernFile]  # filed with the case (files of notes hang on the notes)
    links: list[ConcernLink]
    entries: list[Entry]
    actions: list[Transition] = field(default_factory=list)
    can_note: bool = False
    can_add_info: bool = False
    cycles: QuerySet[Cycle] = field(default_factory=Cycle.objects.none)
    flag_kinds: list[tuple[str, Text]] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()

    @property
    def state_label(self) -> Text:
        return CONCERN.state_label(self.concern.state)

    @property
    def handler_label(self) -> Text:
        return LABELS["role"].get(self.concern.handler_role, Text(self.concern.handler_role))

    @property
    def is_handler(self) -> bool:
        return self.role == "handler"

    @property
    def for_reporter(self) -> bool:
        return self.role == "reporter"

    @property
    def action_names(self) -> set[str]:
        return {t.action for t in self.actions}


def _case_parts(
    concern: Concern, for_reporter: bool
) -> tuple[list[ConcernNote], list[ConcernFile], list[ConcernLink]]:
    notes = list(concern.notes.prefetch_related("files").select_related("author"))
    if for_reporter:
        notes = [n for n in notes if n.for_reporter]
    files = list(concern.files.filter(note=None))
    links = [] if for_reporter else list(concern.links.select_related("cycle", "result__member__employee"))
    return notes, files, links


def _viewer_role(user: ActingUser, concern: Concern) -> str:
    if can(user, "concern.handle", concern):
        return "handler"
    if can(user, "concern.add_info", concern):
        return "reporter"
    return "reader"


def concern_get(*, user: ActingUser, pk: int) -> Concern:
    """The case ``pk`` if ``user`` may see it, else 404 (its existence is not revealed)."""
    concern = (
        Concern.objects.select_related("subject__department", "cycle", "result__member", "reporter__employee")
        .filter(pk=pk)
        .first()
    )
    if concern is None or not can(user, "concern.view", concern):
        raise NotFound()
    return concern


def concern_page(*, user: ActingUser, pk: int) -> CasePage:
    """Everything the case page shows to ``user``: the handler reads and does everything, the
    reporter reads the case, replies and their own information, never internal notes."""
    concern = concern_get(user=user, pk=pk)
    role = _viewer_role(user, concern)
    for_reporter = role == "reporter"
    notes, files, links = _case_parts(concern, for_reporter)
    page = CasePage(
        concern=concern,
        role=role,
        due=_due(concern),
        notes=notes,
        files=files,
        links=links,
        entries=timeline(concern, notes, links, for_reporter),
    )
    if role == "handler":
        page.actions = CONCERN.available(user, concern)
        page.can_note = concern.is_open
        page.cycles = _cycles_open_to_cases()
        page.flag_kinds = list(LABELS["integrity_flag"].items())
    page.can_add_info = role == "reporter" and concern.is_open
    return page


def concern_file_get(*, user: ActingUser, pk: int, file_pk: int) -> ConcernFile:
    """An evidence file of case ``pk`` the user may download (the reporter: not of internal notes)."""
    concern = concern_get(user=user, pk=pk)
    evidence = ConcernFile.objects.select_related("note").filter(pk=file_pk, concern=concern).first()
    if evidence is None:
        raise NotFound()
    if _viewer_role(user, concern) == "reporter" and not evidence.for_reporter:
        raise NotFound()
    return evidence


# -- lists ----------------------------------------------------------------------------------


@dataclass
class ListPage:
    rows: list[Row]
    page: Page[Any]
    kind: str
    state: str
    overdue_only: bool
    q: str
    kinds: list[tuple[str, Any]]
    states: list[tuple[str, Text]]


def concern_list_page(
    *,
    user: ActingUser,
    kind: str = "",
    state: str = "",
    overdue_only: bool = False,
    q: str = "",
    page: Any = 1,
) -> ListPage:
    """The deputy's and the leader's list: every case they may read, filtered."""
    listed, days = _listed(user=user, kind=kind, state=state, overdue_only=overdue_only, q=q)
    shown = Paginator(listed, PER_PAGE).get_page(page)
    return ListPage(
        rows=[Row(c, _due(c, days)) for c in shown.object_list],
        page=shown,
        kind=kind,
        state=state,
        overdue_only=overdue_only,
        q=(q or "")[:SEARCH_LENGTH],
        kinds=list(Kind.choices),
        states=list(CONCERN.labels.items()),
    )


def concern_list_rows(
    *, user: ActingUser, kind: str = "", state: str = "", overdue_only: bool = False, q: str = ""
) -> list[Row]:
    """Every row of the list under its filters, all its pages (the list's Excel download)."""
    listed, days = _listed(user=user, kind=kind, state=state, overdue_only=overdue_only, q=q)
    return [Row(c, _due(c, days)) for c in listed]


def _listed(
    *, user: ActingUser, kind: str, state: str, overdue_only: bool, q: str
) -> tuple[QuerySet[Concern], dict[tuple[str, str], int | None]]:
    """The list's cases (what ``user`` may read, filtered, newest first) and the step days."""
    require(user, "concern.list")
    days = _days_table()
    qs = scope(user, "concern.view", Concern.objects.all()).select_related("subject")
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if state in State.values:
        qs = qs.filter(state=state)
    if overdue_only:
        qs = qs.filter(_overdue_q(days))
    return _searched(qs, q).order_by("-pk"), days


def my_concerns_page(*, user: ActingUser, q: str = "") -> list[Row]:
    """The cases ``user`` filed while logged in (anonymous ones are reached by their code only)."""
    require(user, "concern.file")
    days = _days_table()
    mine = scope(user, "concern.view", Concern.objects.filter(reporter_id=getattr(user, "pk", None)))
    return [Row(c, _due(c, days)) for c in _searched(mine, q).order_by("-pk")[:200]]


# -- filing pages ---------------------------------------------------------------------------


@dataclass
class FilePage:
    employees: QuerySet[Employee]
    cycles: QuerySet[Cycle]
    results: QuerySet[Result]


def _cycles_open_to_cases() -> QuerySet[Cycle]:
    return Cycle.objects.exclude(state=CycleState.PLANNING).order_by("-start")


def concern_file_page(*, user: ActingUser) -> FilePage:
    """The choices of the filing form: the person concerned (anyone at work but the reporter),
    a cycle, and one of the reporter's own released results."""
    require(user, "concern.file")
    uid: int = getattr(user, "pk", None) or 0
    own: int = Employee.objects.filter(user__pk=uid).values_list("pk", flat=True).first() or 0
    employees = Employee.objects.exclude(status=Employee.Status.LEFT).select_related("department")
    results = Result.objects.filter(member__employee_id=own, cycle__state__in=RELEASED)
    return FilePage(
        employees=employees.exclude(pk=own).order_by("department__sort_order", "name"),
        cycles=_cycles_open_to_cases(),
        results=results.select_related("cycle").order_by("-cycle__start"),
    )


def anonymous_file_page() -> QuerySet[Cycle]:
    """The anonymous filing form's only choice: the cycle (labels only, nothing personal)."""
    return _cycles_open_to_cases()


# -- the anonymous reporter's page ------------------------------------------------------------


def follow_up_get(*, code: str, address: str) -> Concern:
    """The anonymous allegation whose follow-up code is ``code``. Looked up by the code's hash
    (a database index: no secret is compared in Python). A wrong code counts against
    ``address``; too many within the hour are refused (429) before any lookup."""
    code_guard(address)
    normal = code_normal(code)
    concern = Concern.objects.filter(code_hash=code_hash(normal), anonymous=True).first() if normal else None
    if concern is None:
        code_failed(address)
        raise JixiaoError(
            zh="跟进码不正确。请核对后重新输入（连续输错多次将被暂时禁止）。",
            en="The follow-up code is not right. Check it and enter it again (many wrong codes are blocked for a while).",
            code="not_found",
            status=404,
        )
    return concern


def follow_up_page(*, concern: Concern) -> CasePage:
    """The anonymous reporter's view of their allegation: as a reporter's, never internal notes."""
    notes, files, links = _case_parts(concern, for_reporter=True)
    page = CasePage(
        concern=concern,
        role="reporter",
        due=_due(concern),
        notes=notes,
        files=files,
        links=links,
        entries=timeline(concern, notes, links, for_reporter=True),
    )
    page.can_add_info = concern.is_open
    return page


def follow_up_file_get(*, concern: Concern, file_pk: int) -> ConcernFile:
    evidence = ConcernFile.objects.select_related("note").filter(pk=file_pk, concern=concern).first()
    if evidence is None or not evidence.for_reporter:
        raise NotFound()
    return evidence


# -- the inbox and escalation -----------------------------------------------------------------


def _item(concern: Concern, role: str, days: dict[tuple[str, str], int | None]) -> InboxItem:
    kind = LABELS["case_kind"][concern.kind]
    return InboxItem(
        kind=concern.kind,
        reference=concern.reference,
        # No words of the case: an allegation's title may name a person.
        title=Text(f"{kind.zh} {concern.reference}", f"{kind.en} {concern.reference}"),
        step=CONCERN.state_label(concern.state),
        role=role,
        link=_link(concern),
        due=_due(concern, days),
    )


def inbox_items(*, user: ActingUser) -> list[InboxItem]:
    """Open cases waiting on ``user`` as their handler (role "deputy"/"leader"), and open cases
    they filed (role "reporter")."""
    days = _days_table()
    open_cases = Concern.objects.filter(state__in=OPEN).select_related("subject")
    handled = list(scope(user, "concern.handle", open_cases))
    items = [_item(c, "leader" if c.handler_role == "committee_leader" else "deputy", days) for c in handled]
    seen = {c.pk for c in handled}
    uid = getattr(user, "pk", None)
    if uid is not None and not getattr(user, "is_system", False):
        mine = open_cases.filter(reporter_id=uid).exclude(pk__in=seen)
        items += [_item(c, "reporter", days) for c in mine]
    return items


def overdue_items() -> list[InboxItem]:
    """Every open case past its step's due date, for the escalation command — except a case any
    of the escalation's recipients (the deputies, else the leaders) may not see: an allegation
    naming a deputy (handled by the leader) must never reach that deputy, not even as a number."""
    days = _days_table()
    late = list(Concern.objects.filter(state__in=OPEN).filter(_overdue_q(days)).select_related("subject"))
    if not late:
        return []
    from django.contrib.auth import get_user_model

    ids = users_with_roles("committee_deputy") or users_with_roles("committee_leader")
    recipients = list(get_user_model().objects.filter(pk__in=ids))
    role = {"committee_leader": "leader", "committee_deputy": "deputy"}
    return [
        _item(c, role.get(c.handler_role, "deputy"), days)
        for c in late
        if all(can(u, "concern.view", c) for u in recipients)
    ]
