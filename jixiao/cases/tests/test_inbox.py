"""The case inbox (待办案件): what each wing lists for the person, filtered by kind, role and
overdue, soonest due first; the main navigation links it for those with a case role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jixiao.cases.inbox import InboxItem
from jixiao.cases.selectors import inbox_filtered
from jixiao.engine.text import Text

TODAY = timezone.localdate()


def item(kind: str, ref: str, role: str, due_in: int | None, escalated: bool = False) -> InboxItem:
    return InboxItem(
        kind=kind,
        reference=ref,
        title=Text("事由", "About"),
        step=Text("待受理", "To accept"),
        role=role,
        link=f"/cases/{kind}s/{ref}/",
        due=None if due_in is None else TODAY + dt.timedelta(days=due_in),
        escalated=escalated,
    )


ITEMS = [
    item("appeal", "AP-1", "hr", 3),
    item("appeal", "AP-2", "leader", -2, escalated=True),
    item("complaint", "CO-1", "deputy", -1),
    item("suggestion", "SU-1", "hr", None),
    item("allegation", "AL-1", "deputy", 0),
]


def refs(items: list[InboxItem]) -> list[str]:
    return [i.reference for i in items]


def test_soonest_due_first_and_those_without_a_due_date_last() -> None:
    assert refs(inbox_filtered(ITEMS)) == ["AP-2", "CO-1", "AL-1", "AP-1", "SU-1"]


def test_filters_by_kind_role_and_overdue() -> None:
    assert refs(inbox_filtered(ITEMS, kind="appeal")) == ["AP-2", "AP-1"]
    assert refs(inbox_filtered(ITEMS, role="hr")) == ["AP-1", "SU-1"]
    assert refs(inbox_filtered(ITEMS, overdue_only=True)) == ["AP-2", "CO-1"]  # due today is not late
    assert refs(inbox_filtered(ITEMS, kind="complaint", role="hr")) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["", "?kind=appeal&role=hr&overdue=1", "?kind=<script>&role=1e30&overdue=nan"]
)
def test_the_inbox_answers_everyone_logged_in_whatever_the_filters(client_for: Any, query: str) -> None:
    for who in ("employee", "hr", "deputy", "leader", "member"):
        page = client_for(who).get(f"/cases/{query}")
        assert page.status_code == 200 and "待办案件" in page.text and "<script>" not in page.text


@pytest.mark.django_db
def test_the_main_navigation_links_the_cases_for_every_person(client_for: Any) -> None:
    """Everyone starts appeals, complaints and suggestions there; the lists it offers differ."""

    def nav(who: str) -> str:
        body: str = client_for(who).get("/cycles/").text
        return body[body.index('class="mainnav"') : body.index("</nav>")]

    for who in ("employee", "hr", "hrsup", "leader", "deputy", "member", "finance", "auditor", "admin"):
        assert 'href="/cases/"' in nav(who), who
    employee, hr = client_for("employee").get("/cases/").text, client_for("hr").get("/cases/").text
    assert 'href="/cases/concerns/new/"' in employee and 'href="/cases/appeals/"' not in employee
    assert 'href="/cases/appeals/"' in hr and 'href="/cases/suggestions/"' in hr


@pytest.mark.django_db
def test_only_hr_is_offered_the_deadlines_page_from_the_inbox(client_for: Any) -> None:
    assert 'href="/cases/deadlines/"' in client_for("hr").get("/cases/").text
    assert 'href="/cases/deadlines/"' not in client_for("deputy").get("/cases/").text
