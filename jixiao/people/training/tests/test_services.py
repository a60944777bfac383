"""Training services: each step, bulk invitations in a fixed number of queries, materials,
attendance, the acknowledgement once, and refusals that write nothing."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jixiao.access.models import RoleGrant
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError
from jixiao.common.files import evidence_root
from jixiao.notifications.models import Notification
from jixiao.org.models import Department, Employee
from jixiao.people.training import services
from jixiao.people.training.models import (
    TrainingAttendance,
    TrainingInvitation,
    TrainingMaterial,
    TrainingSession,
)
from jixiao.plans.models import Framework

from .world import handout, held, planned, session

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    stored = sum(1 for path in evidence_root().rglob("*") if path.is_file())
    return (
        TrainingSession.objects.count(),
        TrainingInvitation.objects.count(),
        TrainingAttendance.objects.count(),
        TrainingMaterial.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        stored,
        sum(TrainingSession.objects.values_list("version", flat=True)),
        sum(TrainingInvitation.objects.values_list("version", flat=True)),
        sum(TrainingAttendance.objects.values_list("version", flat=True)),
    )


def refused(call: Callable[[], Any], status: int | None = None) -> JixiaoError:
    """``call`` is refused and writes nothing at all."""
    before = counts()
    with pytest.raises(JixiaoError) as error:
        call()
    assert counts() == before
    if status is not None:
        assert error.value.status == status, error.value
    return error.value


def invited(s: TrainingSession) -> set[str]:
    return set(TrainingInvitation.objects.filter(session=s).values_list("employee__number", flat=True))


def test_a_session_is_planned_audited_and_edited_only_with_the_version_seen(personas: Any) -> None:
    s = planned(personas)
    assert (s.state, s.framework_id, s.created_by_id) == (
        "planned",
        personas.plans["framework"].pk,
        personas["hr"].pk,
    )
    assert AuditEvent.objects.filter(action="training.create", object_id=str(s.pk)).exists()
    fields = {"topic": "新主题", "held_on": s.held_on, "trainer": s.trainer, "framework_id": s.framework_id,
              "location": "", "online": True, "description": "", "ask_acknowledgement": False}  # fmt: skip
    changed = services.training_session_update(
        user=personas["hr"], session=s, expected_version=s.version, **fields
    )
    assert (changed.topic, changed.online, changed.version) == ("新主题", True, s.version + 1)
    refused(lambda: services.training_session_update(
        user=personas["hr"], session=s, expected_version=s.version, **{**fields, "topic": "再改"}), 409)  # fmt: skip


def test_only_hr_plans_and_a_draft_framework_or_bad_fields_are_refused(personas: Any) -> None:
    framework = personas.plans["framework"]
    good = {"topic": "x", "held_on": timezone.localdate(), "trainer": "y", "framework_id": framework.pk}
    for name in ("employee", "head", "leader", "finance", "admin"):
        refused(functools.partial(services.training_session_create, user=personas[name], **good), 403)
    draft = Framework.objects.create(code="draft", name="草稿框架", content={}, author=personas["hr"])
    error = refused(
        lambda: services.training_session_create(user=personas["hr"], **{**good, "framework_id": draft.pk})
    )
    assert "已发布" in error.problems[0].zh
    error = refused(lambda: services.training_session_create(
        user=personas["hr"], **{**good, "topic": "长" * 20_000, "trainer": "", "held_on": "1e30"}))  # fmt: skip
    assert len(error.problems) == 3
    refused(lambda: services.training_session_create(user=personas["hr"], **{**good, "framework_id": "nan"}))


def test_invitations_by_department_and_role_in_bulk_once_each(personas: Any) -> None:
    s = planned(personas)
    with CaptureQueriesContext(connection) as few:
        n = services.training_invite(user=personas["hr"], session=s, department_ids=[personas.department.pk])
    assert n == 3 and invited(s) == {"P001", "P002", "P003"}
    # A department with ten times the people costs the same number of queries.
    for i in range(30):
        Employee.objects.create(number=f"X{i:03d}", name=f"员工{i}", department=personas.other_department)
    other = planned(personas, topic="第二场")
    with CaptureQueriesContext(connection) as many:
        services.training_invite(
            user=personas["hr"], session=other, department_ids=[personas.other_department.pk]
        )
    assert len(many.captured_queries) == len(few.captured_queries)
    # By role: the committee; by the heads' "role"; those already invited are not invited again.
    assert (
        services.training_invite(
            user=personas["hr"], session=s, roles=["committee_leader", "committee_deputy"]
        )
        == 2
    )
    assert (
        services.training_invite(user=personas["hr"], session=s, roles=["head"]) == 1
    )  # other_head; head already in
    assert (
        services.training_invite(user=personas["hr"], session=s, department_ids=[personas.department.pk]) == 0
    )
    told = set(
        Notification.objects.filter(kind="training.invited").values_list("recipient__username", flat=True)
    )
    assert told == {"p_employee", "p_colleague", "p_head", "p_leader", "p_deputy", "p_other_head"}
    assert AuditEvent.objects.filter(action="training.invite", object_id=str(s.pk)).count() == 4


def test_invitations_reach_departments_below_and_never_people_who_left(personas: Any) -> None:
    s = planned(personas)
    east = Department.objects.create(code="P-EAST", name="华东组", parent=personas.department, sort_order=9)
    Employee.objects.create(number="E1", name="华东一", department=east)
    Employee.objects.create(number="E2", name="已离职", department=east, status=Employee.Status.LEFT)
    services.training_invite(
        user=personas["hr"], session=s, department_ids=[personas.department.pk], include_below=False
    )
    assert "E1" not in invited(s)
    services.training_invite(user=personas["hr"], session=s, department_ids=[personas.department.pk])
    assert "E1" in invited(s) and "E2" not in invited(s)


def test_invitation_refusals_write_nothing(personas: Any) -> None:
    s = planned(personas)
    hr = personas["hr"]
    refused(lambda: services.training_invite(user=hr, session=s))
    refused(lambda: services.training_invite(user=hr, session=s, department_ids=[10**12]))
    refused(lambda: services.training_invite(user=hr, session=s, roles=["root"]))
    refused(lambda: services.training_invite(user=personas["head"], session=s, roles=["head"]), 403)
    cancelled = services.training_cancel(user=hr, session=s, reason="讲师临时有事")
    refused(lambda: services.training_invite(user=hr, session=cancelled, roles=["head"]), 409)


def test_the_steps_and_their_guards(personas: Any) -> None:
    hr = personas["hr"]
    future = planned(personas, days_ago=-3, topic="下周")
    services.training_invite(user=hr, session=future, department_ids=[personas.department.pk])
    assert "还没到" in refused(lambda: services.training_mark_held(user=hr, session=future), 409).zh
    empty = planned(personas, topic="没人")
    assert refused(lambda: services.training_mark_held(user=hr, session=empty), 409).code == "no_invitees"
    s = held(personas)
    assert s.state == "held"
    refused(lambda: services.training_mark_held(user=hr, session=s), 409)
    refused(lambda: services.training_cancel(user=hr, session=s, reason="x"), 409)
    assert refused(lambda: services.training_finish(user=hr, session=s), 409).code == "attendance_missing"
    people = list(s.invitations.values_list("employee_id", flat=True))
    services.training_attendance_record(user=hr, session=s, present=people[:1], absent=people[1:])
    refused(lambda: services.training_finish(user=personas["leader"], session=s), 403)
    done = services.training_finish(user=hr, session=s)
    assert done.state == "closed"
    assert refused(
        lambda: services.training_attendance_record(user=hr, session=done, present=people, absent=[]), 409
    )


def test_cancel_needs_a_reason_and_tells_the_invitees(personas: Any) -> None:
    s = session(personas)
    hr = personas["hr"]
    refused(lambda: services.training_cancel(user=hr, session=s, reason="  "))
    refused(lambda: services.training_cancel(user=hr, session=s, reason="长" * 20_000))
    done = services.training_cancel(user=hr, session=s, reason="讲师临时有事，改期另行通知")
    assert (done.state, done.cancel_reason) == ("cancelled", "讲师临时有事，改期另行通知")
    told = set(
        Notification.objects.filter(kind="training.cancelled").values_list("recipient__username", flat=True)
    )
    assert told == {"p_employee", "p_colleague"}
    event = AuditEvent.objects.get(action="training.cancel", object_id=str(s.pk))
    assert "讲师临时有事，改期另行通知" in event.body


def test_materials_are_checked_stored_and_refused_whole(personas: Any) -> None:
    s = session(personas)
    from django.core.files.uploadedfile import SimpleUploadedFile

    hr = personas["hr"]
    stored = s.materials.get()
    assert (evidence_root() / stored.path).read_bytes().decode() == "考核规则讲义：等级与系数"
    bad = SimpleUploadedFile("slides.pdf", b"<html>not a pdf</html>")
    error = refused(
        lambda: services.training_material_add(user=hr, session=s, files=[handout("ok.txt"), bad])
    )
    assert "slides.pdf" in error.problems[0].zh
    refused(
        lambda: services.training_material_add(user=hr, session=s, files=[SimpleUploadedFile("a.exe", b"MZ")])
    )
    refused(lambda: services.training_material_add(user=hr, session=s, files=[]))
    refused(
        lambda: services.training_material_add(
            user=hr, session=s, files=[handout(f"{i}.txt") for i in range(6)]
        )
    )
    refused(
        lambda: services.training_material_add(user=personas["employee"], session=s, files=[handout()]), 403
    )


def test_attendance_on_the_page_only_for_invitees_and_versions_count(personas: Any) -> None:
    s = held(personas)
    hr, e = personas["hr"], personas.employees
    refused(
        lambda: services.training_attendance_record(user=hr, session=s, present=[e["worker"].pk], absent=[])
    )
    refused(
        lambda: services.training_attendance_record(
            user=hr, session=s, present=[e["employee"].pk], absent=[e["employee"].pk]
        )
    )
    refused(lambda: services.training_attendance_record(user=hr, session=s, present=[], absent=[]))
    refused(
        lambda: services.training_attendance_record(
            user=personas["head"], session=s, present=[e["employee"].pk], absent=[]
        ),
        403,
    )
    done = services.training_attendance_record(
        user=hr, session=s, present=[e["employee"].pk], absent=[e["colleague"].pk]
    )
    assert done == {"changed": 2, "created": 2, "walk_ins": 0}
    again = services.training_attendance_record(
        user=hr, session=s, present=[e["employee"].pk], absent=[e["colleague"].pk]
    )
    assert again["changed"] == 0
    services.training_attendance_record(
        user=hr, session=s, present=[e["employee"].pk, e["colleague"].pk], absent=[]
    )
    row = TrainingAttendance.objects.get(session=s, employee=e["colleague"])
    assert (row.present, row.version, row.source) == (True, 2, "entered")
    assert AuditEvent.objects.filter(action="training.attendance", object_id=str(s.pk)).count() == 3


def test_attendance_waits_for_the_session_to_be_held(personas: Any) -> None:
    s = session(personas)
    pk = personas.employees["employee"].pk
    refused(
        lambda: services.training_attendance_record(user=personas["hr"], session=s, present=[pk], absent=[]),
        409,
    )


def test_the_acknowledgement_is_the_invitees_once_and_audited(personas: Any) -> None:
    s = session(personas)
    for name in ("head", "hr", "finance"):
        refused(functools.partial(services.training_acknowledge, user=personas[name], session=s))
    invitation = services.training_acknowledge(user=personas["employee"], session=s)
    assert invitation.acknowledged_at is not None
    assert AuditEvent.objects.filter(action="training.acknowledge", object_id=str(invitation.pk)).count() == 1
    assert (
        "无需再次确认"
        in refused(lambda: services.training_acknowledge(user=personas["employee"], session=s), 409).zh
    )
    unasked = planned(personas, topic="无需确认", ask=False)
    services.training_invite(user=personas["hr"], session=unasked, department_ids=[personas.department.pk])
    services.training_material_add(user=personas["hr"], session=unasked, files=[handout()])
    refused(lambda: services.training_acknowledge(user=personas["colleague"], session=unasked), 409)


def test_a_role_granted_later_is_found_by_the_next_invitation(personas: Any) -> None:
    s = planned(personas)
    RoleGrant.objects.create(user=personas["employee"], role="finance")
    services.training_invite(user=personas["hr"], session=s, roles=["finance"])
    assert invited(s) == {"P001", Employee.objects.get(user=personas["finance"]).number}
    assert s.held_on == timezone.localdate() - dt.timedelta(days=1)
