"""No raw code on the pages of complaints, allegations and suggestions, in Chinese and English:
states, kinds, outcomes, roles, flag kinds, topics and audit actions by their labels (the demo
walk of tests/test_no_raw_codes.py reaches these pages only once the demo has cases)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from jixiao.cases.concerns import services
from jixiao.cases.concerns.tests.world import allegation, anonymous, complaint, text_file
from jixiao.cases.suggestions import services as suggestion_services
from jixiao.cases.suggestions.tests.world import suggestion
from tests.test_no_raw_codes import known_codes, leaks, visible

pytestmark = pytest.mark.django_db


def _world(p: Any) -> dict[str, Any]:
    deputy, hr = p["deputy"], p["hr"]
    closed = allegation(p, evidence=True)
    services.concern_investigate(user=deputy, concern=closed)
    services.concern_note(user=deputy, concern=closed, text="内部记录", evidence=[text_file()])
    services.concern_note(user=deputy, concern=closed, text="答复", to_reporter=True)
    services.concern_link(
        user=deputy,
        concern=closed,
        kind="integrity_flag",
        cycle=p.cycles["2026-08"],
        flag_kind="all_maximum",
        text="x",
    )
    services.concern_link(
        user=deputy,
        concern=closed,
        kind="appraisal_result",
        cycle=p.cycles["2026-08"],
        number=p.employees["colleague"].number,
    )
    closed.refresh_from_db()
    services.concern_conclude(
        user=deputy, concern=closed, outcome="partly_substantiated", closing_note="部分属实"
    )
    about_head = complaint(p)
    declined = complaint(p, reporter="colleague", subject=None)
    services.concern_decline(user=deputy, concern=declined, closing_note="不属于受理范围")
    anon, code = anonymous(p)
    answered = suggestion(p)
    suggestion_services.suggestion_answer(user=hr, suggestion=answered, answer="好", publish=True)
    noted = suggestion(p, author="head")
    suggestion_services.suggestion_step(user=hr, suggestion=noted, action="close_noted")
    return {
        "closed": closed,
        "about_head": about_head,
        "declined": declined,
        "anon": anon,
        "code": code,
        "s": answered,
    }


def _client(p: Any, name: str | None, language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if name:
        client.force_login(p[name], backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_raw_code_on_these_pages(personas: Any, language: str) -> None:
    cache.clear()
    w = _world(personas)
    pages: list[tuple[str | None, str, dict[str, str] | None]] = [
        ("deputy", reverse("concerns:list"), None),
        ("deputy", reverse("concerns:detail", args=[w["closed"].pk]), None),
        ("deputy", reverse("concerns:detail", args=[w["anon"].pk]), None),
        ("leader", reverse("concerns:detail", args=[w["about_head"].pk]), None),
        ("employee", reverse("concerns:detail", args=[w["closed"].pk]), None),
        ("colleague", reverse("concerns:detail", args=[w["declined"].pk]), None),
        ("employee", reverse("concerns:mine"), None),
        ("employee", reverse("concerns:file"), None),
        (None, reverse("concerns:anonymous_file"), None),
        (None, reverse("concerns:follow_up"), {"code": w["code"]}),
        ("employee", reverse("suggestions:file"), None),
        ("hr", reverse("suggestions:list"), None),
        ("hr", reverse("suggestions:detail", args=[w["s"].pk]), None),
        ("employee", reverse("suggestions:detail", args=[w["s"].pk]), None),
        ("colleague", reverse("suggestions:answers"), None),
    ]
    codes = known_codes()
    logins = {u.username for u in personas.users.values() if u is not None}
    problems = []
    for name, url, post in pages:
        client = _client(personas, name, language)
        response = client.post(url, post) if post else client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        text = visible(response.content.decode())
        for code in leaks(text, codes, language == "en", logins):
            problems.append(f"{name} {url}: {code}")
    assert not problems, problems
    assert re.search(r"[A-Z2-7]{4}-", w["code"])
