"""Training on appraisal (培训): every write (issue 13).

HR creates and edits sessions (``audited_create`` / ``audited_write``), invites by department or
role in bulk (one query finds the people, one insert, one audit event, the new invitees told),
uploads materials (type and size checked by ``common.files``), records attendance on the page or
by import (``imports.py``) and moves the session along ``workflow.SESSION``. An invitee confirms
once that they read the material. A refusal writes nothing (no row, no event, no notification, no
file left behind).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jixiao.access.actor import ActingUser, actor_for, stored_user
from jixiao.access.models import Role
from jixiao.access.policy import require
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, NotFound, Problem
from jixiao.common.files import MAX_FILES, StoredFile, evidence_check, evidence_root, evidence_store
from jixiao.common.validators import MAX_ID, parse_date, parse_text, whole_number
from jixiao.engine.text import Text
from jixiao.notifications.services import notify
from jixiao.org.models import Department, Employee
from jixiao.plans.models import RELEASED as FRAMEWORK_RELEASED
from jixiao.plans.models import Framework
from jixiao.workflow.services import audited_create, audited_write, locked, state_refusal, transition_apply

from .models import (
    ATTENDANCE_OPEN,
    DESCRIPTION_LENGTH,
    EDITABLE,
    LOCATION_LENGTH,
    OPEN,
    REASON_LENGTH,
    TOPIC_LENGTH,
    TRAINER_LENGTH,
    TrainingAttendance,
    TrainingInvitation,
    TrainingMaterial,
    TrainingSession,
)
from .workflow import SESSION

MAX_MATERIALS = 20
HEAD = "head"  # the invitation "role" of department heads (not a granted role)
INVITE_ROLES = (HEAD, *Role.values)
FIELDS = (
    "topic",
    "held_on",
    "trainer",
    "online",
    "location",
    "framework_id",
    "description",
    "ask_acknowledgement",
)


# -- the session ----------------------------------------------------------------------------


def _framework(framework_id: Any) -> Framework:
    """A framework version people can be trained on: published, or one it superseded."""
    pk = whole_number(framework_id)
    framework = Framework.objects.filter(pk=pk, status__in=FRAMEWORK_RELEASED).first() if pk else None
    if framework is None:
        raise JixiaoError(
            zh="请选择一个已发布的考核总框架版本。",
            en="Choose a published version of the framework.",
            code="framework",
            problems=[
                Problem(zh="请选择已发布的版本", en="choose a published version", where="考核总框架版本")
            ],
        )
    return framework


def _checked(data: dict[str, Any]) -> dict[str, Any]:
    """The session's fields parsed and bounded; every bad field named in one refusal."""
    problems: list[Problem] = []
    out: dict[str, Any] = {}
    parsers: dict[str, Callable[[Any], Any]] = {
        "topic": lambda v: parse_text(v, field=Text("培训主题", "Topic"), max_length=TOPIC_LENGTH, required=True),
        "held_on": lambda v: parse_date(v, field=Text("培训日期", "Date")),
        "trainer": lambda v: parse_text(v, field=Text("讲师", "Trainer"), max_length=TRAINER_LENGTH, required=True),
        "location": lambda v: parse_text(v, field=Text("地点或会议链接", "Place or meeting link"), max_length=LOCATION_LENGTH),
        "description": lambda v: parse_text(v, field=Text("内容简介", "Summary"), max_length=DESCRIPTION_LENGTH),
        "framework_id": lambda v: _framework(v).pk,
    }  # fmt: skip
    for key, parse in parsers.items():
        try:
            out[key] = parse(data.get(key))
        except JixiaoError as error:
            problems.extend(error.problems or [Problem(zh=error.zh, en=error.en)])
    if problems:
        raise JixiaoError(zh="培训信息有误，未保存：", en="The session was not saved:", problems=problems)
    out["online"] = bool(data.get("online"))
    out["ask_acknowledgement"] = bool(data.get("ask_acknowledgement"))
    return out


def training_session_create(
    *,
    user: ActingUser,
    topic: str,
    held_on: dt.date | str,
    trainer: str,
    framework_id: int,
    online: bool = False,
    location: str = "",
    description: str = "",
    ask_acknowledgement: bool = False,
) -> TrainingSession:
    """HR plans a session on a framework version (state ``planned``)."""
    require(user, "training.manage")
    data = _checked(locals())
    session = TrainingSession(**data, created_by=stored_user(user))
    return audited_create(user=user, obj=session, action="training.create", fields=FIELDS)


