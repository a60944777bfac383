"""No raw code on screen (issue 11 item 5): the main pages, as HR, a department head, an
employee, the committee leader and finance, in Chinese and in English, show every state, kind,
mode, source, rater, role and audit action by its label — never by the code the data stores.

The walk starts at the home page of the demo company and follows the links it finds (two
pages of each URL shape, at most ``LIMIT`` pages a persona and language). The codes are the
values of every model's choices, the engine's enums and the keys of the labels table; one must
not appear as a whole word in the page's visible text (tags stripped; ``<code>``, ``<pre>``,
``<textarea>``, attribute values and URLs ignored). On English pages only compound codes
(``inverse_ratio``, ``plan.hr_return``) count: a plain code (``returned``, ``manager``) is an
English word there; on Chinese pages a plain code counts where it stands alone (not inside a
run of English words, which is English data such as a name_en).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from jixiao.common.labels import LABELS
from jixiao.engine import types as engine

pytestmark = pytest.mark.django_db

PERSONAS = ("hr", "cs_head", "cs_agent", "leader", "finance")
LANGUAGES = ("zh-hans", "en")
LIMIT = 70
PER_SHAPE = 2
SKIP = re.compile(
    r"logout|export|download|\.xlsx|\.csv|\.toml|/static/|/media/|/api/|/i18n/|/admin/|healthz|print|verify="
)
# Domains of the labels table whose keys are codes (units, columns and nouns are words).
CODE_DOMAINS = ("kind", "source", "rater", "bonus_mode", "cycle_type", "severity", "role", "action")
HIDDEN = re.compile(r"(?is)<(script|style|head|code|pre|textarea|select)\b.*?</\1>")
ENGLISH_DATA = re.compile(r'(?is)<span lang="en">.*?</span>')  # English names shown as data
# Known leaks outside this test's author's files, reported to the lead: (URL shape, code) → where.
NOT_YET: dict[tuple[str, str], str] = {}


def known_codes() -> set[str]:
    """Every stored code a page could leak: model choices, engine enums, labels table keys."""
    codes: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "choices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_.]+", value):
                    codes.add(value)
    for enum in (engine.Kind, engine.Rater, engine.Source, engine.BonusMode, engine.Severity):
        codes |= {member.value for member in enum}
    for domain in CODE_DOMAINS:
        codes |= set(LABELS[domain])
    return codes


def visible(body: str) -> str:
    """The text a person sees: tags, attribute values and hidden elements gone."""
    body = ENGLISH_DATA.sub(" ", HIDDEN.sub(" ", body))
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", body))


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def walk(client: Client) -> Iterator[tuple[str, str]]:
    """(url, visible text) of the pages reachable from home, a few of each URL shape."""
    queue, seen, shapes = ["/"], set[str](), dict[str, int]()
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen or shapes.get(_shape(url), 0) >= PER_SHAPE:
            continue
        seen.add(url)
        shapes[_shape(url)] = shapes.get(_shape(url), 0) + 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        for href in re.findall(r'href="([^"#]+)"', body):
            link = urlparse(html.unescape(href))
            if not link.netloc and link.path.startswith("/") and not SKIP.search(href):
                queue.append(link.path)
        yield url, visible(body)


def leaks(text: str, codes: set[str], english: bool, allowed: set[str]) -> set[str]:
    found = set()
    for code in codes:
        if code in allowed or (english and "_" not in code and "." not in code):
            continue
        # On a Chinese page a code stands alone; inside a run of English words it is English data
        # (a name_en, a quoted source text), not a code.
        alone = r"(?<![A-Za-z] )(?<![A-Za-z],)" if not english else ""
        after = r"(?! [A-Za-z])" if not english else ""
        if re.search(alone + r"(?<![\w.\-/@])" + re.escape(code) + r"(?![\w\-/@]|\.\w)" + after, text):
            found.add(code)
    return found


@pytest.fixture
def demo(db: Any) -> None:
    call_command("demo", verbosity=0)


def test_no_page_shows_a_raw_code(demo: None) -> None:
    codes = known_codes()
    users = get_user_model().objects
    logins = set(users.values_list("username", flat=True))
    problems: list[str] = []
    walked = 0
    for persona in PERSONAS:
        for language in LANGUAGES:
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            client.force_login(
                users.get(username=persona), backend="django.contrib.auth.backends.ModelBackend"
            )
            client.cookies["django_language"] = language
            for url, text in walk(client):
                walked += 1
                for code in sorted(leaks(text, codes, language == "en", logins)):
                    if (_shape(url), code) in NOT_YET:
                        continue
                    where = text.find(code)
                    context = " ".join(text[max(0, where - 30) : where + len(code) + 30].split())
                    problems.append(f"{persona} {language} {url}: {code!r} in …{context}…")
    assert walked > 100, f"the walk reached only {walked} pages"
    assert not problems, "raw codes on screen:\n" + "\n".join(problems)
