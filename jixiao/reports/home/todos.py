"""What waits on a person now (我的待办): one function per kind of to-do, each counting with the
SAME selector function that the list it links to shows (the list's ``?todo=1``-style filter), so
the count and the list cannot drift (tested by following every link and counting its rows).

A to-do is shown only when its count is above zero. Each carries ``rows``, the CSS selector of
the linked list's rows, which the tests (and the browser journey) count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can
from jixiao.cases import selectors as cases
from jixiao.cases.inbox import InboxItem
from jixiao.common.labels import label_text
from jixiao.cycles.entry.selectors import team_grid
from jixiao.cycles.lifecycle.models import Cycle, State
from jixiao.cycles.results import selectors as results
from jixiao.cycles.review import selectors as review
from jixiao.cycles.review.models import CYCLE_TAKES_SUMMARIES, RECTIFICATION_PENDING
from jixiao.engine.text import Text
from jixiao.notifications.selectors import unread_count
from jixiao.pay.monthly.selectors import runs_to_release
from jixiao.people.cadres.selectors import nominations_page
from jixiao.people.handbook.selectors import handbook_page
from jixiao.people.improvement.selectors import plans_page, plans_to_acknowledge
from jixiao.people.rules.selectors import proposals_to_decide
from jixiao.people.training.selectors import sessions_to_attend
from jixiao.plans.selectors import plans_to_review


@dataclass(frozen=True)
class Todo:
    kind: str  # a stable name for tests and styling ("score", "cases", "plans", ...)
    label: Text  # what to do, with the count in it
    count: int
    url: str  # the list it counts, filtered to exactly these rows
    rows: str  # CSS selector of the rows on that list
    due: dt.date | None = None  # the earliest due date among them, if any


def _day(text: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _earliest(days: Iterable[dt.date | None]) -> dt.date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def visible_cycles(user: ActingUser, states: Iterable[str]) -> list[Cycle]:
    """The cycles in ``states`` the user may open (few: those not yet locked)."""
    return [
        c
        for c in Cycle.objects.filter(state__in=list(states)).order_by("start")
        if can(user, "cycle.view", c)
    ]


RATER_LABELS = {
    "manager": ("为团队评分", "Score my team"),
    "peer": ("互评", "Peer scores"),
}


def score_team(user: ActingUser, cycles: list[Cycle]) -> list[Todo]:
    """Per open cycle and rater kind: the members with a score still to give (the grid's
    ``?left=1`` rows, from the same ``team_grid``); due on the cycle's scoring deadline."""
    if actor_for(user).employee_id is None:
        return []
    out = []
    for cycle in cycles:
        if cycle.state != State.OPEN:
            continue
        for kind, (zh, en) in RATER_LABELS.items():
            n = sum(len(s.rows) for s in team_grid(user=user, cycle=cycle, rater_kind=kind, left_only=True))
            if n:
                url = reverse("cycles:grid", args=[cycle.pk]) + f"?as={kind}&left=1"
                label = Text(f"{zh} · {cycle.label}：{n} 人未评完", f"{en} · {cycle.label}: {n} left")
                out.append(
                    Todo(
                        f"score_{kind}",
                        label,
                        n,
                        url,
                        "table.scoring-grid tbody tr",
                        _day(cycle.deadlines.get("open")),
                    )
                )
    return out


def inbox_items(user: ActingUser) -> list[InboxItem]:
    """Every case step waiting on the user, as the cases inbox lists them (each wing decides)."""
    if not can(user, "case.inbox"):
        return []
    return [item for wing in cases.WING_SELECTORS for item in wing.inbox_items(user=user)]


def case_steps(every: list[InboxItem]) -> list[Todo]:
    """Per kind of case: the steps waiting on the user in the cases inbox (``?kind=``)."""
    out = []
    for kind in dict.fromkeys(item.kind for item in every):
        items = cases.inbox_filtered(every, kind=kind)
        name = label_text(kind, "case_kind")
        label = Text(f"{name.zh}待办：{len(items)} 件", f"{name.en} steps to take: {len(items)}")
        url = reverse("case_inbox") + f"?kind={kind}"
        out.append(
            Todo(
                f"case_{kind}",
                label,
                len(items),
                url,
                "table.inbox tbody tr",
                _earliest(i.due for i in items),
            )
        )
    return out


def plans_waiting(user: ActingUser) -> list[Todo]:
    if not can(user, "plan.list"):
        return []
    n = len(plans_to_review(user=user))
    label = Text(f"待评审的考核细则：{n} 份", f"Plans to review: {n}")
    return [Todo("plans", label, n, reverse("plans:plans") + "?todo=1", "#plan-rows tr")] if n else []


def summaries_waiting(user: ActingUser, cycles: list[Cycle]) -> list[Todo]:
    """Per reviewing cycle: the department summaries to write (the head) or check (HR)."""
    out = []
    for cycle in cycles:
        if cycle.state not in CYCLE_TAKES_SUMMARIES or not can(user, "cycle.dashboard", cycle):
            continue
        n = len(review.summaries_page(user=user, pk=cycle.pk, todo=True).rows)
        if n:
            label = Text(
                f"部门汇总待填写或核对 · {cycle.label}：{n} 份",
                f"Department summaries to write or check · {cycle.label}: {n}",
            )
            url = reverse("cycles:summaries", args=[cycle.pk]) + "?todo=1"
            out.append(
                Todo(
                    "summaries", label, n, url, "#summaries tbody tr", _day(cycle.deadlines.get(cycle.state))
                )
            )
    return out


