"""The anonymous allegation through the real HTTP test client, never logged in: file → the code
shown once → follow-up with the code → the handler's reply visible → information added, still
anonymous; wrong codes throttled per address; nothing identifying stored with the case."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.cases.concerns import codes, services
from jixiao.cases.concerns.models import Concern, ConcernFile, ConcernNote
from jixiao.cases.concerns.tests.world import text_file

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.50"
CODE = re.compile(r'<code id="follow-up-code">([A-Z2-7-]+)</code>')


@pytest.fixture(autouse=True)
def _fresh_counters() -> Any:
    cache.clear()
    yield
    cache.clear()


def _client(address: str = ADDRESS) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT="Mozilla/5.0 (TestBrowser; Jixiao-UA-Marker)")


def _file(client: Client, p: Any, **extra: Any) -> Any:
    data = {
        "title": "数据造假",
        "text": "负责人修改了 9 月的 KPI 数据。",
        "subject_name": p.employees["colleague"].name,
        "evidence": [text_file("表格.txt")],
        **extra,
    }
    return client.post(reverse("concerns:anonymous_file"), data)


def _identifying(p: Any) -> list[str]:
    """What would identify the reporter: the persona accounts, the address, the browser."""
    names = [u.username for u in p.users.values() if u is not None]
    return [ADDRESS, "Jixiao-UA-Marker", *names]


def test_the_filing_page_says_what_is_and_is_not_recorded(personas: Any) -> None:
    page = _client().get(reverse("concerns:anonymous_file"))
    assert page.status_code == 200
    text = page.content.decode()
    for words in ("不记录您是谁", "网络地址", "记录的内容", "只显示这一次"):
        assert words in text
    assert not page.cookies.get("sessionid"), "no session is started for an anonymous reporter"


def test_file_follow_up_reply_and_add_information_without_logging_in(personas: Any) -> None:
    client = _client()
    filed = _file(client, personas)
    assert filed.status_code == 200
    assert "no-store" in filed["Cache-Control"]
    code = CODE.search(filed.content.decode()).group(1)  # type: ignore[union-attr]
    assert len(code.replace("-", "")) == 32  # 160 bits
    case = Concern.objects.get()
    assert case.anonymous and case.kind == "allegation" and case.handler_role == "committee_deputy"
    # Shown once: the stored row holds only the hash; nothing later shows the code.
    stored = case.code_hash or ""
    assert code not in stored and code.replace("-", "") not in stored
    assert case.code_hash == codes.code_hash(code)

    # The handler replies (logged in, elsewhere).
    services.concern_investigate(user=personas["deputy"], concern=case)
    services.concern_note(user=personas["deputy"], concern=case, text="内部：核对日志。")
    services.concern_note(
        user=personas["deputy"], concern=case, text="已收到，请提供修改前后的截图。", to_reporter=True
    )

    # The reporter comes back with the code (typed in lower case, with spaces: still found).
    typed = code.lower().replace("-", " ")
    page = client.post(reverse("concerns:follow_up"), {"code": typed})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    body = page.content.decode()
    assert "请提供修改前后的截图" in body and "核对日志" not in body

    added = client.post(
        reverse("concerns:follow_up_info"),
        {"code": typed, "text": "截图见附件。", "evidence": [text_file("截图.txt")]},
    )
    assert added.status_code == 200 and "补充信息已提交" in added.content.decode()
    info = ConcernNote.objects.get(kind="reporter_info")
    assert info.author is None and info.files.count() == 1

    # The reporter downloads their own file by the code; not with a wrong one.
    mine = ConcernFile.objects.get(note=info)
    got = client.post(reverse("concerns:follow_up_download"), {"code": typed, "file": mine.pk})
    assert got.status_code == 200 and got.getvalue() == "证据：会议记录".encode()
    internal = client.post(reverse("concerns:follow_up_download"), {"code": "A" * 32, "file": mine.pk})
    assert internal.status_code == 404


def test_nothing_identifying_is_stored_with_the_case_or_its_audit_events(personas: Any) -> None:
    logged_in = _client()
    logged_in.force_login(personas["employee"], backend="django.contrib.auth.backends.ModelBackend")
    # Even a logged-in person filing on the anonymous page leaves no account behind.
    filed = _file(logged_in, personas)
    code = CODE.search(filed.content.decode()).group(1)  # type: ignore[union-attr]
    anonymous = _client()
    anonymous.post(reverse("concerns:follow_up_info"), {"code": code, "text": "再补充一点。"})
    case = Concern.objects.get()
    assert case.reporter_id is None and case.anonymous
    for note in case.notes.all():
        assert note.author_id is None
    row = {f.attname: getattr(case, f.attname) for f in Concern._meta.concrete_fields}
    events = AuditEvent.objects.filter(object_type__startswith="concerns.")
    assert events.count() >= 3  # filed, its file, the information added
    for event in events:
        assert event.actor_id is None and event.actor_name == services.ANONYMOUS_NAME, event.action
    stored = str(row) + "".join(e.body for e in events)
    for marker in _identifying(personas):
        assert marker not in stored, marker
    assert str(personas["employee"].pk) not in [str(v) for v in (case.reporter_id, case.closed_by_id)]


def test_wrong_codes_are_throttled_per_address(personas: Any) -> None:
    case, code = services.concern_file_anonymous(
        address="192.0.2.1", title="t", text="x", subject_name=personas.employees["colleague"].name
    )
    guesser = _client("198.51.100.66")
    for _ in range(codes.LIMIT):
        wrong = guesser.post(
            reverse("concerns:follow_up"), {"code": "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"}
        )
        assert wrong.status_code == 404
        assert "跟进码不正确" in wrong.content.decode()
    blocked = guesser.post(reverse("concerns:follow_up"), {"code": code})
    assert blocked.status_code == 429, "even the right code waits once the address is blocked"
    assert "一小时后再试" in blocked.content.decode()
    assert guesser.post(reverse("concerns:follow_up_info"), {"code": code, "text": "x"}).status_code == 429
    # Another address is not blocked by this one's guesses.
    assert _client("198.51.100.67").post(reverse("concerns:follow_up"), {"code": code}).status_code == 200
    assert case.pk


def test_anonymous_filings_are_limited_per_address(personas: Any) -> None:
    client = _client("198.51.100.80")
    for _ in range(codes.FILING_LIMIT):
        assert _file(client, personas, evidence=[]).status_code == 200
    refused = _file(client, personas, evidence=[])
    assert refused.status_code == 429 and "一小时后再试" in refused.content.decode()
    assert Concern.objects.count() == codes.FILING_LIMIT


def test_csrf_is_checked_on_the_anonymous_pages(personas: Any) -> None:
    strict = Client(enforce_csrf_checks=True, REMOTE_ADDR=ADDRESS)
    assert strict.post(reverse("concerns:follow_up"), {"code": "x"}).status_code == 403
    page = strict.get(reverse("concerns:anonymous_file"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)  # type: ignore[union-attr]
    filed = _file(strict, personas, csrfmiddlewaretoken=token)
    assert filed.status_code == 200 and Concern.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "长" * 20_000),
        ("title", "题" * 201),
        ("subject_name", "nan"),
        ("subject_name", "1e30"),
        ("text", ""),
    ],
)
def test_hostile_anonymous_input_is_refused_on_the_form(personas: Any, field: str, value: str) -> None:
    response = _file(_client(), personas, **{field: value})
    assert response.status_code == 400
    assert 'name="title"' in response.content.decode(), "the form comes back with the input"
    assert Concern.objects.count() == 0 and ConcernFile.objects.count() == 0


def test_a_wrong_file_is_refused_and_nothing_is_stored(personas: Any) -> None:
    fake = text_file("scan.pdf", b"this is not a PDF")
    response = _file(_client(), personas, evidence=[fake])
    assert response.status_code == 400 and "scan.pdf" in response.content.decode()
    assert Concern.objects.count() == 0


def test_hostile_codes_are_wrong_codes(personas: Any) -> None:
    client = _client("198.51.100.90")
    for code in ("", "nan", "1e30", "' OR 1=1 --", "码" * 200, "\x00"):
        assert client.post(reverse("concerns:follow_up"), {"code": code}).status_code in (400, 404)
    assert (
        client.post(reverse("concerns:follow_up_download"), {"code": "x", "file": "1e30"}).status_code == 404
    )
