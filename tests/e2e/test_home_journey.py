"""The home page (工作台) in a real browser: each demo role's home lists their to-dos, and clicking
one lands on the list it counted, showing that many rows; every demo login's top bar fits on one
line at 1280 px, and its menus open from the keyboard (no script)."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.e2e

LOGINS = (
    "admin",
    "leader",
    "deputy",
    "member",
    "hr",
    "hrsup",
    "cs_head",
    "cs_agent",
    "mkt_director",
    "mkt_manager",
    "prd_head",
    "finance",
    "auditor",
)
# The to-dos each role must find on their home in the demo (more may be there).
EXPECTED = {
    "hr": {"case_suggestion", "handbook", "nominations"},
    "cs_head": {"score_manager", "score_peer", "rectifications"},
    "cs_agent": {"interviews"},
    "leader": {"plans", "proposals", "nominations"},
    "finance": {"handbook"},
}


def _todos(page: Any) -> list[tuple[str, str, int, str]]:
    links = page.locator("#todos li.todo")
    out = []
    for index in range(links.count()):
        item = links.nth(index)
        link = item.locator("a")
        out.append(
            (
                str(item.get_attribute("data-kind")),
                str(link.get_attribute("href")),
                int(str(link.get_attribute("data-count"))),
                str(link.get_attribute("data-rows")),
            )
        )
    return out


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_clicks_its_todos_and_lands_on_that_many_rows(
    login: Any, server: str, username: str
) -> None:
    page = login(username)
    found = _todos(page)
    kinds = {kind for kind, *_ in found}
    assert EXPECTED[username] <= kinds, (username, kinds)
    screenshot(page, f"home-{username}")
    for kind, href, count, rows in found:
        page.goto(f"{server}/")
        page.click(f"#todos li.todo[data-kind='{kind}'] a")
        page.wait_for_load_state("load")
        assert page.url.endswith(href), (username, kind, page.url)
        shown = page.locator(rows).count()
        assert shown == count, f"{username}: {kind} says {count}, the list shows {shown}"
        assert page.locator(".filter-note").count() == 1 or kind.startswith("case_") or kind == "improvement"


MEASURE = """() => {
    const nav = document.querySelector('nav.mainnav');
    const bar = document.querySelector('header.topbar');
    const brand = bar.querySelector('.brand').getBoundingClientRect();
    const tools = bar.querySelector('.tools').getBoundingClientRect();
    const n = nav.getBoundingClientRect();
    const line = parseFloat(getComputedStyle(nav).lineHeight);
    const tops = [...nav.children].map(c => c.getBoundingClientRect().top);
    return {height: n.height, line, brandBottom: brand.bottom, toolsTop: tools.top, navTop: n.top,
            navRight: n.right, toolsLeft: tools.left, spread: Math.max(...tops) - Math.min(...tops),
            items: nav.children.length, scroll: nav.scrollWidth - nav.clientWidth};
}"""


def _fits_one_line(page: Any, where: str) -> None:
    box = page.evaluate(MEASURE)
    assert box["items"] >= 1, where
    assert box["spread"] < 2, (where, box)  # every item on one row
    assert box["height"] < 2 * box["line"], (where, box)  # one line, not two
    assert box["scroll"] <= 0, (where, box)  # nothing cut off to the right
    assert box["navTop"] < box["brandBottom"] and box["toolsTop"] < box["brandBottom"], (
        where,
        box,
    )  # one row
    assert box["navRight"] <= box["toolsLeft"], (where, box)  # the menus and the tools do not overlap


@pytest.mark.parametrize("username", LOGINS)
def test_the_top_bar_fits_on_one_line_at_1280_px(login: Any, username: str) -> None:
    """In Chinese and in English (the English labels of the groups must stay as short as these)."""
    page = login(username)
    assert page.viewport_size["width"] == 1280
    _fits_one_line(page, f"{username} zh")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state("load")
    _fits_one_line(page, f"{username} en")


def test_a_menu_opens_from_the_keyboard_and_one_at_a_time(login: Any, server: str) -> None:
    page = login("hr")
    pay = page.locator("nav.mainnav details.navgroup", has_text="薪酬")
    assert not page.locator("nav.mainnav a", has_text="月度薪酬").is_visible()
    pay.locator("summary").focus()
    page.keyboard.press("Enter")
    assert page.locator("nav.mainnav a", has_text="月度薪酬").is_visible()
    organisation = page.locator("nav.mainnav details.navgroup", has_text="组织")
    organisation.locator("summary").click()
    assert page.locator("nav.mainnav a", has_text="组织架构").is_visible()
    assert not page.locator("nav.mainnav a", has_text="月度薪酬").is_visible()  # the other closed
    screenshot(page, "home-menu-open")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "组织架构"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/org/departments/")
    assert page.locator("nav.mainnav summary.current", has_text="组织").count() == 1
