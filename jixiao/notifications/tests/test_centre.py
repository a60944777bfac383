"""The notification centre: mine only, newest first, paged, unread marked; opening one reads it and
follows its link (inside the site only); all read; the unread count in the top bar."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.engine.text import Text
from jixiao.notifications.models import Notification
from jixiao.notifications.selectors import PER_PAGE
from jixiao.notifications.services import internal_path, notify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet(personas: Any) -> None:
    """The persona company's cycles were opened through the services, which told their members:
    start these tests with no notification."""
    Notification.objects.all().delete()


def tell(user: Any, n: int = 1, link: str = "/cycles/", kind: str = "plan.returned") -> list[Notification]:
    for i in range(n):
        notify(recipients=[user], kind=kind, text=Text(f"第 {i} 条通知", f"Notice {i}"), link=link)
    return list(Notification.objects.filter(recipient=user).order_by("-pk")[:n])


def test_the_centre_lists_mine_newest_first_with_unread_marked_and_the_kind_by_its_label(
    personas: Any, client_for: Any
) -> None:
    tell(personas["employee"], 2)
    tell(personas["colleague"], 1, kind="pay.released")
    Notification.objects.filter(recipient=personas["employee"], text_zh="第 0 条通知").update(
        read_at="2026-01-01T00:00Z"
    )
    page = client_for("employee").get("/notifications/")
    assert page.status_code == 200
    body = page.text
    assert body.index("第 1 条通知") < body.index("第 0 条通知")  # newest first
    assert body.count("未读</span>") == 1 and "方案被退回" in body and "plan.returned" not in body
    assert "薪酬已发放" not in body  # the colleague's notification is not mine
    english = client_for("employee")
    english.cookies["django_language"] = "en"
    body = english.get("/notifications/").text
    assert "Notice 1" in body and "Plan returned" in body and "第 1 条通知" not in body


def test_the_centre_is_paged(personas: Any, client_for: Any) -> None:
    tell(personas["employee"], PER_PAGE + 3)
    first = client_for("employee").get("/notifications/")
    assert first.text.count('href="/notifications/') >= PER_PAGE and "page=2" in first.text
    second = client_for("employee").get("/notifications/?page=2")
    assert second.status_code == 200 and "第 0 条通知" in second.text
    assert client_for("employee").get("/notifications/?page=1e30").status_code == 200


def test_the_centre_reads_in_a_fixed_number_of_queries(personas: Any, client_for: Any) -> None:
    client = client_for("employee")
    tell(personas["employee"], 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/notifications/").status_code == 200
    tell(personas["employee"], 25)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/notifications/").status_code == 200
    assert len(many) == len(few)


def test_opening_one_marks_it_read_and_goes_to_its_page(personas: Any, client_for: Any) -> None:
    [n] = tell(personas["employee"], link="/cycles/mine/")
    response = client_for("employee").get(f"/notifications/{n.pk}/")
    assert response.status_code == 302 and response["Location"] == "/cycles/mine/"
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.parametrize("who", ["colleague", "head", "hr", "admin", "leader"])
def test_nobody_else_sees_or_opens_my_notification(personas: Any, client_for: Any, who: str) -> None:
    [n] = tell(personas["employee"])
    assert client_for(who).get(f"/notifications/{n.pk}/").status_code == 404
    assert "第 0 条通知" not in client_for(who).get("/notifications/").text
    n.refresh_from_db()
    assert n.read_at is None


def test_anonymous_is_sent_to_log_in(personas: Any, client_for: Any) -> None:
    [n] = tell(personas["employee"])
    assert client_for("anonymous").get(f"/notifications/{n.pk}/").status_code == 302
    n.refresh_from_db()
    assert n.read_at is None


@pytest.mark.parametrize(
    "link",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "", "/a b"],
)
def test_a_link_that_leaves_the_site_is_never_followed(personas: Any, client_for: Any, link: str) -> None:
    assert not internal_path(link)
    with pytest.raises(ValueError):
        notify(recipients=[personas["employee"]], kind="plan.returned", text=Text("x"), link=link)
    # A row written around notify (a bad import, an old row) is refused when opened.
    n = Notification.objects.create(
        recipient=personas["employee"], kind="plan.returned", text_zh="x", text_en="x", link=link
    )
    response = client_for("employee").get(f"/notifications/{n.pk}/")
    assert response.status_code == 400 and "evil" not in response.get("Location", "")


def test_mark_all_read_is_a_post_and_reads_only_mine(personas: Any, client_for: Any) -> None:
    tell(personas["employee"], 3)
    tell(personas["colleague"], 2)
    client = client_for("employee")
    assert client.get("/notifications/read-all/").status_code == 405
    assert client.post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(recipient=personas["employee"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=personas["colleague"], read_at__isnull=True).count() == 2


def test_the_top_bar_shows_my_unread_count_and_links_to_the_centre(personas: Any, client_for: Any) -> None:
    client = client_for("employee")
    assert 'class="badge warn"' not in client.get("/cycles/").text.split("</header>")[0]
    tell(personas["employee"], 3)
    tell(personas["colleague"], 5)
    header = client.get("/cycles/").text.split("</header>")[0]
    assert 'href="/notifications/"' in header and '<span class="badge warn">3</span>' in header
    Notification.objects.filter(recipient=personas["employee"]).update(read_at="2026-01-01T00:00Z")
    assert '<span class="badge warn">' not in client.get("/cycles/").text.split("</header>")[0]


def test_the_unread_count_costs_one_query_whatever_the_number(personas: Any, client_for: Any) -> None:
    client = client_for("employee")
    client.get("/cycles/")  # warm the session

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get("/cycles/")
        return sum("notifications_notification" in q["sql"] for q in queries.captured_queries)

    assert count_queries() == 1
    tell(personas["employee"], 40)
    assert count_queries() == 1
