"""An anonymous allegation in a real browser (issue 12): filed without a login → the follow-up
code shown once → the deputy replies → the reporter, still without a login, reads the reply
with the code and adds information → the person it names, logged in, cannot find it: not in
any list, not at its address."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.e2e

NAMED = "丁军"  # the demo's head of customer service (login cs_head), named by the demo's seed
TITLE = "部门负责人在互评中授意给亲近的人打高分"
REPLY = "举报已受理，正在调取客服部本月的互评记录核实。"
MORE = "补充：授意是在 10 日的班组会上口头说的，当时有五人在场。"


@pytest.fixture
def stranger(browser: Any) -> Iterator[Any]:
    """A browser nobody logged in to: a fresh context each time, like a new private window."""
    contexts: list[Any] = []

    def open_page() -> Any:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _file(page: Any, server: str) -> tuple[str, str]:
    page.goto(f"{server}/accounts/login/")  # where someone without a login finds it
    page.click("a[href='/cases/concerns/anonymous/']")
    recorded = page.inner_text("#what-is-recorded")
    assert "不记录您是谁" in recorded and "网络地址" in recorded  # the page says what is kept
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=text]", "本月互评前，部门负责人让大家给他关系好的两名同事打“优”。")
    page.fill("input[name=subject_name]", NAMED)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("button[type=submit].primary")
    assert "no-store" in posted.value.headers.get("cache-control", "")  # never kept by a cache
    code = page.inner_text("#follow-up-code").strip()
    assert len(code.replace("-", "")) * 5 >= 128  # base-32 letters: at least 128 bits
    assert "只显示这一次" in page.inner_text("main")
    reference = page.inner_text("main").split("您的举报编号是 ")[1].split("。")[0].strip()
    assert reference.startswith("AL-")
    screenshot(page, "allegation-01-code-shown-once")
    return code, reference


def _follow_up(page: Any, server: str, code: str) -> None:
    page.goto(f"{server}/cases/concerns/follow-up/")
    page.fill("input[name=code]", code)
    page.click("button[type=submit].primary")
    page.wait_for_selector("ol.timeline")


def test_an_anonymous_allegation_is_followed_up_by_code_and_hidden_from_the_named(
    stranger: Any, login: Any, server: str
) -> None:
    reporter = stranger()
    code, reference = _file(reporter, server)
    pk = reference.removeprefix("AL-")
    reporter.goto(f"{server}/cases/concerns/follow-up/")
    assert code not in reporter.content()  # shown once: not on the follow-up page

    deputy = login("deputy")
    deputy.click("nav.mainnav a[href='/cases/']")
    deputy.click(f"a[href='/cases/concerns/{pk}/']")
    deputy.click("#steps button:has-text('受理并开始调查')")
    deputy.fill("#note textarea[name=text]", REPLY)
    deputy.check("#note input[name=to_reporter]")
    deputy.click("#note button[type=submit]")
    assert REPLY in deputy.inner_text("ol.timeline")
    screenshot(deputy, "allegation-02-deputy-replies")

    later = stranger()  # another day, another window: only the code leads back
    later.goto(f"{server}/cases/concerns/follow-up/")
    later.fill("input[name=code]", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    later.click("button[type=submit].primary")
    assert "跟进码不正确" in later.inner_text("main")
    _follow_up(later, server, code)
    assert REPLY in later.inner_text("ol.timeline") and "调查中" in later.inner_text("main")
    later.fill("#info textarea[name=text]", MORE)
    with later.expect_response(lambda r: r.request.method == "POST") as added:
        later.click("#info button[type=submit]")
    # A 403 here is the CSRF check refusing the browser's "Origin: null", which Chromium sends
    # when the page with the form says "Referrer-Policy: no-referrer".
    assert added.value.status == 200, f"adding information was refused ({added.value.status})"
    assert "仍为匿名" in later.inner_text("main") and MORE in later.inner_text("ol.timeline")
    screenshot(later, "allegation-03-reporter-reads-and-adds")

    later.goto(f"{server}/cases/concerns/follow-up/")  # the same follow-up in English
    later.click("button[name=language][value=en]")
    later.wait_for_selector("html[lang=en] input[name=code]")
    later.fill("input[name=code]", code.lower().replace("-", " "))  # typed loosely: still found
    later.click("button[type=submit].primary")
    assert "Under investigation" in later.inner_text("main")

    deputy.reload()
    assert MORE in deputy.inner_text("ol.timeline") and "匿名举报人" in deputy.inner_text("ol.timeline")

    named = login("cs_head")
    for path in ("/cases/concerns/", "/cases/concerns/mine/", "/cases/", "/notifications/"):
        shown = named.goto(f"{server}{path}")
        assert shown is not None and shown.status in (200, 403), path  # a list, or no list at all
        text = named.inner_text("body")
        assert reference not in text and TITLE not in text, path
    response = named.goto(f"{server}/cases/concerns/{pk}/")
    assert response is not None and response.status == 404  # its existence is not revealed
    assert TITLE not in named.inner_text("body")
    screenshot(named, "allegation-04-named-person-finds-nothing")
