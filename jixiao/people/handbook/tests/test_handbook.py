"""The policy handbook (制度 / 手册): versions from draft to publication (approved by someone other
than the author), a new version from the published text, the line diff, acknowledgement once per
version, who has not acknowledged by department; who reads what (scope ⇔ can); hostile text never
reaching the page as markup; refusals write nothing."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.access import rules
from jixiao.access.policy import can, scope
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError
from jixiao.common.labels import action_label
from jixiao.demo.personas import PERSONA_NAMES
from jixiao.notifications.models import Notification
from jixiao.org.models import Employee
from jixiao.people.handbook import models, services
from jixiao.people.handbook.models import PolicyAcknowledgement, PolicyPage, PolicyVersion
from jixiao.people.handbook.selectors import compliance_page, diff_page, handbook_page

from .world import TEXT_V1, TEXT_V2, publish, published, revised, two_versions_and_a_draft

pytestmark = pytest.mark.django_db
EVERYONE = set(PERSONA_NAMES) - {"anonymous"}


def _refused(status: int, call: Any) -> JixiaoError:
    def state() -> Any:
        return (
            AuditEvent.objects.count(),
            PolicyAcknowledgement.objects.count(),
            Notification.objects.count(),
            list(PolicyVersion.objects.order_by("pk").values_list("pk", "state", "version", "body")),
            list(PolicyPage.objects.order_by("pk").values_list("pk", "current_id", "title")),
        )

    before = state()
    with pytest.raises(JixiaoError) as refused:
        call()
    assert refused.value.status == status, refused.value
    assert state() == before
    return refused.value


def test_a_policy_from_draft_to_its_second_version(personas: Any) -> None:
    hr, hrsup = personas["hr"], personas["hrsup"]
    draft = services.policy_create(user=hr, data={"title": "考核申诉制度", "body": TEXT_V1})
    assert (draft.number, draft.state, draft.page.current) == (1, "draft", None)
    submitted = services.version_step(user=hr, version=draft, action="submit")
    told = set(Notification.objects.filter(kind="policy.submitted").values_list("recipient_id", flat=True))
    assert told == {hrsup.pk, personas["leader"].pk}
    returned = services.version_step(user=hrsup, version=submitted, action="return", reason="请补充第三条。")
    assert returned.state == "draft"
    assert Notification.objects.filter(kind="policy.returned", recipient=hr).exists()
    first = publish(personas, returned)
    first.page.refresh_from_db()
    assert (first.state, first.page.current, first.approved_by, first.published_by) == (
        "published",
        first,
        hrsup,
        hr,
    )
    readers = set(Notification.objects.filter(kind="policy.published").values_list("recipient_id", flat=True))
    assert personas["employee"].pk in readers and hr.pk not in readers  # everyone but the publisher
    # A new version starts from the published text; publishing it supersedes the first.
    second = services.version_start(user=hr, page=first.page)
    assert (second.number, second.body, second.based_on, second.state) == (2, TEXT_V1, first, "draft")
    second = services.version_update(
        user=hr, version=second, data={"title": "考核申诉制度", "body": TEXT_V2, "change_note": "延长期限"},
        expected_version=second.version,
    )  # fmt: skip
    second = publish(personas, second)
    first.refresh_from_db()
    second.page.refresh_from_db()
    assert (first.state, second.state, second.page.current) == ("superseded", "published", second)
    actions = list(
        AuditEvent.objects.filter(object_type__startswith="handbook.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "policy.create", "policy_version.create", "policy_version.submit", "policy_version.return",
        "policy_version.submit", "policy_version.approve", "policy_version.publish", "policy.update",
        "policy_version.create", "policy_version.update", "policy_version.submit", "policy_version.approve",
        "policy_version.publish", "policy_version.supersede", "policy.update",
    ]  # fmt: skip
    for action in set(actions):
        assert action_label(action).zh != action, action


def test_refusals_write_nothing(personas: Any) -> None:
    hr, hrsup, leader, employee = personas["hr"], personas["hrsup"], personas["leader"], personas["employee"]
    _refused(403, lambda: services.policy_create(user=employee, data={"title": "x", "body": "y"}))
    _refused(403, lambda: services.policy_create(user=leader, data={"title": "x", "body": "y"}))
    _refused(400, lambda: services.policy_create(user=hr, data={"title": "", "body": "y"}))
    _refused(400, lambda: services.policy_create(user=hr, data={"title": "长" * 201, "body": "y"}))
    _refused(
        400, lambda: services.policy_create(user=hr, data={"title": "x", "body": "字" * 70_000})
    )  # 210 KB
    _refused(400, lambda: services.policy_create(user=hr, data={"title": "x", "body": "a\n" * 5_001}))
    _refused(400, lambda: services.policy_create(user=hr, data={"title": "x", "body": "a\x00b"}))
    draft = services.policy_create(user=hr, data={"title": "制度", "body": "正文"})
    _refused(409, lambda: services.version_step(user=hr, version=draft, action="approve"))
    _refused(409, lambda: services.version_step(user=hr, version=draft, action="publish"))
    _refused(400, lambda: services.version_step(user=hr, version=draft, action="supersede_all"))
    _refused(400, lambda: services.version_step(user=hr, version=draft, action="discard"))  # needs a reason
    submitted = services.version_step(user=hr, version=draft, action="submit")
    # Never the author; an HR officer or a deputy is not an approver; a stale page is refused.
    _refused(403, lambda: services.version_step(user=hr, version=submitted, action="approve"))
    _refused(403, lambda: services.version_step(user=personas["deputy"], version=submitted, action="approve"))
    _refused(403, lambda: services.version_step(user=employee, version=submitted, action="withdraw"))
    _refused(
        409,
        lambda: services.version_step(user=hrsup, version=submitted, action="approve", expected_version=1),
    )
    _refused(400, lambda: services.version_step(user=hrsup, version=submitted, action="return", reason=""))
    _refused(409, lambda: services.version_update(
        user=hr, version=submitted, data={"title": "x", "body": "y"}, expected_version=submitted.version
    ))  # fmt: skip
    approved = services.version_step(user=leader, version=submitted, action="approve")
    _refused(403, lambda: services.version_step(user=leader, version=approved, action="publish"))
    _refused(409, lambda: services.version_start(user=hr, page=approved.page))  # one version under way
    _refused(403, lambda: services.policy_acknowledge(user=employee, version=approved))  # not published
    current = services.version_step(user=hr, version=approved, action="publish")
    services.policy_acknowledge(user=employee, version=current)
    _refused(409, lambda: services.policy_acknowledge(user=employee, version=current))  # once per version
    _refused(403, lambda: services.policy_acknowledge(user=personas["anonymous"], version=current))


def test_a_version_written_from_an_older_text_is_not_published(personas: Any) -> None:
    """Only one version is under way at a time; the guard still holds if the base moved."""
    first = published(personas)
    second = revised(personas, first.page)
    second = services.version_step(user=personas["hr"], version=second, action="submit")
    second = services.version_step(user=personas["hrsup"], version=second, action="approve")
    PolicyVersion.objects.filter(pk=second.pk).update(based_on=None)  # as if written before v1
    second.refresh_from_db()
    error = _refused(
        409, lambda: services.version_step(user=personas["hr"], version=second, action="publish")
    )
    assert error.code == "stale_base"


def test_acknowledgement_once_per_version_and_who_has_not(personas: Any) -> None:
    world = two_versions_and_a_draft(personas)
    v1, v2 = world["v1"], world["v2"]
    _refused(409, lambda: services.policy_acknowledge(user=personas["employee"], version=v1))  # superseded
    for name in ("employee", "head", "hr"):
        services.policy_acknowledge(user=personas[name], version=v2)
    events = AuditEvent.objects.filter(action="policy_version.acknowledge")
    assert events.count() == 3
    page = compliance_page(user=personas["hr"], pk=v2.pk)
    counts = {d.name: (d.expected, d.acknowledged, d.missing) for d in page.departments}
    assert counts["销售部"] == (3, 2, 1)  # employee and head of sales; the colleague has not
    assert counts["综合部"][1] == 1  # hr
    assert page.expected == 12 and page.acknowledged == 3  # the twelve personas with a login
    assert page.without_login == 1  # the plant worker has no login
    missing = {e.name for e in page.missing}
    assert "测试colleague" in missing and "测试employee" not in missing and len(missing) == 9
    sales = compliance_page(user=personas["hr"], pk=v2.pk, department_id=personas.department.pk)
    assert [e.name for e in sales.missing] == ["测试colleague"]
    # The list marks what the reader still has to acknowledge.
    assert handbook_page(user=personas["colleague"]).waiting == 1
    assert handbook_page(user=personas["employee"]).waiting == 0


def test_who_has_not_acknowledged_reads_in_a_fixed_number_of_queries(personas: Any) -> None:
    version = published(personas)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = compliance_page(user=personas["hr"], pk=version.pk)
            list(page.missing)
        return len(queries)

    count()
    one = count()
    for n in range(30):
        Employee.objects.create(number=f"X{n:03d}", name=f"员工{n}", department=personas.other_department)
    assert count() == one


def test_who_reads_what_and_scope_agrees(personas: Any) -> None:
    world = two_versions_and_a_draft(personas)
    unpublished = services.policy_create(user=personas["hr"], data={"title": "草拟中的制度", "body": "x"})
    for action, model in (("policy.view", PolicyPage), ("policy_version.view", PolicyVersion)):
        for name in PERSONA_NAMES:
            visible = set(scope(personas[name], action, model.objects.all()).values_list("pk", flat=True))
            for obj in model.objects.all():
                assert (obj.pk in visible) == can(personas[name], action, obj), (name, action, obj.pk)
    draft_readers = {"hr", "hrsup", "leader"}
    assert {n for n in PERSONA_NAMES if can(personas[n], "policy.view", world["page"])} == EVERYONE
    assert {n for n in PERSONA_NAMES if can(personas[n], "policy.view", unpublished.page)} == draft_readers
    assert {n for n in PERSONA_NAMES if can(personas[n], "policy_version.view", world["v1"])} == EVERYONE
    assert {n for n in PERSONA_NAMES if can(personas[n], "policy_version.view", world["v3"])} == draft_readers
    submitted = services.version_step(user=personas["hr"], version=world["v3"], action="submit")
    assert {n for n in PERSONA_NAMES if can(personas[n], "policy_version.approve", submitted)} == {
        "hrsup",
        "leader",
    }


def test_access_names_the_same_states_as_the_models() -> None:
    assert {str(s) for s in models.PUBLIC} == rules.handbook.PUBLIC


def test_the_diff_between_versions(personas: Any, client_for: Any) -> None:
    world = two_versions_and_a_draft(personas)
    view = diff_page(user=personas["employee"], pk=world["page"].pk)
    assert (view.older.number, view.newer.number) == (1, 2)  # the current one against its base
    assert (view.diff.added, view.diff.removed) == (4, 1)
    assert [v.number for v in view.choices] == [2, 1]  # the employee never sees the draft
    hr_view = diff_page(user=personas["hr"], pk=world["page"].pk, older=2, newer=3)
    assert (hr_view.diff.added, hr_view.diff.removed) == (1, 0)
    body = client_for("employee").get(reverse("handbook:diff", args=[world["page"].pk])).content.decode()
    assert (
        "新增 4 行，删除 1 行。" in body
        and '<tr class="removed">' in body
        and "<del>结果公布后 5 个工作日内提出申诉。</del>" in body
    )
    english = client_for("employee")
    english.cookies["django_language"] = "en"
    body = english.get(
        reverse("handbook:diff", args=[world["page"].pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'lang="en"' in body
    # A draft number the employee may not read falls back to what they may read.
    body = client_for("employee").get(
        reverse("handbook:diff", args=[world["page"].pk]) + "?newer=3&older=1e30"
    )
    assert body.status_code == 200


class Tags(HTMLParser):
    """The tags and attributes inside <article id="policy-text">."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.hrefs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth or ("id", "policy-text") in attrs:
            if self.depth:
                self.tags.add(tag)
                self.attributes |= {name for name, _ in attrs}
                self.hrefs |= {value or "" for name, value in attrs if name == "href"}
            self.depth += 1 if tag not in {"br", "hr"} else 0

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in {"br", "hr"}:
            self.depth -= 1