def rectifications_waiting(user: ActingUser) -> list[Todo]:
    if not can(user, "rectification.list"):
        return []
    rows = review.rectifications_page(user=user, todo=True)
    if not rows:
        return []
    due = _earliest(r.item.due for r in rows if r.item.status in RECTIFICATION_PENDING)
    label = Text(f"整改事项待办理：{len(rows)} 项", f"Rectifications to act on: {len(rows)}")
    url = reverse("cycles:rectifications") + "?todo=1"
    return [Todo("rectifications", label, len(rows), url, "#rectifications tbody tr", due)]


def pay_to_release(user: ActingUser) -> list[Todo]:
    if not can(user, "monthly_run.view"):
        return []
    n = len(runs_to_release(user=user))
    label = Text(f"待发放的月度薪酬：{n} 个月", f"Monthly pay to release: {n}")
    return (
        [Todo("pay_release", label, n, reverse("pay:monthly_runs") + "?todo=1", "#monthly-runs tbody tr")]
        if n
        else []
    )


def interviews_to_acknowledge(user: ActingUser) -> list[Todo]:
    if actor_for(user).employee_id is None or not can(user, "result.mine"):
        return []
    n = len(results.my_results_page(user=user, todo=True))
    label = Text(f"待确认的绩效面谈记录：{n} 份", f"Feedback interviews to acknowledge: {n}")
    return (
        [Todo("interviews", label, n, reverse("cycles:my_results") + "?todo=1", "#my-results tbody tr")]
        if n
        else []
    )


def training_to_attend(user: ActingUser) -> list[Todo]:
    if actor_for(user).employee_id is None or not can(user, "training.list"):
        return []
    days = list(sessions_to_attend(user=user).values_list("held_on", flat=True))
    if not days:
        return []
    label = Text(f"待参加的培训：{len(days)} 场", f"Training to attend: {len(days)}")
    url = reverse("training:list") + "?todo=1"
    return [Todo("training", label, len(days), url, "#sessions tbody tr", _earliest(days))]


def handbook_to_acknowledge(user: ActingUser) -> list[Todo]:
    if actor_for(user).employee_id is None or not can(user, "policy.list"):
        return []
    n = len(handbook_page(user=user, todo=True).rows)
    label = Text(f"待阅读确认的制度：{n} 项", f"Handbook pages to acknowledge: {n}")
    return (
        [Todo("handbook", label, n, reverse("handbook:list") + "?todo=1", "#policies tbody tr")] if n else []
    )


def improvement_reviews(user: ActingUser) -> list[Todo]:
    if not can(user, "improvement.list"):
        return []
    rows = plans_page(user=user, state="open", overdue=True).rows
    if not rows:
        return []
    label = Text(
        f"改进计划复盘已逾期：{len(rows)} 份", f"Improvement plans with a review overdue: {len(rows)}"
    )
    url = reverse("improvement:list") + "?state=open&overdue=1"
    return [
        Todo("improvement", label, len(rows), url, "#plans tbody tr", _earliest(r.next_review for r in rows))
    ]


def improvement_to_acknowledge(user: ActingUser) -> list[Todo]:
    if not can(user, "improvement.list"):
        return []
    n = len(plans_to_acknowledge(user=user))
    label = Text(f"待确认的改进计划：{n} 份", f"Improvement plans to acknowledge: {n}")
    url = reverse("improvement:list") + "?todo=1"
    return [Todo("improvement_ack", label, n, url, "#plans tbody tr")] if n else []


def nominations_waiting(user: ActingUser) -> list[Todo]:
    if not can(user, "nomination.list"):
        return []
    n = len(nominations_page(user=user, todo=True).rows)
    label = Text(f"待评议或审批的晋升提名：{n} 项", f"Nominations waiting on you: {n}")
    return (
        [Todo("nominations", label, n, reverse("cadres:nominations") + "?todo=1", "#nominations tbody tr")]
        if n
        else []
    )


def proposals_waiting(user: ActingUser) -> list[Todo]:
    if not can(user, "proposal.list"):
        return []
    n = len(proposals_to_decide(user=user))
    label = Text(f"待审批的规则建议：{n} 条", f"Rule proposals to decide: {n}")
    url = reverse("people_rules:proposals") + "?todo=1"
    return [Todo("proposals", label, n, url, "#proposals tbody tr")] if n else []


def notifications_unread(user: ActingUser) -> list[Todo]:
    n = unread_count(user)
    label = Text(f"未读通知：{n} 条", f"Unread notifications: {n}")
    url = reverse("notifications:list") + "?unread=1"
    return [Todo("notifications", label, n, url, "table.notifications tbody tr")] if n else []


def my_todos(user: ActingUser, cycles: list[Cycle], inbox: list[InboxItem]) -> list[Todo]:
    """Everything waiting on ``user``, soonest due first (those without a due date after);
    ``cycles``: the cycles not yet locked that the user may open; ``inbox``: their case steps."""
    kinds: list[Callable[[], list[Todo]]] = [
        lambda: score_team(user, cycles),
        lambda: case_steps(inbox),
        lambda: plans_waiting(user),
        lambda: summaries_waiting(user, cycles),
        lambda: rectifications_waiting(user),
        lambda: pay_to_release(user),
        lambda: interviews_to_acknowledge(user),
        lambda: training_to_attend(user),
        lambda: handbook_to_acknowledge(user),
        lambda: improvement_reviews(user),
        lambda: improvement_to_acknowledge(user),
        lambda: nominations_waiting(user),
        lambda: proposals_waiting(user),
        lambda: notifications_unread(user),
    ]
    found = [todo for kind in kinds for todo in kind() if todo.count > 0]
    return sorted(found, key=lambda t: (t.due is None, t.due or dt.date.max))
