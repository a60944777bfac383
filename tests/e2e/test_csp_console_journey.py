"""The Content Security Policy refuses inline styles, and htmx used to inject one for its request
indicators, so every page logged a console error. base.html switches that style off
(``htmx-config``) and jixiao.css carries it; a department head's home and scoring grid pages
now open with no console error and no CSP violation."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import demo_month, screenshot

pytestmark = pytest.mark.e2e

WATCH_CSP = """() => { window.__csp = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'))); }"""


def _watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.add_init_script(f"({WATCH_CSP})()")
    return problems


def _check(page: Any, problems: list[str], where: str) -> None:
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__csp || []")
    assert not problems and not violations, (where, problems, violations)
    assert page.evaluate("document.head.querySelectorAll('style').length") == 0, where
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False, where


def test_home_and_grid_open_without_console_errors(login: Any, server: str) -> None:
    head = login("cs_head")
    problems = _watch(head)
    head.goto(f"{server}/")
    _check(head, problems, "home")
    head.goto(f"{server}/cycles/")
    head.click(f"text={demo_month(0)}")
    head.click("text=为团队评分")
    head.locator("td.cell").first.wait_for()
    _check(head, problems, head.url)
    indicator = head.evaluate(
        "() => { const s = document.createElement('span'); s.className = 'htmx-indicator';"
        " document.body.append(s); const o = getComputedStyle(s).opacity; s.remove(); return o; }"
    )
    assert indicator == "0"  # jixiao.css hides an idle indicator, as htmx's own style did
    screenshot(head, "csp-01-grid-without-console-errors")