HOSTILE = "\n\n".join(
    [
        "# 制度 <script>alert('x')</script>",
        "<script>document.cookie</script>",
        "<img src=x onerror=alert(1)>",
        '<div style="background:url(javascript:alert(1))">raw</div>',
        "<style>*{display:none}</style>",
        "[点我](javascript:alert(1)) [再点](JAVASCRIPT:alert(2)) [编码](javascript&#58;alert(3))",
        '<a href="javascript:alert(4)">a</a>',
        "![x](https://evil.example/pixel.png)",
        "| "
        + " | ".join(f"列{n}" for n in range(60))
        + " |\n|"
        + "---|" * 60
        + "\n"
        + "\n".join("| " + " | ".join("格" for _ in range(60)) + " |" for _ in range(150)),
        "正文" * 12_000,
    ]
)


def test_hostile_text_never_reaches_the_page_as_markup(personas: Any, client_for: Any) -> None:
    assert len(HOSTILE) > 20_000 and len(HOSTILE.encode()) < 200 * 1024
    hr = client_for("hr")
    made = hr.post(
        reverse("handbook:create"), {"title": "<b>危险</b>制度", "body": HOSTILE, "change_note": "<i>x</i>"}
    )
    assert made.status_code == 302, made.content.decode()[:3000]
    version = PolicyVersion.objects.get()
    publish(personas, version)
    for who in ("employee", "hr"):
        for url in (version.page.link, version.link):
            response = client_for(who).get(url)
            body = response.content.decode()
            found = Tags()
            found.feed(body)
            assert found.tags <= {"h1", "p", "a", "table", "thead", "tbody", "tr", "th", "td"}, (
                who,
                url,
                found.tags,
            )
            assert found.attributes <= {"href", "rel", "class"}, found.attributes
            assert all(not h.lower().startswith(("javascript", "data")) for h in found.hrefs), found.hrefs
            assert "<script>alert" not in body and "<script>document" not in body and "<style>*" not in body
            assert "&lt;script&gt;document.cookie&lt;/script&gt;" in body  # shown as text
            assert "<b>危险</b>" not in body and "&lt;b&gt;危险&lt;/b&gt;" in body
            assert "'unsafe-inline'" not in response.get("Content-Security-Policy", "")


