"""Every URL × every persona, fed hostile input: nothing answers 500, nothing refused writes.

The walk has two passes over the URL resolver (the URL arguments come from the access matrix, plus
the draft plan and an open cycle, so editors' forms and grid cells are live):

1. every persona (every other one on English pages) GETs every URL with a fixed set of hostile query parameters (the values rotate
   over the personas; the first persona let in sends every value and a huge range); three
   personas let in and one refused POST every field name the project's forms know, all set to
   that persona's hostile value;
2. every form and inline (htmx) save found on the pages of pass 1 is POSTed as the persona who saw
   it, with its fields at their shown values, each field in turn set to each hostile value, once
   with every field missing, and once with a junk file in each file field; a POST-only URL that
   no page offered gets each hostile value in the fields views read themselves.

It asserts no response is a 500, that a refused request (4xx) recorded no audit event and kept
no write (no INSERT/UPDATE/DELETE outside a rolled-back transaction), and that
the test process's peak memory grew by less than 200 MB.
"""

from __future__ import annotations

import json
import logging
import re
import resource
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse

from jixiao.audit.models import AuditEvent
from jixiao.demo.personas import PERSONA_NAMES

from .test_access_matrix import MATRIX, cycle, member, plan

HOSTILE = ("1e30", "nan", "-1", "x" * 10000, "0x1", "[]")
QUERY = ("page", "q", "department", "position", "status", "month", "year", "start", "end", "stop", "step",
         "profits", "cycle", "format", "sort", "as", "verify", "next")  # fmt: skip
HUGE_RANGE = {"start": "0", "stop": "10000000000", "end": "10000000000", "step": "1"}
# The fields the views read from request.POST themselves (beside their forms).
POSTED = ("op", "reason", "response", "comment", "version", "to_grade", "expected_grade", "moves",
          "action", "note", "username", "role", "measure", "value", "indicator", "kind",
          "over_budget_reason", "text", "needs_rectification", "due")  # fmt: skip
MEMORY_BOUND = 200 * 1024 * 1024
# Shown values for fields a page leaves empty, so the one hostile field is the one refused.
PLAUSIBLE = {
    "amount": "100",
    "base_salary": "5000",
    "monthly_bonus_base": "1000",
    "travel_per_day": "100",
    "month": "2026-10",
    "year": "2026",
    "days": "1",
    "rate": "95%",
    "label": "2026-12",
    "start": "2026-12-01",
    "end": "2026-12-31",
    "value": "1",
}
DATE_HINTS = ("date", "held_on", "due", "effective_from", "deadline")


@dataclass
class Form:
    url: str
    fields: dict[str, str] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)


