"""Reads of suggestions (意见反馈), through ``access``: the author and HR read one; HR lists
them all; everyone logged in reads the published answers (without the suggester's name). The
monthly report counts them with ``suggestions_for_month``."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jixiao.access.actor import ActingUser
from jixiao.access.policy import can, require, scope
from jixiao.audit.selectors import audit_events_recent
from jixiao.cases.deadlines import step_days
from jixiao.cases.inbox import InboxItem
from jixiao.common.errors import NotFound
from jixiao.common.labels import action_label
from jixiao.engine.text import Text
from jixiao.workflow.table import Transition

from .models import OPEN, State, Suggestion, Topic
from .workflow import SUGGESTION

SEARCH_LENGTH = 100
PER_PAGE = 50


def _due(suggestion: Suggestion, days: int | None) -> dt.date | None:
    if not suggestion.is_open or days is None:
        return None
    return suggestion.step_began + dt.timedelta(days=days)


def _days() -> int | None:
    return step_days("suggestion", State.RECEIVED)


@dataclass(frozen=True)
class Row:
    suggestion: Suggestion
    due: dt.date | None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()

    @property
    def state_label(self) -> Text:
        return SUGGESTION.state_label(self.suggestion.state)


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    what: Text
    who: str


@dataclass
class SuggestionPage:
    suggestion: Suggestion
    due: dt.date | None
    entries: list[Entry]
    actions: list[Transition] = field(default_factory=list)

    @property
    def state_label(self) -> Text:
        return SUGGESTION.state_label(self.suggestion.state)

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()

    @property
    def action_names(self) -> set[str]:
        return {t.action for t in self.actions}


def suggestion_get(*, user: ActingUser, pk: int) -> Suggestion:
    suggestion = Suggestion.objects.select_related("author", "answered_by").filter(pk=pk).first()
    if suggestion is None or not can(user, "suggestion.view", suggestion):
        raise NotFound()
    return suggestion


def suggestion_page(*, user: ActingUser, pk: int) -> SuggestionPage:
    """A suggestion with its answer and timeline; HR's buttons where HR may act."""
    suggestion = suggestion_get(user=user, pk=pk)
    events = (
        audit_events_recent().filter(object_type="suggestions.suggestion", object_id=str(pk)).order_by("seq")
    )
    hr = can(user, "suggestion.list")
    entries = [Entry(e.created_at, action_label(e.action), e.actor_name if hr else "") for e in events]
    return SuggestionPage(
        suggestion=suggestion,
        due=_due(suggestion, _days()),
        entries=entries,
        actions=SUGGESTION.available(user, suggestion),
    )


def my_suggestions(*, user: ActingUser) -> list[Row]:
    """The suggestions ``user`` made, newest first."""
    require(user, "suggestion.file")
    days = _days()
    mine = scope(user, "suggestion.view", Suggestion.objects.filter(author_id=getattr(user, "pk", None)))
    return [Row(s, _due(s, days)) for s in mine.order_by("-pk")[:200]]


@dataclass
class ListPage:
    rows: list[Row]
    page: Page[Any]
    state: str
    topic: str
    overdue_only: bool
    q: str
    states: list[tuple[str, Text]]
    topics: list[tuple[str, Any]]


def suggestion_list_page(
    *,
    user: ActingUser,
    state: str = "",
    topic: str = "",
    overdue_only: bool = False,
    q: str = "",
    page: Any = 1,
) -> ListPage:
    """HR's list of every suggestion, filtered by state, topic, lateness and words."""
    qs, days = _listed(user=user, state=state, topic=topic, overdue_only=overdue_only, q=q)
    words = (q or "").strip()[:SEARCH_LENGTH]
    shown = Paginator(qs, PER_PAGE).get_page(page)
    return ListPage(
        rows=[Row(s, _due(s, days)) for s in shown.object_list],
        page=shown,
        state=state,
        topic=topic,
        overdue_only=overdue_only,
        q=words,
        states=list(SUGGESTION.labels.items()),
        topics=list(Topic.choices),
    )


def suggestion_list_rows(
    *, user: ActingUser, state: str = "", topic: str = "", overdue_only: bool = False, q: str = ""
) -> list[Row]:
    """Every row of HR's list under its filters, all its pages (the list's Excel download)."""
    qs, days = _listed(user=user, state=state, topic=topic, overdue_only=overdue_only, q=q)
    return [Row(s, _due(s, days)) for s in qs]


