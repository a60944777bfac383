"""The grouped top bar: a group shows only with an allowed link, a group of one is that link, a
link whose action is unknown or whose URL name does not resolve is left out (never an error)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.access import context

pytestmark = pytest.mark.django_db


def _nav(client: Any) -> str:
    body: str = client.get("/").content.decode()
    return body[body.index('class="mainnav"') : body.index("</nav>")]


def test_each_persona_sees_only_groups_with_a_link_it_may_open(personas: Any, client_for: Any) -> None:
    employee, hr, admin = _nav(client_for("employee")), _nav(client_for("hr")), _nav(client_for("admin"))
    assert 'href="/pay/monthly/"' in hr and 'href="/pay/monthly/"' not in employee
    assert 'href="/access/roles/"' in admin and 'href="/access/roles/"' not in employee
    # the employee's only pay link is a plain link under its own name, not a menu
    assert re.search(r'<a href="/pay/mine/"[^>]*>我的薪酬</a>', employee)
    assert "<summary>薪酬</summary>" not in employee and "<summary>薪酬</summary>" in hr
    for nav in (employee, hr, admin):
        assert nav.count("<details") == nav.count("</details>")
        assert "<script" not in nav and "style=" not in nav  # the CSP allows neither inline


def test_unknown_actions_and_missing_pages_are_left_out(
    personas: Any, client_for: Any, monkeypatch: Any
) -> None:
    extra = (
        "试验",
        [("不存在的页面", "nowhere:page", "org.view"), ("未知权限", "home", "no.such.action")],
    )
    monkeypatch.setattr(context, "NAVIGATION", [*context.NAVIGATION, extra])
    for name in ("employee", "hr", "admin"):
        nav = _nav(client_for(name))
        assert "试验" not in nav and "不存在的页面" not in nav and "未知权限" not in nav


def test_the_current_page_marks_its_link_and_its_group(personas: Any, client_for: Any) -> None:
    body = client_for("hr").get("/org/positions/").content.decode()
    nav = body[body.index('class="mainnav"') : body.index("</nav>")]
    assert re.search(r'<summary class="current">组织</summary>', nav)
    assert re.search(r'<a href="/org/positions/" aria-current="page">岗位</a>', nav)