def training_session_update(
    *, user: ActingUser, session: TrainingSession, expected_version: int | None, **fields: Any
) -> TrainingSession:
    """HR corrects a planned or held session's details (a form saved unchanged writes nothing)."""
    require(user, "training.manage")
    data = _checked(fields)

    def change(s: TrainingSession) -> None:
        for key, value in data.items():
            setattr(s, key, value)

    return audited_write(
        user=user, obj=session, action="training.update", expected_version=expected_version, change=change,
        states=EDITABLE, workflow=SESSION, fields=FIELDS, skip_unchanged=True,
    )  # fmt: skip


def _tell_invitees(
    session: TrainingSession, kind: str, text: Text, user: ActingUser, ids: Iterable[int] = ()
) -> None:
    who = TrainingInvitation.objects.filter(session=session, employee__user__isnull=False)
    if ids:
        who = who.filter(employee_id__in=list(ids))
    notify(
        recipients=list(who.values_list("employee__user_id", flat=True)), kind=kind, text=text,
        link=session.link, exclude=[user],
    )  # fmt: skip


def training_mark_held(
    *, user: ActingUser, session: TrainingSession, expected_version: int | None = None
) -> TrainingSession:
    """The session took place: attendance may now be recorded."""
    return transition_apply(
        user=user, workflow=SESSION, obj=session, action="mark_held", expected_version=expected_version
    )


def training_finish(
    *, user: ActingUser, session: TrainingSession, expected_version: int | None = None
) -> TrainingSession:
    """Attendance is complete and final: the session is closed."""
    return transition_apply(
        user=user, workflow=SESSION, obj=session, action="finish", expected_version=expected_version
    )


def training_cancel(
    *, user: ActingUser, session: TrainingSession, reason: str, expected_version: int | None = None
) -> TrainingSession:
    """A planned session is cancelled with its reason; the invitees are told."""
    reason = parse_text(reason, field=Text("取消原因", "Reason"), max_length=REASON_LENGTH)
    with transaction.atomic():
        done = transition_apply(
            user=user, workflow=SESSION, obj=session, action="cancel", reason=reason,
            expected_version=expected_version, change=lambda s: setattr(s, "cancel_reason", reason),
        )  # fmt: skip
        text = Text(
            f"培训“{done.topic}”（{done.held_on}）已取消。",
            f"The training “{done.topic}” ({done.held_on}) is cancelled.",
        )
        _tell_invitees(done, "training.cancelled", text, user)
    return done


def _open_session(session: TrainingSession, states: frozenset[str], label: Text) -> TrainingSession:
    """The session's row under lock, refused unless its state is one of ``states``."""
    current = locked(TrainingSession, session.pk)
    if current.state not in states:
        raise state_refusal(SESSION, current, label)
    return current


# -- invitations ----------------------------------------------------------------------------


