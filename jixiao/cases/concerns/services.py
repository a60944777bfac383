"""Writes of complaints and allegations (§6 投诉、举报): filing (logged in, or anonymous with a
follow-up code), the handler's steps, notes and replies, the reporter's added information, and
links to integrity flags and results.

State changes are rows of ``workflow.CONCERN`` applied by ``transition_apply``; notes, files and
links are created by ``audited_create``. The audit log records what happened and a sha256 of the
words (``content_sha256``), never the words themselves: auditors and administrators read the
log, and an allegation may name one of them. An anonymous reporter acts as
``ANONYMOUS_REPORTER``: its audit events carry no user id and the name “匿名举报人”.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser, stored_user
from jixiao.access.models import RoleGrant
from jixiao.access.policy import can, require
from jixiao.common.errors import JixiaoError
from jixiao.common.files import MAX_FILES, evidence_check, evidence_store
from jixiao.common.labels import LABELS
from jixiao.common.validators import parse_text, refuse
from jixiao.cycles.entry.models import Score
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.cycles.results.models import Result
from jixiao.engine.text import Text
from jixiao.notifications.services import notify
from jixiao.org.models import Department, Employee
from jixiao.workflow.services import audited_create, locked, transition_apply

from .codes import code_hash, code_new, filing_guard
from .models import (
    DEPUTY,
    HANDLER_ROLES,
    LEADER,
    Concern,
    ConcernFile,
    ConcernLink,
    ConcernNote,
    ConcernScreen,
    Kind,
    LinkKind,
    NoteKind,
    Outcome,
)
from .workflow import CONCERN

ANONYMOUS_NAME = "匿名举报人"
TITLE_LENGTH = 200
TEXT_LENGTH = 10_000
LINK_TEXT_LENGTH = 500
# What the audit log records of a case, a note, a file and a link (no words, no reporter).
CASE_FIELDS = ("kind", "state", "anonymous", "handler_role", "cycle", "content_sha256")
NOTE_FIELDS = ("concern", "kind", "content_sha256")
FILE_FIELDS = ("concern", "note", "size", "sha256", "content_type")
LINK_FIELDS = ("concern", "kind", "cycle", "result", "flag_kind")
CHAIN_LIMIT = 100  # a manager chain longer than this is a loop in the data


class AnonymousReporter(AnonymousUser):
    """The acting user of an anonymous reporter: not logged in, no id; audit events name it
    “匿名举报人” instead of an account."""

    username = ANONYMOUS_NAME  # type: ignore[assignment]

    def __str__(self) -> str:
        return ANONYMOUS_NAME


ANONYMOUS_REPORTER = AnonymousReporter()


# -- checks ---------------------------------------------------------------------------------


def _text(value: object, zh: str, en: str, *, max_length: int = TEXT_LENGTH, required: bool = True) -> str:
    field = Text(zh, en)
    text = parse_text(value, field=field, max_length=max_length, required=required)
    if "\x00" in text:
        raise refuse(field, "含有不可见的控制字符。", "contains an invisible control character.")
    return text


def _digest(*parts: object) -> str:
    body = json.dumps([str(p) if p is not None else None for p in parts], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _case_digest(concern: Concern) -> str:
    return _digest(concern.title, concern.text, concern.closing_note, concern.subject_id)


def _files_checked(files: Sequence[Any]) -> list[Any]:
    """Refuse too many files or any of the wrong type, size or content, before anything is written."""
    uploads = [f for f in files if f]
    if len(uploads) > MAX_FILES:
        raise JixiaoError(
            zh=f"一次最多上传 {MAX_FILES} 个文件（现在 {len(uploads)} 个）。",
            en=f"At most {MAX_FILES} files at a time (now {len(uploads)}).",
            code="evidence",
        )
    for upload in uploads:
        evidence_check(upload)
    return uploads


def _files_store(user: ActingUser, concern: Concern, note: ConcernNote | None, uploads: list[Any]) -> None:
    for upload in uploads:
        stored = evidence_store(upload)
        row = ConcernFile(
            concern=concern,
            note=note,
            name=stored.name,
            path=stored.path,
            size=stored.size,
            sha256=stored.sha256,
            content_type=stored.content_type,
        )
        audited_create(user=user, obj=row, action="concern.attach", fields=FILE_FIELDS)


def _state_refusal(concern: Concern, zh: str, en: str) -> JixiaoError:
    state = CONCERN.state_label(concern.state)
    return JixiaoError(
        zh=f"{concern.reference} 当前为“{state.zh}”，不能{zh}。",
        en=f"{concern.reference} is {state.en}; you cannot {en} now.",
        code="state",
        status=409,
    )


# -- who is screened, who handles -----------------------------------------------------------


def _manager_chain(employee: Employee) -> set[int]:
    managers = dict(Employee.objects.exclude(manager_id=None).values_list("pk", "manager_id"))
    found: set[int] = set()
    current = employee.manager_id
    while current is not None and current not in found and len(found) < CHAIN_LIMIT:
        found.add(current)
        current = managers.get(current)
    return found


def _department_heads(department_id: int) -> set[int]:
    rows = {
        pk: (parent, head)
        for pk, parent, head in Department.objects.values_list("pk", "parent_id", "head_id")
    }
    heads: set[int] = set()
    seen: set[int] = set()
    current: int | None = department_id
    while current is not None and current not in seen:
        seen.add(current)
        parent, head = rows.get(current, (None, None))
        if head is not None:
            heads.add(head)
        current = parent
    return heads


def screen_for(subject: Employee | None, result: Result | None, reporter_id: int | None) -> set[int]:
    """The employees who may never see a case naming ``subject`` (and ``result``): the person,
    their manager chain, the heads of their department and its parents, and the raters and
    manager of the result. The reporter is never screened from their own case."""
    ids: set[int] = set()
    if subject is not None:
        ids |= {subject.pk} | _manager_chain(subject) | _department_heads(subject.department_id)
    if result is not None:
        member = result.member
        ids |= set(Score.objects.filter(member=member).values_list("rater_id", flat=True))
        if member.manager_id is not None:
            ids.add(member.manager_id)
    if reporter_id is not None:
        ids.discard(reporter_id)
    return ids


def handler_role_for(subject: Employee | None, screen: set[int]) -> str:
    """The deputy handles a case, unless it names a deputy or every deputy is screened from it:
    then the leader does."""
    deputies = set(RoleGrant.objects.filter(role=DEPUTY).values_list("user_id", flat=True))
    if subject is not None and subject.user_id is not None and subject.user_id in deputies:
        return LEADER
    linked = Employee.objects.filter(pk__in=screen, user__isnull=False)
    screened = set(linked.values_list("user_id", flat=True))
    return DEPUTY if deputies - screened else LEADER


def handlers_of(concern: Concern) -> list[Any]:
    """The users who may handle ``concern`` now (holders of its handler role not screened)."""
    user_ids = RoleGrant.objects.filter(role=concern.handler_role).values_list("user_id", flat=True)
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
    return [u for u in users if can(u, "concern.handle", concern)]


def _notify_handlers(concern: Concern, kind: str, text: Text, exclude: Sequence[Any] = ()) -> None:
    notify(
        recipients=handlers_of(concern),
        kind=kind,
        text=text,
        link=f"/cases/concerns/{concern.pk}/",
        exclude=exclude,
    )


def _notify_reporter(concern: Concern, kind: str, text: Text) -> None:
    """Tell a logged-in reporter (an anonymous one reads replies through the code)."""
    if concern.reporter_id is not None and not concern.anonymous:
        notify(recipients=[concern.reporter_id], kind=kind, text=text, link=f"/cases/concerns/{concern.pk}/")


def _noun(concern: Concern) -> Text:
    return LABELS["case_kind"][concern.kind]


# -- filing ---------------------------------------------------------------------------------


def _own_result(reporter: Employee | None, result: Result | None, cycle: Cycle | None) -> Cycle | None:
    """The result named must be the reporter's own, and of the cycle named (if any)."""
    if result is None:
        return cycle
    if reporter is None or result.member.employee_id != reporter.pk:
        raise JixiaoError(
            zh="只能选择您本人的考核结果。", en="You can name only your own result.", code="result"
        )
    if cycle is not None and result.cycle_id != cycle.pk:
        raise JixiaoError(
            zh="所选考核结果不属于所选周期。", en="The result named is not of the cycle named.", code="result"
        )
    return result.cycle


