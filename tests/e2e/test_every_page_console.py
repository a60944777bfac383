"""Every page as every demo login, in a real browser: no console error, no uncaught script
error, no response of 500 or more (issue 11: "no console errors on any page").

For each login the walk starts at the home page, visits every link of the main navigation,
and from each of those pages follows up to ``DETAILS`` links into detail pages (one level,
links inside ``main`` to pages not yet seen). Only GET links are followed; logout, downloads
and exports are skipped (a download is not a page).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from jixiao.demo.company import LOGINS

pytestmark = pytest.mark.e2e

DETAILS = 4  # detail links followed from each navigation page
SKIP = ("/accounts/logout", "export", "download", "template", ".xlsx", ".csv", ".toml", "/admin/")


class Watch:
    """What went wrong on the pages of one login: console errors, script errors, 5xx."""

    def __init__(self, page: Any) -> None:
        self.problems: list[str] = []
        self.where = ""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{self.where}: script error {error}"))
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"{self.where}: console {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 500:
            self.problems.append(f"{self.where}: {response.status} from {response.url}")


def _links(page: Any, server: str, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "links => links.map(a => a.href)")
    out: list[str] = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != server or any(s in href for s in SKIP):
            continue
        url = f"{server}{parts.path}" + (f"?{parts.query}" if parts.query else "")
        if url not in out:
            out.append(url)
    return out


def _visit(page: Any, watch: Watch, url: str) -> None:
    watch.where = url
    # "load" rather than "networkidle": CSP refusals and script errors are reported while the
    # page parses and runs its scripts; networkidle would add half a second of silence per page.
    page.goto(url, wait_until="load")


@pytest.mark.parametrize("username", list(LOGINS))
def test_every_page_of_every_login_is_free_of_console_errors(login: Any, server: str, username: str) -> None:
    page = login(username)
    watch = Watch(page)
    _visit(page, watch, f"{server}/")
    seen = {f"{server}/"}
    for nav in _links(page, server, "nav.mainnav a[href]"):
        if nav in seen:
            continue
        seen.add(nav)
        _visit(page, watch, nav)
        details = [u for u in _links(page, server, "main a[href]") if u not in seen][:DETAILS]
        for url in details:
            seen.add(url)
            _visit(page, watch, url)
    assert len(seen) > 2, f"{username} saw no navigation"
    assert not watch.problems, "\n".join(watch.problems)