def _departments_below(roots: set[int]) -> set[int]:
    """``roots`` and every department under them (one query, walked in memory)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Department.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = set(roots), list(roots)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _invite_filter(department_ids: Sequence[int], roles: Sequence[str], include_below: bool) -> Q:
    unknown_roles = [str(r)[:40] for r in roles if r not in INVITE_ROLES]
    wanted = {int(d) for d in department_ids}
    known = set(
        Department.objects.filter(pk__in={d for d in wanted if 1 <= d <= MAX_ID}).values_list("pk", flat=True)
    )
    if unknown_roles or wanted - known:
        raise JixiaoError(
            zh=f"没有这些部门或角色：{'、'.join([*map(str, sorted(wanted - known)), *unknown_roles][:5])}。",
            en=f"No such departments or roles: {', '.join([*map(str, sorted(wanted - known)), *unknown_roles][:5])}.",
            code="invite",
        )
    if not wanted and not roles:
        raise JixiaoError(
            zh="请选择要邀请的部门或角色。", en="Choose the departments or roles to invite.", code="invite"
        )
    found = (
        Q(department_id__in=_departments_below(known) if include_below else known) if known else Q(pk__in=[])
    )
    granted = [r for r in roles if r != HEAD]
    if granted:
        found |= Q(user__role_grants__role__in=granted)
    if HEAD in roles:
        found |= Q(headed_departments__isnull=False)
    return found


def training_invite(
    *,
    user: ActingUser,
    session: TrainingSession,
    department_ids: Sequence[int] = (),
    roles: Sequence[str] = (),
    include_below: bool = True,
) -> int:
    """Invite every current employee of the departments (and those below them, by default) and
    everyone holding one of ``roles`` (``head``: department heads) to a planned or held session.
    The people are found in one query and written in one insert with one audit event; someone
    already invited is not invited twice. Return how many were newly invited (they are told)."""
    require(user, "training.manage")
    found = _invite_filter(list(department_ids), list(roles), include_below)
    with transaction.atomic():
        current = _open_session(session, OPEN, Text("邀请", "invite"))
        people = set(
            Employee.objects.exclude(status=Employee.Status.LEFT).filter(found).values_list("pk", flat=True)
        )
        new = sorted(people - set(current.invitations.values_list("employee_id", flat=True)))
        TrainingInvitation.objects.bulk_create(
            TrainingInvitation(session=current, employee_id=pk, invited_by=stored_user(user)) for pk in new
        )
        after = {"employees": new, "departments": sorted(set(department_ids)), "roles": sorted(set(roles))}
        audit_record(actor=user, action="training.invite", obj=current, after=after)
        text = Text(
            f"您受邀参加培训“{current.topic}”（{current.held_on}）。",
            f"You are invited to the training “{current.topic}” ({current.held_on}).",
        )
        if new:
            _tell_invitees(current, "training.invited", text, user, new)
    return len(new)


# -- materials ------------------------------------------------------------------------------


def _files_checked(session: TrainingSession, files: Sequence[Any]) -> None:
    if not files:
        raise JixiaoError(zh="请选择要上传的文件。", en="Choose the files to upload.", code="material")
    count = session.materials.count()
    if len(files) > MAX_FILES or count + len(files) > MAX_MATERIALS:
        raise JixiaoError(
            zh=f"每次最多上传 {MAX_FILES} 个文件，每次培训最多 {MAX_MATERIALS} 个（已有 {count} 个）。",
            en=f"At most {MAX_FILES} files at a time and {MAX_MATERIALS} per session (it has {count}).",
            code="material",
        )
    problems: list[Problem] = []
    for upload in files:
        try:
            evidence_check(upload)
        except JixiaoError as error:
            problems.append(Problem(zh=error.zh, en=error.en))
    if problems:
        raise JixiaoError(
            zh="有文件不能上传，未上传任何资料：", en="Some files were refused; nothing was uploaded:",
            code="material", problems=problems,
        )  # fmt: skip


def training_material_add(
    *, user: ActingUser, session: TrainingSession, files: Sequence[Any]
) -> list[TrainingMaterial]:
    """HR uploads materials (type, size and content checked) to a planned or held session."""
    require(user, "training.manage")
    _files_checked(session, files)
    stored: list[StoredFile] = []
    try:
        with transaction.atomic():
            current = _open_session(session, OPEN, Text("上传资料", "upload materials"))
            stored = [evidence_store(upload) for upload in files]
            rows = TrainingMaterial.objects.bulk_create(
                TrainingMaterial(session=current, name=f.name, path=f.path, size=f.size, sha256=f.sha256,
                                 content_type=f.content_type, uploaded_by=stored_user(user)) for f in stored
            )  # fmt: skip
            after = {"files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in stored]}
            audit_record(actor=user, action="training.material_add", obj=current, after=after)
    except BaseException:
        root = evidence_root()
        for f in stored:
            Path(root / f.path).unlink(missing_ok=True)
        raise
    return rows


# -- attendance -----------------------------------------------------------------------------


def attendance_write(
    *,
    user: ActingUser,
    session: TrainingSession,
    marks: dict[int, tuple[bool, str]],
    source: str,
    action: str,
) -> dict[str, int]:
    """Upsert ``marks`` ({employee: (present, note)}) on the locked, held session; people not
    invited are invited as walk-ins. One audit event names what changed. Callers checked access
    and every value."""
    with transaction.atomic():
        current = _open_session(session, ATTENDANCE_OPEN, Text("记录出勤", "record attendance"))
        invited = set(current.invitations.values_list("employee_id", flat=True))
        walk_ins = sorted(set(marks) - invited)
        TrainingInvitation.objects.bulk_create(
            TrainingInvitation(session=current, employee_id=pk, invited_by=stored_user(user), walk_in=True)
            for pk in walk_ins
        )
        existing = {a.employee_id: a for a in current.attendances.filter(employee_id__in=list(marks))}
        changed, created = _upsert(current, existing, marks, source, user)
        after = {
            "marks": {str(k): marks[k][0] for k in sorted(changed)},
            "walk_ins": walk_ins,
            "source": source,
        }
        audit_record(actor=user, action=action, obj=current, after=after)
    return {"changed": len(changed), "created": created, "walk_ins": len(walk_ins)}


def _upsert(
    session: TrainingSession, existing: dict[int, TrainingAttendance], marks: dict[int, tuple[bool, str]],
    source: str, user: ActingUser,
) -> tuple[list[int], int]:  # fmt: skip
    new: list[TrainingAttendance] = []
    updated: list[TrainingAttendance] = []
    for pk, (present, note) in marks.items():
        row = existing.get(pk)
        if row is None:
            new.append(TrainingAttendance(session=session, employee_id=pk, present=present, note=note,
                                          source=source, recorded_by=stored_user(user)))  # fmt: skip
        elif (row.present, row.note) != (present, note):
            row.present, row.note, row.source, row.recorded_by = present, note, source, stored_user(user)
            row.version, row.updated_at = row.version + 1, timezone.now()
            updated.append(row)
    TrainingAttendance.objects.bulk_create(new)
    TrainingAttendance.objects.bulk_update(
        updated, ["present", "note", "source", "recorded_by", "version", "updated_at"]
    )
    return [r.employee_id for r in (*new, *updated)], len(new)


def training_attendance_record(
    *, user: ActingUser, session: TrainingSession, present: Iterable[int], absent: Iterable[int]
) -> dict[str, int]:
    """HR marks invitees present or absent on the session page (held sessions only); only the
    session's invitees can be marked here (others come by import, as walk-ins)."""
    require(user, "training.manage")
    here, away = {int(p) for p in present}, {int(a) for a in absent}
    if here & away:
        raise JixiaoError(
            zh="同一人不能既出勤又缺勤。", en="Nobody can be both present and absent.", code="attendance"
        )
    invited = set(session.invitations.values_list("employee_id", flat=True))
    if (here | away) - invited:
        raise JixiaoError(
            zh="只能为受邀人记录出勤；未受邀到场的人请用导入。",
            en="Only invitees can be marked here; import a sheet for people who came uninvited.",
            code="attendance",
        )
    if not here | away:
        raise JixiaoError(zh="没有要记录的出勤。", en="No attendance to record.", code="attendance")
    notes = dict(session.attendances.values_list("employee_id", "note"))  # the page keeps notes as they are
    marks = {pk: (pk in here, notes.get(pk, "")) for pk in here | away}
    return attendance_write(
        user=user,
        session=session,
        marks=marks,
        source=TrainingAttendance.Source.ENTERED,
        action="training.attendance",
    )