def _filed(user: ActingUser, concern: Concern, screen: set[int], uploads: list[Any]) -> Concern:
    """Save a new case with its screen and files (one transaction) and tell its handlers."""
    concern.handler_role = handler_role_for(concern.subject, screen)
    concern.step_began = timezone.localdate()
    concern.content_sha256 = _case_digest(concern)
    with transaction.atomic():
        audited_create(user=user, obj=concern, action="concern.file", fields=CASE_FIELDS)
        ConcernScreen.objects.bulk_create(
            [ConcernScreen(concern=concern, employee_id=e) for e in sorted(screen)]
        )
        _files_store(user, concern, None, uploads)
        noun = _noun(concern)
        _notify_handlers(
            concern,
            "concern.filed",
            Text(
                f"收到新的{noun.zh} {concern.reference}，请受理。",
                f"New {noun.en.lower()} {concern.reference} to handle.",
            ),
            exclude=[user],
        )
    return concern


def concern_file(
    *,
    user: ActingUser,
    kind: str,
    title: str,
    text: str,
    subject: Employee | None = None,
    cycle: Cycle | None = None,
    result: Result | None = None,
    evidence: Sequence[Any] = (),
) -> Concern:
    """A logged-in employee files a complaint (about the process; the person concerned is
    optional) or an allegation (against a named person), with evidence files."""
    require(user, "concern.file")
    if kind not in Kind.values:
        raise JixiaoError(zh="请选择投诉或举报。", en="Choose a complaint or an allegation.", code="kind")
    if kind == Kind.ALLEGATION and subject is None:
        raise JixiaoError(
            zh="举报须写明被举报人。", en="An allegation names the person it is about.", code="subject"
        )
    reporter = Employee.objects.filter(user__pk=getattr(user, "pk", None) or 0).first()
    if subject is not None and reporter is not None and subject.pk == reporter.pk:
        raise JixiaoError(zh="不能投诉或举报自己。", en="You cannot name yourself.", code="subject")
    concern = Concern(
        kind=kind,
        reporter=stored_user(user),
        subject=subject,
        cycle=_own_result(reporter, result, cycle),
        result=result,
        title=_text(title, "标题", "Title", max_length=TITLE_LENGTH),
        text=_text(text, "事实与理由", "What happened"),
    )
    uploads = _files_checked(evidence)
    screen = screen_for(subject, result, reporter.pk if reporter else None)
    return _filed(user, concern, screen, uploads)


