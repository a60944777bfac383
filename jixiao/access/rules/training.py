"""Access to 培训 (training on appraisal, issue 13; SPEC §10).

Everyone logged in has a training list: the sessions they are invited to. HR manages sessions
(create, edit, invite, materials, attendance, the steps). HR and the committee read every
session, invitation and attendance; a department head reads the sessions that invite someone of
their departments and those people's invitations and attendance; an employee their own. A
session's materials are served to its invitees, HR and the committee only. Who has not been
trained on the framework in force is read by HR and the committee.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..actor import Actor
from .kinds import GlobalRule, ObjectRule, ScopeRule


def _reader(actor: Actor) -> bool:
    return actor.is_hr or actor.is_committee or actor.is_system


def _invited(actor: Actor, session: Any) -> bool:
    if actor.employee_id is None or session.pk is None:
        return False
    return bool(session.invitations.filter(employee_id=actor.employee_id).exists())


def _invites_my_department(actor: Actor, session: Any) -> bool:
    if not actor.headed_department_ids or session.pk is None:
        return False
    return bool(session.invitations.filter(employee__department_id__in=actor.headed_department_ids).exists())


def _session_view(actor: Actor, session: Any) -> bool:
    return (
        _reader(actor)
        or _invited(actor, session)
        or _invites_my_department(actor, session)
    )  # fmt: skip


def _session_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _reader(actor):
        return qs
    sessions = qs.model._default_manager
    visible = Q(
        pk__in=sessions.filter(invitations__employee__department_id__in=actor.headed_department_ids).values(
            "pk"
        )
    )
    if actor.employee_id is not None:
        visible |= Q(pk__in=sessions.filter(invitations__employee_id=actor.employee_id).values("pk"))
    return qs.filter(visible)


def _person_view(actor: Actor, row: Any) -> bool:
    """An invitation or an attendance row: the person's own, their head's, HR's and the committee's."""
    return (
        _reader(actor)
        or (actor.employee_id is not None and row.employee_id == actor.employee_id)
        or row.employee.department_id in actor.headed_department_ids
    )  # fmt: skip


def _person_view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _reader(actor):
        return qs
    visible = Q(employee__department_id__in=actor.headed_department_ids)
    if actor.employee_id is not None:
        visible |= Q(employee_id=actor.employee_id)
    return qs.filter(visible)


def _material_download(actor: Actor, material: Any) -> bool:
    return _reader(actor) or _invited(actor, material.session)


def _acknowledge(actor: Actor, invitation: Any) -> bool:
    return actor.employee_id is not None and invitation.employee_id == actor.employee_id


GLOBAL_RULES: dict[str, GlobalRule] = {
    "training.list": lambda a: a.authenticated,
    "training.manage": lambda a: a.is_hr or a.is_system,
    "training.untrained": _reader,
    "training.my_rules": lambda a: a.authenticated,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "training_session.view": _session_view,
    "training_invitation.view": _person_view,
    "training_attendance.view": _person_view,
    "training_material.download": _material_download,
    "training_invitation.acknowledge": _acknowledge,
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "training_session.view": _session_view_scope,
    "training_invitation.view": _person_view_scope,
    "training_attendance.view": _person_view_scope,
}
