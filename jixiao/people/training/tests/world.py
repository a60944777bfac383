"""Training for the persona company, built through the real services: a session yesterday on the
persona framework, the sales department invited (their head's own invitation then withdrawn, so
the head reads the session for their people without being an invitee), with one material."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jixiao.people.training import services
from jixiao.people.training.models import TrainingInvitation, TrainingSession

TOPIC = "考核总框架培训"


def handout(
    name: str = "handout.txt", body: bytes = "考核规则讲义：等级与系数".encode()
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="text/plain")


def planned(p: Any, *, days_ago: int = 1, topic: str = TOPIC, ask: bool = True) -> TrainingSession:
    """A planned session (yesterday by default) on the persona framework, nobody invited."""
    return services.training_session_create(
        user=p["hr"],
        topic=topic,
        held_on=timezone.localdate() - dt.timedelta(days=days_ago),
        trainer="人力资源部 王老师",
        framework_id=p.plans["framework"].pk,
        location="三楼会议室",
        ask_acknowledgement=ask,
    )


def session(p: Any) -> TrainingSession:
    """The persona session (once per personas): sales invited but their head, one material."""
    found = TrainingSession.objects.filter(topic=TOPIC).first()
    if found is not None:
        return found
    made = planned(p)
    services.training_invite(user=p["hr"], session=made, department_ids=[p.department.pk])
    TrainingInvitation.objects.filter(session=made, employee=p.employees["head"]).delete()
    services.training_material_add(user=p["hr"], session=made, files=[handout()])
    made.refresh_from_db()
    return made


def held(p: Any) -> TrainingSession:
    made = session(p)
    if made.state == "planned":
        made = services.training_mark_held(user=p["hr"], session=made)
    return made


def material_id(p: Any) -> int:
    return int(session(p).materials.get().pk)