def subject_find(*, name: str, number: str = "") -> Employee:
    """The person an anonymous allegation names, by their name (and employee number when two
    share a name). Leavers are not found: allegations are about people at work."""
    name = _text(name, "被举报人姓名", "Name of the person", max_length=50)
    number = _text(number, "工号", "Employee number", max_length=32, required=False)
    people = Employee.objects.filter(name=name).exclude(status=Employee.Status.LEFT)
    if number:
        people = people.filter(number=number)
    found = list(people[:2])
    if not found:
        raise JixiaoError(
            zh=f"找不到名为“{name}”的在职员工{'（或工号与姓名不符）' if number else ''}，请核对。",
            en=f"No one at work is named “{name}”{' with that employee number' if number else ''}; check it.",
            code="subject",
        )
    if len(found) > 1:
        raise JixiaoError(
            zh=f"有多位员工名为“{name}”，请同时填写工号。",
            en=f"Several people are named “{name}”; add the employee number.",
            code="subject",
        )
    return found[0]


def concern_file_anonymous(
    *,
    address: str,
    title: str,
    text: str,
    subject_name: str,
    subject_number: str = "",
    cycle: Cycle | None = None,
    evidence: Sequence[Any] = (),
) -> tuple[Concern, str]:
    """File an allegation without logging in. Return the case and its follow-up code (shown to
    the reporter once; only its hash is kept). Nothing identifying is stored: no user, no
    address, no browser; the audit events name the “匿名举报人” and no account. ``address`` only
    counts filings against the hourly limit per network address (``codes.filing_guard``)."""
    filing_guard(address)
    concern = Concern(
        kind=Kind.ALLEGATION,
        anonymous=True,
        subject=subject_find(name=subject_name, number=subject_number),
        cycle=cycle,
        title=_text(title, "标题", "Title", max_length=TITLE_LENGTH),
        text=_text(text, "事实与理由", "What happened"),
    )
    uploads = _files_checked(evidence)
    code = code_new()
    concern.code_hash = code_hash(code)
    return _filed(ANONYMOUS_REPORTER, concern, screen_for(concern.subject, None, None), uploads), code