def test_too_big_a_text_is_refused_on_the_form_with_the_input_kept(personas: Any, client_for: Any) -> None:
    hr = client_for("hr")
    huge = "字" * 70_000  # 210 KB in UTF-8: under the form's character limit, over the size limit
    answer = hr.post(reverse("handbook:create"), {"title": "大制度", "body": huge})
    body = answer.content.decode()
    assert answer.status_code == 400 and "200 KB" in body and 'value="大制度"' in body and huge in body
    assert not PolicyVersion.objects.exists()
    answer = hr.post(reverse("handbook:create"), {"title": "", "body": "x"})
    assert answer.status_code == 400


def test_pages_for_readers_writers_and_approvers(personas: Any, client_for: Any) -> None:
    world = two_versions_and_a_draft(personas)
    page, v2, v3 = world["page"], world["v2"], world["v3"]
    employee = client_for("employee")
    body = employee.get(page.link).content.decode()
    assert "第四条 结果" in body and "我已阅读并确认" in body and "从现行版本开始修订" not in body
    assert "第五条 附则" not in body  # the draft is not shown to an employee
    assert employee.get(v3.link).status_code == 404
    assert employee.get(reverse("handbook:acknowledgements", args=[v2.pk])).status_code == 403
    acked = employee.post(reverse("handbook:acknowledge", args=[v2.pk]))
    assert acked.status_code == 302 and acked["Location"] == page.link
    assert "您已于" in employee.get(page.link).content.decode()
    again = employee.post(reverse("handbook:acknowledge", args=[v2.pk]))
    assert again.status_code == 409 and PolicyAcknowledgement.objects.count() == 1
    assert "待确认" in client_for("colleague").get(reverse("handbook:list")).content.decode()
    hr = client_for("hr")
    draft_page = hr.get(v3.link).content.decode()
    assert (
        "提交审批" in draft_page
        and "修改这一版" in draft_page
        and "批准" not in draft_page.split("办理记录")[0].split("提交审批")[1]
    )
    hr.post(reverse("handbook:version_step", args=[v3.pk]), {"op": "submit", "version": v3.version})
    v3.refresh_from_db()
    assert "批准" in client_for("leader").get(v3.link).content.decode()
    refused = hr.post(
        reverse("handbook:version_step", args=[v3.pk]), {"op": "approve", "version": v3.version}
    )
    assert refused.status_code == 403
    kept = client_for("hrsup").post(
        reverse("handbook:version_step", args=[v3.pk]), {"op": "return", "version": v3.version}
    )
    assert kept.status_code == 400 and "原因" in kept.content.decode()
    compliance = client_for("member").get(reverse("handbook:acknowledgements", args=[v2.pk])).content.decode()
    assert "销售部" in compliance and "测试colleague" in compliance
    start = hr.post(reverse("handbook:version_start", args=[page.pk]))
    assert start.status_code == 409  # version 3 is under way