# -- acknowledgement ------------------------------------------------------------------------


def training_acknowledge(*, user: ActingUser, session: TrainingSession) -> TrainingInvitation:
    """The invitee confirms, once, that they read the session's material."""
    me = actor_for(user).employee_id
    invitation = TrainingInvitation.objects.filter(session=session, employee_id=me).first() if me else None
    if invitation is None:
        raise NotFound()
    require(user, "training_invitation.acknowledge", invitation)
    if not session.ask_acknowledgement or session.is_cancelled or not session.materials.exists():
        raise JixiaoError(
            zh="这次培训不需要确认阅读资料。",
            en="This session asks for no acknowledgement.",
            code="acknowledge",
            status=409,
        )

    def mark(i: TrainingInvitation) -> None:
        if i.acknowledged_at is not None:
            raise JixiaoError(
                zh=f"您已于 {timezone.localtime(i.acknowledged_at):%Y-%m-%d %H:%M} 确认阅读，无需再次确认。",
                en=f"You acknowledged it on {timezone.localtime(i.acknowledged_at):%Y-%m-%d %H:%M}; once is enough.",
                code="acknowledged", status=409,
            )  # fmt: skip
        i.acknowledged_at = timezone.now()

    return audited_write(user=user, obj=invitation, action="training.acknowledge", change=mark)