# -- the handler's steps --------------------------------------------------------------------


def concern_investigate(
    *, user: ActingUser, concern: Concern, expected_version: int | None = None
) -> Concern:
    """The handler accepts the case and starts investigating."""
    require(user, "concern.handle", concern)

    def change(c: Concern) -> None:
        c.step_began = timezone.localdate()

    return transition_apply(
        user=user,
        workflow=CONCERN,
        obj=concern,
        action="investigate",
        expected_version=expected_version,
        change=change,
        fields=("state", "step_began"),
    )


def _close(
    user: ActingUser, concern: Concern, action: str, outcome: str, note: str, expected_version: int | None
) -> Concern:
    def change(c: Concern) -> None:
        c.outcome, c.closing_note = outcome, note
        c.closed_at, c.closed_by = timezone.now(), stored_user(user)
        c.step_began = timezone.localdate()
        c.content_sha256 = _case_digest(c)

    with transaction.atomic():
        closed = transition_apply(
            user=user,
            workflow=CONCERN,
            obj=concern,
            action=action,
            expected_version=expected_version,
            change=change,
            fields=("state", "outcome", "content_sha256"),
        )
        noun = _noun(closed)
        _notify_reporter(
            closed,
            "concern.closed",
            Text(
                f"您提出的{noun.zh} {closed.reference} 已结案。",
                f"Your {noun.en.lower()} {closed.reference} is closed.",
            ),
        )
    return closed


def concern_conclude(
    *,
    user: ActingUser,
    concern: Concern,
    outcome: str,
    closing_note: str,
    expected_version: int | None = None,
) -> Concern:
    """Close an investigated case with its outcome and a closing note the reporter reads."""
    require(user, "concern.handle", concern)
    if outcome not in Outcome.values:
        raise JixiaoError(zh="请选择调查结论。", en="Choose the outcome.", code="outcome")
    note = _text(closing_note, "结案说明", "Closing note")
    return _close(user, concern, "conclude", outcome, note, expected_version)


def concern_decline(
    *, user: ActingUser, concern: Concern, closing_note: str, expected_version: int | None = None
) -> Concern:
    """Close a filed case as out of scope, saying why."""
    require(user, "concern.handle", concern)
    note = _text(closing_note, "不予受理的理由", "Why it is out of scope")
    return _close(user, concern, "decline", Outcome.OUT_OF_SCOPE, note, expected_version)


def concern_note(
    *, user: ActingUser, concern: Concern, text: str, to_reporter: bool = False, evidence: Sequence[Any] = ()
) -> ConcernNote:
    """The handler records a note of the investigation (internal) or replies to the reporter."""
    require(user, "concern.handle", concern)
    words = _text(text, "答复" if to_reporter else "记录", "Reply" if to_reporter else "Note")
    uploads = _files_checked(evidence)
    kind = NoteKind.REPLY if to_reporter else NoteKind.INTERNAL
    with transaction.atomic():
        current = locked(Concern, concern.pk)
        if not current.is_open:
            raise _state_refusal(
                current, "答复" if to_reporter else "记录", "reply" if to_reporter else "add a note"
            )
        note = ConcernNote(
            concern=current, kind=kind, text=words, author=stored_user(user), content_sha256=_digest(words)
        )
        audited_create(
            user=user, obj=note, action="concern.reply" if to_reporter else "concern.note", fields=NOTE_FIELDS
        )
        _files_store(user, current, note, uploads)
        if to_reporter:
            noun = _noun(current)
            _notify_reporter(
                current,
                "concern.replied",
                Text(
                    f"您提出的{noun.zh} {current.reference} 有新的答复。",
                    f"There is a reply on your {noun.en.lower()} {current.reference}.",
                ),
            )
    return note


