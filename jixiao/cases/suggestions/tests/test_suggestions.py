"""Suggestions (意见反馈): made by anyone logged in, triaged and answered by HR (not their own),
published without the suggester's name, counted for the monthly report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from jixiao.access.policy import can, scope
from jixiao.audit.models import AuditEvent
from jixiao.cases.suggestions import services
from jixiao.cases.suggestions.models import Suggestion
from jixiao.cases.suggestions.selectors import inbox_items, overdue_items, suggestions_for_month
from jixiao.cases.suggestions.tests.world import suggestion
from jixiao.common.errors import JixiaoError
from jixiao.demo.personas import PERSONA_NAMES
from jixiao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _refused(status: int, call: Any) -> None:
    before = (AuditEvent.objects.count(), Suggestion.objects.count(), Notification.objects.count())
    states = list(Suggestion.objects.values_list("pk", "state", "version"))
    with pytest.raises(JixiaoError) as refused:
        call()
    assert refused.value.status == status, refused.value
    assert (AuditEvent.objects.count(), Suggestion.objects.count(), Notification.objects.count()) == before
    assert list(Suggestion.objects.values_list("pk", "state", "version")) == states


def test_make_answer_publish_and_withdraw(personas: Any) -> None:
    hr = personas["hr"]
    made = suggestion(personas)
    assert made.state == "received"
    told_hr = set(Notification.objects.filter(kind="suggestion.filed").values_list("recipient_id", flat=True))
    assert told_hr == {personas["hr"].pk, personas["hrsup"].pk}
    answered = services.suggestion_answer(
        user=hr, suggestion=made, answer="下一期减为三项。", expected_version=made.version
    )
    assert (answered.state, answered.answered_by) == ("answered", hr)
    told = Notification.objects.filter(kind="suggestion.answered")
    assert list(told.values_list("recipient_id", flat=True)) == [personas["employee"].pk]
    published = services.suggestion_step(user=hr, suggestion=answered, action="publish_answer")
    assert published.state == "published" and published.published_at is not None
    back = services.suggestion_step(user=hr, suggestion=published, action="unpublish")
    assert back.state == "answered" and back.published_at is None
    actions = list(
        AuditEvent.objects.filter(object_type="suggestions.suggestion").values_list("action", flat=True)
    )
    assert actions == [
        "suggestion.file",
        "suggestion.answer",
        "suggestion.publish_answer",
        "suggestion.unpublish",
    ]


def test_answer_and_publish_at_once_and_close_as_noted(personas: Any) -> None:
    hr = personas["hrsup"]
    one = services.suggestion_answer(
        user=hr, suggestion=suggestion(personas), answer="已采纳。", publish=True
    )
    assert one.state == "published"
    two = services.suggestion_step(
        user=hr, suggestion=suggestion(personas, author="head"), action="close_noted"
    )
    assert two.state == "noted"


def test_refusals_write_nothing(personas: Any) -> None:
    hr, employee = personas["hr"], personas["employee"]
    made = suggestion(personas)
    _refused(403, lambda: services.suggestion_answer(user=employee, suggestion=made, answer="x"))
    _refused(403, lambda: services.suggestion_answer(user=personas["leader"], suggestion=made, answer="x"))
    _refused(400, lambda: services.suggestion_answer(user=hr, suggestion=made, answer=""))
    _refused(400, lambda: services.suggestion_answer(user=hr, suggestion=made, answer="长" * 20_000))
    _refused(
        409, lambda: services.suggestion_answer(user=hr, suggestion=made, answer="x", expected_version=99)
    )
    _refused(409, lambda: services.suggestion_step(user=hr, suggestion=made, action="publish_answer"))
    _refused(400, lambda: services.suggestion_step(user=hr, suggestion=made, action="nan"))
    _refused(400, lambda: services.suggestion_file(user=employee, title="", text="x"))
    _refused(400, lambda: services.suggestion_file(user=employee, title="t", text="x", topic="1e30"))
    _refused(400, lambda: services.suggestion_file(user=employee, title="t", text="x" * 5_001))
    own = suggestion(personas, author="hr")
    _refused(403, lambda: services.suggestion_answer(user=hr, suggestion=own, answer="自己答复自己"))
    services.suggestion_step(user=hr, suggestion=made, action="close_noted")
    made.refresh_from_db()
    _refused(409, lambda: services.suggestion_answer(user=hr, suggestion=made, answer="x"))


def test_who_reads_a_suggestion_and_scope_agrees(personas: Any) -> None:
    made = [suggestion(personas), suggestion(personas, author="hr"), suggestion(personas, author="admin")]
    for action in ("suggestion.view", "suggestion.handle"):
        for name in PERSONA_NAMES:
            visible = set(
                scope(personas[name], action, Suggestion.objects.all()).values_list("pk", flat=True)
            )
            for s in made:
                assert (s.pk in visible) == can(personas[name], action, s), (name, action, s.pk)
    readers = {n for n in PERSONA_NAMES if can(personas[n], "suggestion.view", made[0])}
    assert readers == {"employee", "hr", "hrsup"}
    assert {n for n in PERSONA_NAMES if can(personas[n], "suggestion.handle", made[1])} == {"hrsup"}


def test_pages_make_answer_and_publish_without_the_name(personas: Any, client_for: Any) -> None:
    employee, hr = client_for("employee"), client_for("hr")
    made = employee.post(
        reverse("suggestions:file"), {"topic": "scoring_process", "title": "减少互评", "text": "互评太多。"}
    )
    s = Suggestion.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("suggestions:detail", args=[s.pk])
    assert "减少互评" in employee.get(reverse("suggestions:file")).content.decode()
    assert "减少互评" in hr.get(reverse("suggestions:list")).content.decode()
    step = reverse("suggestions:step", args=[s.pk])
    long = hr.post(step, {"action": "answer", "answer": "长" * 20_000, "version": s.version})
    assert long.status_code == 400 and "长长长" in long.content.decode()
    assert (
        hr.post(
            step, {"action": "answer", "answer": "下期改为三项。", "publish": "on", "version": s.version}
        ).status_code
        == 302
    )
    public = client_for("colleague").get(reverse("suggestions:answers")).content.decode()
    assert "减少互评" in public and "下期改为三项" in public
    assert "p_employee" not in public and personas.employees["employee"].name not in public
    assert "下期改为三项" in employee.get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert employee.post(step, {"action": "unpublish"}).status_code == 403
    wrong = hr.post(step, {"action": "publish_answer"})
    assert wrong.status_code == 409


def test_hr_list_filters(personas: Any, client_for: Any) -> None:
    late = suggestion(personas)
    Suggestion.objects.filter(pk=late.pk).update(step_began=dt.date(2020, 1, 1))  # test setup: a late step
    fresh = services.suggestion_file(
        user=personas["head"], title="薪酬说明", text="请解释系数。", topic="pay_rules"
    )
    hr = client_for("hr")

    def shown(params: dict[str, str]) -> set[int]:
        body = hr.get(reverse("suggestions:list"), params).content.decode()
        return {s.pk for s in (late, fresh) if f'href="/cases/suggestions/{s.pk}/"' in body}

    assert shown({}) == {late.pk, fresh.pk}
    assert shown({"overdue": "1"}) == {late.pk}
    assert shown({"topic": "pay_rules"}) == {fresh.pk}
    assert shown({"q": "系数"}) == {fresh.pk}
    assert shown({"state": "answered"}) == set()
    assert shown({"state": "nan", "topic": "1e30", "page": "-1"}) == {late.pk, fresh.pk}
    assert {i.reference for i in overdue_items()} == {late.reference}
    assert {(i.reference, i.role) for i in inbox_items(user=personas["hr"])} == {
        (late.reference, "hr"),
        (fresh.reference, "hr"),
    }
    assert {(i.reference, i.role) for i in inbox_items(user=personas["head"])} == {
        (fresh.reference, "reporter")
    }


def test_the_months_counts(personas: Any) -> None:
    hr = personas["hr"]
    month = timezone.localdate().strftime("%Y-%m")
    services.suggestion_answer(user=hr, suggestion=suggestion(personas), answer="好", publish=True)
    services.suggestion_step(user=hr, suggestion=suggestion(personas), action="close_noted")
    services.suggestion_file(user=personas["head"], title="t", text="x", topic="pay_rules")
    counts = suggestions_for_month(month)
    assert (counts.made, counts.answered, counts.noted, counts.published, counts.open_at_end) == (
        3,
        1,
        1,
        1,
        1,
    )
    assert counts.by_topic == {"scoring_process": 2, "pay_rules": 1}
    assert suggestions_for_month("2020-01").made == 0