class FormFinder(HTMLParser):
    """The forms and htmx saves on a page: target URL, field names and the values shown."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "hx-post" in a and tag != "form":
            self._inline(a)
        if tag == "form" and (a.get("method", "").lower() == "post" or "hx-post" in a):
            self.current = Form(a.get("hx-post") or a.get("action") or self.page_url)
            self.forms.append(self.current)
        elif self.current is not None and "name" in a:
            self._field(tag, a)

    def _inline(self, a: dict[str, str]) -> None:
        inline = Form(a["hx-post"])
        if "name" in a:
            inline.fields[a["name"]] = a.get("value", "")
        try:
            vals = json.loads(a.get("hx-vals") or "{}")
        except ValueError:
            vals = {}
        inline.fields.update({str(k): str(v) for k, v in vals.items()} if isinstance(vals, dict) else {})
        self.forms.append(inline)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        assert self.current is not None
        name, kind = a["name"], a.get("type", "text")
        if tag == "input" and kind == "file":
            self.current.files.add(name)
        elif tag == "input" and kind in {"checkbox", "radio"}:
            if "checked" in a or name not in self.current.fields:
                self.current.fields[name] = a.get("value", "on")
        elif tag == "input":
            self.current.fields[name] = a.get("value", "") or _plausible(name, kind)
        elif tag == "select":
            self.select = name
            self.current.fields.setdefault(name, "")
        elif tag == "textarea":
            self.textarea = name
            self.current.fields[name] = "走查测试说明 walker note"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.current is not None and self.textarea and data.strip():
            self.current.fields[self.textarea] = data.strip()
            self.textarea = None

    def handle_option(self, value: str) -> None:
        if self.current is not None and self.select and not self.current.fields.get(self.select):
            self.current.fields[self.select] = value

    def unknown_decl(self, data: str) -> None:  # pragma: no cover - malformed HTML only
        return


class _OptionAware(FormFinder):
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "option":
            values = [v for k, v in attrs if k == "value"]
            if values and values[0]:
                self.handle_option(values[0])
            return
        super().handle_starttag(tag, attrs)


def _plausible(name: str, kind: str) -> str:
    if kind == "date" or any(hint in name for hint in DATE_HINTS):
        return "2026-10-15"
    if kind == "number":
        return "1"
    return PLAUSIBLE.get(name, "走查测试 walker text")


def forms_on(page_url: str, html: str) -> list[Form]:
    finder = _OptionAware(page_url)
    finder.feed(html)
    return [f for f in finder.forms if f.url.startswith("/") and not f.url.startswith("//")]


def every_form_field() -> set[str]:
    """Every field name of every Django form in the project (the superset POSTed blind)."""
    from django import forms as django_forms

    import jixiao.access.forms
    import jixiao.cycles.entry.forms
    import jixiao.cycles.lifecycle.forms
    import jixiao.cycles.review.forms
    import jixiao.org.forms
    import jixiao.pay.annual.forms
    import jixiao.pay.monthly.forms
    import jixiao.pay.structures.forms
    import jixiao.plans.forms
    import jixiao.plans.framework_forms  # noqa: F401

    def subclasses(cls: type) -> Iterator[type]:
        sub: type
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = {"value", "measure", "indicator", "rater", "op", "response", "comment", "reason", "version"}
    for cls in subclasses(django_forms.BaseForm):
        if cls.__module__.startswith("jixiao."):
            names.update(getattr(cls, "base_fields", {}))
    return names


class Walk:
    """The requests sent and the failures seen (500s and refused requests that wrote)."""

    def __init__(self, personas: Any) -> None:
        self.personas = personas
        self.clients: dict[str, Client] = {}
        self.failures: dict[str, str] = {}  # one example per kind of failure
        self.requests = 0
        self.most_queries = (0, "")
        self.last_error = ""
        got_request_exception.connect(self._record_exception)

    def _record_exception(self, sender: Any, request: Any = None, **kwargs: Any) -> None:
        error = sys.exc_info()[1]
        frames = [f for f in traceback.extract_tb(sys.exc_info()[2]) if "/jixiao/" in f.filename]
        where = f" at {frames[-1].filename.split('/jixiao/')[-1]}:{frames[-1].lineno}" if frames else ""
        self.last_error = f"{type(error).__name__}: {str(error)[:60]}{where}"

    def fail(self, kind: str, example: str) -> None:
        self.failures.setdefault(kind, example)

    def client(self, persona: str) -> Client:
        if persona not in self.clients:
            client = Client(raise_request_exception=False)
            user = self.personas[persona]
            if user is not None:
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            if PERSONA_NAMES.index(persona) % 2:  # every other persona reads English pages
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            self.clients[persona] = client
        return self.clients[persona]

    def send(self, persona: str, method: str, url: str, data: dict[str, Any]) -> Any:
        client = self.client(persona)  # before counting: logging in is audited
        before = AuditEvent.objects.count()
        self.last_error = ""
        connection.queries_log.clear()  # the log keeps 9000 queries: a capture past that is empty
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, data) if method == "GET" else client.post(url, data)
        self.requests += 1
        self.most_queries = max(self.most_queries, (len(queries), f"{method} {url}"))
        values = sorted({str(v)[:12] for v in data.values()})[:3]
        status, route = response.status_code, _route_key(url)
        if status >= 500:
            self.fail(f"500 {method} {route}: {self.last_error}", f"{url} as {persona} {values}")
        elif status >= 400 and AuditEvent.objects.count() != before:
            self.fail(f"{status} but audited: {method} {route}", f"as {persona}")
        elif status >= 400 and (written := _kept_writes(queries.captured_queries)):
            self.fail(f"{status} but wrote: {method} {route}: {written}", f"as {persona} {values}")
        if (
            response.status_code == 302
            and persona != "anonymous"
            and "/login" in response.get("Location", "")
        ):
            self.clients.pop(persona, None)  # logged out (the logout URL): log in again
        return response


WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)', re.IGNORECASE)
UNTRACKED = ("django_session", "axes_")  # the session and the login limiter, not the user's data


def _kept_writes(captured: list[dict[str, Any]]) -> str:
    """The tables a request wrote to and did not roll back (empty when it wrote nothing kept)."""
    sql = [str(query["sql"]) for query in captured]
    if any("ROLLBACK" in statement.upper() for statement in sql):
        return ""  # the service's transaction (or savepoint) was undone
    tables = {m[2] for statement in sql if (m := WRITE.match(statement))}
    return ", ".join(sorted(t for t in tables if not t.startswith(UNTRACKED)))


def _urls(personas: Any, open_cycle: Any) -> list[str]:
    """Every URL of the matrix; the cycle pages also for an open cycle (first: its saves reach
    the services)."""
    from jixiao.cycles.tests.helpers import member_of

    urls = []
    for name, (kwargs, _expected) in sorted(MATRIX.items()):
        if name == "logout":
            continue
        if kwargs is plan:  # the draft too: its indicator rows and transitions are forms
            urls.append(reverse(name, kwargs={"pk": personas.plans["draft"].pk}))
        if kwargs is cycle:
            urls.append(reverse(name, kwargs={"pk": open_cycle.pk}))
        elif kwargs is member:
            urls.append(reverse(name, kwargs={"pk": member_of(personas, open_cycle).pk}))
        urls.append(reverse(name, kwargs=kwargs(personas)))
    return urls


def _first_pass(walk: Walk, url: str, blind: dict[str, str], found: dict[str, tuple[str, Form]]) -> None:
    """Each persona GETs ``url`` with one hostile value in every query parameter (the values
    rotate over the personas); three personas it lets in and one it refuses POST every known
    field name set to that value; the first persona it lets in GETs every hostile value
    and a huge range, and the forms on its page are kept for the second pass."""
    posts = {"let in": 0, "refused": 0}
    for index, persona in enumerate(PERSONA_NAMES):
        value = HOSTILE[index % len(HOSTILE)]
        response = walk.send(persona, "GET", url, dict.fromkeys(QUERY, value))
        outcome = "let in" if response.status_code in {200, 405} else "refused"
        if posts[outcome] < (3 if outcome == "let in" else 1):
            walk.send(persona, "POST", url, dict.fromkeys(blind, value))
            posts[outcome] += 1
        key = _route_key(url)
        if response.status_code == 405 and persona != "anonymous":
            found.setdefault(f"post:{key}", (persona, Form(url, dict.fromkeys(POSTED, "1"))))
        if response.status_code != 200 or persona == "anonymous":
            continue
        if f"get:{key}" not in found:
            found[f"get:{key}"] = (persona, Form(url))
            for other in HOSTILE:
                if other != value:
                    walk.send(persona, "GET", url, dict.fromkeys(QUERY, other))
            walk.send(persona, "GET", url, HUGE_RANGE)
        html = (
            response.content.decode("utf-8", "replace") if "html" in response.get("Content-Type", "") else ""
        )
        for form in forms_on(url, html):
            target = _route_key(form.url)
            if target and target not in found:
                found[target] = (persona, form)


def _route_key(url: str) -> str:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return ""


def _second_pass(walk: Walk, found: dict[str, tuple[str, Form]]) -> None:
    for key, (persona, form) in sorted(found.items()):
        if key.startswith("post:") and key[5:] not in found:
            # a POST-only URL no page offered a form for: the fields its views read, each
            # hostile value in all of them, and none at all
            walk.send(persona, "POST", form.url, {})
            for value in HOSTILE:
                walk.send(persona, "POST", form.url, dict.fromkeys(form.fields, value))
            continue
        if key.startswith(("get:", "post:")) or key == "logout":
            continue
        walk.send(persona, "POST", form.url, {})
        for name in form.fields:
            for value in HOSTILE:
                walk.send(persona, "POST", form.url, {**form.fields, name: value})
        for name in form.files:
            junk = {name: SimpleUploadedFile("hostile.csv", b"\xff\xfe1e30,nan\n" * 100, "text/csv")}
            walk.send(persona, "POST", form.url, {**form.fields, **junk})


@pytest.mark.db
@pytest.mark.django_db
def test_no_hostile_input_answers_500_or_writes_when_refused(personas: Any) -> None:
    from jixiao.cycles.tests.helpers import open_cycle

    opened = open_cycle(personas, "2026-11")  # an open cycle too, so grid saves reach the services
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    walk = Walk(personas)
    blind = {name: "" for name in every_form_field()}
    found: dict[str, tuple[str, Form]] = {}
    # Django logs each 4xx as a warning carrying the request; pytest keeps every record of a test,
    # so thousands of refused hostile bodies would stay in memory and be measured as the app's.
    # The walk sees each answer itself (a 500 is a failure above), so only errors are logged here.
    requests_log = logging.getLogger("django.request")
    level = requests_log.level
    requests_log.setLevel(logging.ERROR)
    try:
        for url in _urls(personas, opened):
            _first_pass(walk, url, blind, found)
        _second_pass(walk, found)
    finally:
        requests_log.setLevel(level)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - start
    posted = sorted(key for key in found if not key.startswith(("get:", "post:")))
    sys.stderr.write(f"hostile walk: {walk.requests} requests, most queries {walk.most_queries}, ")
    sys.stderr.write(f"{len(posted)} forms: {' '.join(posted)}\n")
    assert walk.requests > 3000 and len(posted) > 30, "the walk reached too few pages or forms"
    report = "\n".join(f"{kind}\n    e.g. {example}" for kind, example in sorted(walk.failures.items()))
    assert not walk.failures, f"{len(walk.failures)} kinds of failure in {walk.requests} requests:\n{report}"
    assert grown < MEMORY_BOUND, f"peak memory grew by {grown // 2**20} MiB"


def test_kept_writes_names_tables_written_outside_a_rollback() -> None:
    insert = {"sql": 'INSERT INTO "cycles_score" ("value") VALUES (1)'}
    session = {"sql": 'UPDATE "django_session" SET "expire_date" = 1'}
    assert _kept_writes([insert, session]) == "cycles_score"
    assert _kept_writes([insert, {"sql": 'ROLLBACK TO SAVEPOINT "s1"'}]) == ""
    assert _kept_writes([{"sql": 'SELECT 1 FROM "cycles_score"'}]) == ""