def test_the_list_reads_in_a_fixed_number_of_queries(personas: Any) -> None:
    published(personas)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            handbook_page(user=personas["hr"])
        return len(queries)

    count()
    one = count()
    for n in range(4):
        revised(personas, published(personas, title=f"制度 {n}").page)
    assert count() == one


def test_an_unpublished_page_is_named_by_its_draft(personas: Any) -> None:
    draft = services.policy_create(user=personas["hr"], data={"title": "旧名", "body": "x"})
    services.version_update(
        user=personas["hr"],
        version=draft,
        data={"title": "新名", "body": "x"},
        expected_version=draft.version,
    )
    assert PolicyPage.objects.get().title == "新名"


def test_no_page_shows_a_raw_code(personas: Any, client_for: Any) -> None:
    """States, steps and audit actions by their labels, in Chinese and in English."""
    from tests.test_no_raw_codes import known_codes, leaks, visible

    world = two_versions_and_a_draft(personas)
    services.policy_acknowledge(user=personas["employee"], version=world["v2"])
    services.version_step(user=personas["hr"], version=world["v3"], action="submit")
    urls = [
        reverse("handbook:list"), world["page"].link, world["v1"].link, world["v2"].link, world["v3"].link,
        reverse("handbook:diff", args=[world["page"].pk]) + "?older=1&newer=3",
        reverse("handbook:acknowledgements", args=[world["v2"].pk]),
        reverse("handbook:version_edit", args=[world["v3"].pk]),
    ]  # fmt: skip
    codes, logins = known_codes(), {f"p_{n}" for n in PERSONA_NAMES}
    for who in ("hr", "leader", "employee"):
        for language in ("zh-hans", "en"):
            client = client_for(who)
            client.cookies["django_language"] = language
            for url in urls:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                if response.status_code == 200:
                    found = leaks(visible(response.content.decode()), codes, language == "en", logins)
                    assert not found, (who, language, url, found)