def _add_info(actor: ActingUser, concern: Concern, text: str, evidence: Sequence[Any]) -> ConcernNote:
    words = _text(text, "补充内容", "Information")
    uploads = _files_checked(evidence)
    with transaction.atomic():
        current = locked(Concern, concern.pk)
        if not current.is_open:
            raise _state_refusal(current, "补充", "add information")
        note = ConcernNote(
            concern=current,
            kind=NoteKind.INFO,
            text=words,
            author=stored_user(actor),
            content_sha256=_digest(words),
        )
        audited_create(user=actor, obj=note, action="concern.add_info", fields=NOTE_FIELDS)
        _files_store(actor, current, note, uploads)
        noun = _noun(current)
        _notify_handlers(
            current,
            "concern.info_added",
            Text(
                f"{noun.zh} {current.reference} 的提出人补充了信息。",
                f"The reporter of {noun.en.lower()} {current.reference} added information.",
            ),
        )
    return note


def concern_add_info(
    *, user: ActingUser, concern: Concern, text: str, evidence: Sequence[Any] = ()
) -> ConcernNote:
    """The logged-in reporter adds information (text, files) while the case is open."""
    require(user, "concern.add_info", concern)
    return _add_info(user, concern, text, evidence)


def concern_add_info_anonymous(*, concern: Concern, text: str, evidence: Sequence[Any] = ()) -> ConcernNote:
    """The anonymous reporter adds information; ``concern`` was found by its follow-up code."""
    if not concern.anonymous:
        raise JixiaoError(zh="找不到该记录。", en="Not found.", code="not_found", status=404)
    return _add_info(ANONYMOUS_REPORTER, concern, text, evidence)


# -- links ----------------------------------------------------------------------------------


def _linked_result(kind: str, cycle: Cycle, number: str) -> Result | None:
    if kind != LinkKind.RESULT:
        return None
    number = _text(number, "工号", "Employee number", max_length=32)
    result = Result.objects.filter(cycle=cycle, member__employee__number=number).first()
    if result is None:
        raise JixiaoError(
            zh=f"周期 {cycle.label} 中没有工号为 {number} 的考核结果。",
            en=f"Cycle {cycle.label} has no result for employee number {number}.",
            code="result",
        )
    return result


def concern_link(
    *,
    user: ActingUser,
    concern: Concern,
    kind: str,
    cycle: Cycle,
    flag_kind: str = "",
    number: str = "",
    text: str = "",
) -> ConcernLink:
    """The handler links the case to an integrity flag of ``cycle`` (kind + the flag's text) or
    to the result in ``cycle`` of the employee with ``number``."""
    require(user, "concern.handle", concern)
    if kind not in LinkKind.values:
        raise JixiaoError(zh="请选择关联的类型。", en="Choose what to link.", code="kind")
    if kind == LinkKind.FLAG and flag_kind not in LABELS["integrity_flag"]:
        raise JixiaoError(zh="请选择公正检查提示的类型。", en="Choose the kind of flag.", code="flag_kind")
    words = _text(text, "说明", "Note", max_length=LINK_TEXT_LENGTH, required=kind == LinkKind.FLAG)
    result = _linked_result(kind, cycle, number)
    link = ConcernLink(
        concern=concern,
        kind=kind,
        cycle=cycle,
        result=result,
        flag_kind=flag_kind if kind == LinkKind.FLAG else "",
        text=words,
        added_by=stored_user(user),
    )
    return audited_create(user=user, obj=link, action="concern.link", fields=LINK_FIELDS)


__all__ = [
    "ANONYMOUS_NAME",
    "ANONYMOUS_REPORTER",
    "HANDLER_ROLES",
    "concern_add_info",
    "concern_add_info_anonymous",
    "concern_conclude",
    "concern_decline",
    "concern_file",
    "concern_file_anonymous",
    "concern_investigate",
    "concern_link",
    "concern_note",
    "handler_role_for",
    "screen_for",
    "subject_find",
]
