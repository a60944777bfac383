"""Hostile input on the training pages: huge, non-finite or foreign values, unknown steps and
ids, wrong files — each refused with a sentence on the page, the input kept, nothing written,
never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jixiao.people.training.models import TrainingSession

from .test_services import counts
from .world import handout, held, session

pytestmark = pytest.mark.django_db

HUGE = "培" * 20_000


def good(p: Any) -> dict[str, Any]:
    return {
        "topic": "框架培训",
        "held_on": timezone.localdate().isoformat(),
        "trainer": "王老师",
        "location": "会议室",
        "framework_id": p.plans["framework"].pk,
    }


def test_the_session_form_refuses_hostile_values_and_keeps_the_input(personas: Any, client_for: Any) -> None:
    hr, url = client_for("hr"), reverse("training:create")
    before = counts()
    for change in (
        {"topic": HUGE}, {"trainer": HUGE}, {"location": HUGE}, {"description": HUGE}, {"topic": ""},
        {"held_on": "1e30"}, {"held_on": "nan"}, {"held_on": "-1"}, {"held_on": "2026-13-45"}, {"held_on": "1900-01-01"},
        {"held_on": "9" * 40}, {"framework_id": "1e30"}, {"framework_id": "nan"}, {"framework_id": "-1"},
        {"framework_id": "999999"},
    ):  # fmt: skip
        response = hr.post(url, {**good(personas), **change})
        assert response.status_code == 400, change
        page = response.content.decode()
        assert 'class="error"' in page, change
        assert "王老师" in page or change == {"trainer": HUGE}, change  # the input is kept
    assert counts() == before
    created = hr.post(url, good(personas))
    assert created.status_code == 302
    assert TrainingSession.objects.get().topic == "框架培训"


def test_a_stale_edit_is_refused_with_the_input_kept(personas: Any, client_for: Any) -> None:
    s = session(personas)
    url = reverse("training:edit", args=[s.pk])
    hr = client_for("hr")
    assert hr.post(url, {**good(personas), "topic": "第一次修改", "version": s.version}).status_code == 302
    stale = hr.post(url, {**good(personas), "topic": "第二次修改", "version": s.version})
    assert stale.status_code == 409 and "第二次修改" in stale.content.decode()
    assert TrainingSession.objects.get(pk=s.pk).topic == "第一次修改"


def test_the_session_page_forms_refuse_hostile_input(personas: Any, client_for: Any) -> None:
    s = session(personas)
    hr = client_for("hr")
    before = counts()
    cases = [
        ("training:step", {"op": "explode"}, 400, "没有这一步"),
        ("training:step", {"op": "cancel", "reason": ""}, 400, "需要说明原因"),
        ("training:step", {"op": "cancel", "reason": HUGE}, 400, "20000"),
        ("training:step", {"op": "mark_held", "version": "1e30"}, 400, ""),
        ("training:invite", {}, 400, "请选择要邀请的部门或角色"),
        ("training:invite", {"departments": ["1e30"]}, 400, "1e30"),
        ("training:invite", {"departments": [str(10**30)]}, 400, ""),
        ("training:invite", {"roles": ["root"]}, 400, "root"),
        ("training:attendance", {"shown": ["1"], "present": ["nan"]}, 400, ""),
        ("training:material_upload", {}, 400, ""),
    ]
    for name, data, status, says in cases:
        response = hr.post(reverse(name, args=[s.pk]), data)
        assert response.status_code == status, (name, data)
        assert says in response.content.decode(), (name, data)
    assert counts() == before


def test_materials_of_the_wrong_kind_are_refused_on_the_page(personas: Any, client_for: Any) -> None:
    s = session(personas)
    url = reverse("training:material_upload", args=[s.pk])
    hr = client_for("hr")
    before = counts()
    for files, says in (
        ([SimpleUploadedFile("virus.exe", b"MZ")], "virus.exe"),
        ([SimpleUploadedFile("slides.pdf", b"<script>")], "slides.pdf"),
        ([SimpleUploadedFile("bad.txt", b"\xff\xfe\x00")], "UTF-8"),
        ([handout(f"{i}.txt") for i in range(6)], "5"),
    ):
        response = hr.post(url, {"materials": files})
        assert response.status_code == 400 and says in response.content.decode(), says
    assert counts() == before
    assert hr.post(url, {"materials": [handout("讲义.txt")]}).status_code == 302


def test_attendance_on_the_page_keeps_the_boxes_ticked_when_refused(personas: Any, client_for: Any) -> None:
    s = held(personas)
    hr = client_for("hr")
    e = personas.employees
    url = reverse("training:attendance", args=[s.pk])
    foreign = hr.post(url, {"shown": [str(e["worker"].pk)], "present": [str(e["worker"].pk)]})
    assert foreign.status_code == 400  # not an invitee: not a choice of the form
    done = hr.post(
        url, {"shown": [str(e["employee"].pk), str(e["colleague"].pk)], "present": [str(e["employee"].pk)]}
    )
    assert done.status_code == 302
    marks = dict(s.attendances.values_list("employee__number", "present"))
    assert marks == {"P001": True, "P002": False}
    page = hr.get(reverse("training:detail", args=[s.pk])).content.decode()
    assert f'name="present" value="{e["employee"].pk}" checked' in page
    assert f'name="present" value="{e["colleague"].pk}">' in page


def test_acknowledging_twice_says_so_and_the_query_strings_are_harmless(
    personas: Any, client_for: Any
) -> None:
    s = session(personas)
    employee = client_for("employee")
    url = reverse("training:acknowledge", args=[s.pk])
    assert employee.post(url).status_code == 302
    twice = employee.post(url)
    assert twice.status_code == 409 and "无需再次确认" in twice.content.decode()
    assert client_for("colleague").get(reverse("training:detail", args=[s.pk])).status_code == 200
    assert client_for("head").post(url).status_code == 404  # not an invitee
    for query in ("?page=1e30", "?page=-1", "?page=nan", "?page=" + "9" * 40):
        assert client_for("hr").get(reverse("training:list") + query).status_code == 200
    for query in ("?framework=nan", "?framework=-1", "?framework=" + "9" * 40):
        assert client_for("hr").get(reverse("training:untrained") + query).status_code == 200