def _listed(
    *, user: ActingUser, state: str, topic: str, overdue_only: bool, q: str
) -> tuple[QuerySet[Suggestion], int | None]:
    """The list's suggestions (filtered, newest first) and the days a step may take."""
    require(user, "suggestion.list")
    days = _days()
    qs = scope(user, "suggestion.view", Suggestion.objects.select_related("author"))
    if state in State.values:
        qs = qs.filter(state=state)
    if topic in Topic.values:
        qs = qs.filter(topic=topic)
    if overdue_only:
        cutoff = timezone.localdate() - dt.timedelta(days=days) if days is not None else None
        qs = qs.filter(state__in=OPEN, step_began__lt=cutoff) if cutoff else qs.none()
    words = (q or "").strip()[:SEARCH_LENGTH]
    if words:
        qs = qs.filter(Q(title__icontains=words) | Q(text__icontains=words))
    return qs.order_by("-pk"), days


def published_answers(*, user: ActingUser) -> QuerySet[Suggestion]:
    """The answers HR published, newest first. The page shows no suggester."""
    require(user, "suggestion.answers")
    return (
        Suggestion.objects.filter(state=State.PUBLISHED)
        .only("pk", "topic", "title", "text", "answer", "published_at", "state")
        .order_by("-published_at", "-pk")
    )


# -- the monthly report, the inbox and escalation ---------------------------------------------


@dataclass(frozen=True)
class MonthCounts:
    """A month's suggestions for the monthly report: made, answered, closed as noted, published
    (each counted in the month it happened), still open at the month's end, and made by topic."""

    month: str
    made: int
    answered: int
    noted: int
    published: int
    open_at_end: int
    by_topic: dict[str, int]


def _month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    year, number = (int(part) for part in month.split("-"))
    zone = timezone.get_current_timezone()
    first = dt.datetime(year, number, 1, tzinfo=zone)
    last_day = calendar.monthrange(year, number)[1]
    return first, dt.datetime(year, number, last_day, tzinfo=zone) + dt.timedelta(days=1)


def suggestions_for_month(month: str) -> MonthCounts:
    """The counts of ``month`` (``"2026-10"``). Answered/noted are read from the audit log's
    steps, so a later step (publishing) does not move a suggestion out of the month it was answered."""
    start, end = _month_bounds(month)
    made = Suggestion.objects.filter(created_at__gte=start, created_at__lt=end)
    steps = audit_events_recent().filter(
        object_type="suggestions.suggestion", created_at__gte=start, created_at__lt=end
    )
    by_action = dict(steps.values_list("action").annotate(n=Count("pk")).values_list("action", "n"))
    still_open = Suggestion.objects.filter(created_at__lt=end).filter(
        Q(state__in=OPEN) | Q(answered_at__gte=end) | Q(state=State.NOTED, updated_at__gte=end)
    )
    return MonthCounts(
        month=month,
        made=made.count(),
        answered=by_action.get("suggestion.answer", 0),
        noted=by_action.get("suggestion.close_noted", 0),
        published=by_action.get("suggestion.publish_answer", 0),
        open_at_end=still_open.count(),
        by_topic=dict(made.values_list("topic").annotate(n=Count("pk")).values_list("topic", "n")),
    )


def _item(suggestion: Suggestion, role: str, days: int | None) -> InboxItem:
    return InboxItem(
        kind="suggestion",
        reference=suggestion.reference,
        title=Text(suggestion.title),
        step=SUGGESTION.state_label(suggestion.state),
        role=role,
        link=f"/cases/suggestions/{suggestion.pk}/",
        due=_due(suggestion, days),
    )


def inbox_items(*, user: ActingUser) -> list[InboxItem]:
    """HR: every suggestion waiting for an answer (not their own); the author: theirs, still open."""
    days = _days()
    waiting = Suggestion.objects.filter(state__in=OPEN)
    handled = list(scope(user, "suggestion.handle", waiting))
    items = [_item(s, "hr", days) for s in handled]
    uid = getattr(user, "pk", None)
    if uid is not None and not getattr(user, "is_system", False):
        items += [
            _item(s, "reporter", days)
            for s in waiting.filter(author_id=uid).exclude(pk__in=[s.pk for s in handled])
        ]
    return items


def overdue_items() -> list[InboxItem]:
    """Every suggestion waiting past its due date (for the escalation command)."""
    days = _days()
    if days is None:
        return []
    cutoff = timezone.localdate() - dt.timedelta(days=days)
    late = Suggestion.objects.filter(state__in=OPEN, step_began__lt=cutoff)
    return [_item(s, "hr", days) for s in late]
