"""Who sees which session, invitee, attendance and material (scope ⇔ can on real rows), the
lists' query counts, and who has not been trained on the framework in force."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.access.policy import can, scope
from jixiao.demo.personas import PERSONA_NAMES
from jixiao.org.models import Employee
from jixiao.people.training import selectors, services
from jixiao.people.training.models import TrainingAttendance, TrainingInvitation, TrainingSession
from jixiao.plans.models import Framework

from .world import handout, held, planned

pytestmark = pytest.mark.django_db


def two_sessions(p: Any) -> tuple[TrainingSession, TrainingSession]:
    """The persona session (sales, held, the employee present, the colleague absent) and one for
    the plant (its worker, who has no login) with a material of its own."""
    sales = held(p)
    e = p.employees
    services.training_attendance_record(
        user=p["hr"], session=sales, present=[e["employee"].pk], absent=[e["colleague"].pk]
    )
    plant = planned(p, topic="生产部培训")
    services.training_invite(user=p["hr"], session=plant, department_ids=[p.other_department.pk])
    TrainingInvitation.objects.filter(session=plant, employee=e["other_head"]).delete()
    services.training_material_add(user=p["hr"], session=plant, files=[handout("plant.txt")])
    return sales, plant


ACTIONS: dict[str, Any] = {
    "training_session.view": TrainingSession,
    "training_invitation.view": TrainingInvitation,
    "training_attendance.view": TrainingAttendance,
}


def test_scope_and_can_agree_on_real_rows(personas: Any) -> None:
    two_sessions(personas)
    for action, model in ACTIONS.items():
        rows = list(model.objects.all())
        assert rows
        for name in PERSONA_NAMES:
            user = personas[name]
            visible = set(scope(user, action, model.objects.all()).values_list("pk", flat=True))
            for obj in rows:
                assert (obj.pk in visible) == can(user, action, obj), (name, action, obj)


def test_who_sees_which_session(personas: Any) -> None:
    sales, plant = two_sessions(personas)

    def seen(name: str) -> set[str]:
        return {
            s.topic for s in scope(personas[name], "training_session.view", TrainingSession.objects.all())
        }

    both = {sales.topic, plant.topic}
    for name in ("hr", "hrsup", "leader", "deputy", "member"):
        assert seen(name) == both
    assert (
        seen("employee") == seen("colleague") == seen("head") == {sales.topic}
    )  # the head: for their people
    assert seen("other_head") == {plant.topic}
    for name in ("finance", "auditor", "admin", "anonymous"):
        assert seen(name) == set()


def test_a_session_page_shows_each_reader_only_the_people_theirs(personas: Any, client_for: Any) -> None:
    sales, _plant = two_sessions(personas)
    url = reverse("training:detail", args=[sales.pk])

    def numbers(name: str) -> set[str]:
        return {
            r.invitation.employee.number
            for r in selectors.session_page(user=personas[name], pk=sales.pk).people
        }

    assert numbers("hr") == numbers("member") == numbers("head") == {"P001", "P002"}
    assert numbers("employee") == {"P001"}
    page = client_for("colleague").get(url).content.decode()
    assert "P002" in page and "P001" not in page and "缺勤" in page
    assert client_for("other_head").get(url).status_code == 404


def test_materials_go_to_invitees_hr_and_the_committee_only(personas: Any, client_for: Any) -> None:
    sales, plant = two_sessions(personas)
    url = reverse("training:material", args=[sales.materials.get().pk])
    for name, status in {
        "employee": 200,
        "hr": 200,
        "member": 200,
        "head": 404,
        "finance": 404,
        "admin": 404,
    }.items():
        response = client_for(name).get(url)
        assert response.status_code == status, name
    body = b"".join(client_for("employee").get(url).streaming_content)
    assert body.decode() == "考核规则讲义：等级与系数"
    # The plant's head reads their session but, not invited, is not given its material.
    plant_url = reverse("training:material", args=[plant.materials.get().pk])
    assert client_for("other_head").get(plant_url).status_code == 404
    assert (
        "plant.txt"
        in client_for("other_head").get(reverse("training:detail", args=[plant.pk])).content.decode()
    )


def test_the_list_costs_the_same_queries_for_more_sessions(personas: Any) -> None:
    two_sessions(personas)

    def queries(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = selectors.session_list_page(user=personas[name])
            [(r.state, r.invitation, r.attendance) for r in page.rows]
        return len(captured.captured_queries)

    queries("employee")  # the acting user is resolved once (and cached on the user)
    hr, employee = queries("hr"), queries("employee")
    for i in range(5):
        more = planned(personas, topic=f"加场 {i}")
        services.training_invite(user=personas["hr"], session=more, department_ids=[personas.department.pk])
    assert (queries("hr"), queries("employee")) == (hr, employee)
    assert len(selectors.session_list_page(user=personas["employee"]).rows) == 6
    assert selectors.session_list_page(user=personas["finance"]).rows == []


def test_who_has_not_been_trained_on_the_framework_in_force(personas: Any, client_for: Any) -> None:
    two_sessions(personas)
    framework = personas.plans["framework"]
    active = Employee.objects.exclude(status="left").count()
    page = selectors.untrained_page(user=personas["hr"])
    assert page.framework == framework
    assert (page.active, page.untrained) == (
        active,
        active - 1,
    )  # the employee attended; the colleague was absent
    blocks = {b.department.code: b for b in page.blocks}
    assert (blocks["P-SALES"].active, blocks["P-SALES"].trained, blocks["P-SALES"].missing) == (3, 1, 2)
    assert {e.number for e in blocks["P-SALES"].people} == {"P002", "P003"}
    assert sum(b.missing for b in page.blocks) == page.untrained == sum(len(b.people) for b in page.listed)
    assert personas.employees["worker"].pk in page.invited  # invited to the planned plant session
    # A session on another framework version does not count.
    newer = Framework.objects.create(
        code=framework.code, name=framework.name, number=2, content=framework.content, author=personas["hr"],
        status="published", effective_from="2026-02",
    )  # fmt: skip
    Framework.objects.filter(pk=framework.pk).update(status="superseded")
    assert selectors.untrained_page(user=personas["hr"]).framework == newer
    assert selectors.untrained_page(user=personas["hr"]).untrained == active
    older = selectors.untrained_page(user=personas["hr"], framework_id=framework.pk)
    assert (older.framework, older.untrained) == (framework, active - 1)
    response = client_for("leader").get(reverse("training:untrained") + f"?framework={framework.pk}")
    assert response.status_code == 200 and 'data-department="P-SALES"' in response.content.decode()
    assert client_for("leader").get(reverse("training:untrained") + "?framework=1e30").status_code == 200
    assert client_for("head").get(reverse("training:untrained")).status_code == 403


def test_past_the_limit_names_are_listed_one_department_at_a_time(
    personas: Any, client_for: Any, monkeypatch: Any
) -> None:
    two_sessions(personas)
    monkeypatch.setattr(selectors, "LIST_LIMIT", 3)
    page = selectors.untrained_page(user=personas["hr"])
    assert page.too_many and page.listed == [] and page.untrained > 3
    with CaptureQueriesContext(connection) as captured:
        one = selectors.untrained_page(user=personas["hr"], department_id=personas.department.pk)
    assert [b.department for b in one.listed] == [personas.department]
    for i in range(20):
        Employee.objects.create(number=f"N{i:03d}", name=f"新人{i}", department=personas.department)
    with CaptureQueriesContext(connection) as more:
        bigger = selectors.untrained_page(user=personas["hr"], department_id=personas.department.pk)
    assert len(bigger.listed[0].people) == 22
    assert len(more.captured_queries) == len(captured.captured_queries)
    assert 'id="choose-department"' in client_for("hr").get(reverse("training:untrained")).content.decode()


def test_the_session_page_costs_the_same_queries_for_more_invitees(personas: Any, client_for: Any) -> None:
    sales, _plant = two_sessions(personas)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = selectors.session_page(user=personas["hr"], pk=sales.pk)
            [(r.invitation.employee.department.name, r.attendance) for r in page.people]
        return len(captured.captured_queries)

    before = queries()
    for i in range(30):
        Employee.objects.create(number=f"M{i:03d}", name=f"新人{i}", department=personas.department)
    services.training_invite(user=personas["hr"], session=sales, department_ids=[personas.department.pk])
    assert queries() == before
    page = selectors.session_page(user=personas["hr"], pk=sales.pk)
    assert (page.invited, page.present, page.absent) == (33, 1, 1)  # the head invited again too
