"""Writes of the policy handbook (制度 / 手册).

A page is created with its first version (a draft); a new version starts from the published text;
a draft is edited with ``audited_write``; every state change is a row of
``workflow.POLICY_VERSION`` applied by ``transition_apply`` (publishing also supersedes the
version it replaces and points the page at the new one, in one transaction). An employee
acknowledges a published version once. A refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser, actor_for, stored_user
from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError
from jixiao.common.validators import parse_text, refuse
from jixiao.engine.text import Text
from jixiao.notifications.services import notify, users_with_roles
from jixiao.org.models import Employee
from jixiao.workflow.services import audited_create, audited_write, locked, transition_apply

from .markdown import MAX_BYTES, MAX_LINES
from .models import IN_PROGRESS, STILL_EMPLOYED, PolicyAcknowledgement, PolicyPage, PolicyVersion, State
from .workflow import POLICY_VERSION

TITLE_LENGTH = 200
NOTE_LENGTH = 2_000
REASON_LENGTH = 2_000
VERSION_FIELDS = ("page", "number", "title", "body", "change_note", "state", "based_on")
EDIT_FIELDS = ("title", "body", "change_note")
APPROVERS = ("hr_supervisor", "committee_leader")
HR = ("hr_officer", "hr_supervisor")


def _line(value: object, zh: str, en: str, *, max_length: int, required: bool = True) -> str:
    field = Text(zh, en)
    text = parse_text(value, field=field, max_length=max_length, required=required)
    if "\x00" in text:
        raise refuse(field, "含有不可见的控制字符。", "contains an invisible control character.")
    return text


def body_checked(value: object) -> str:
    """The policy text: Markdown, line ends as ``\\n``, at most 200 KB (UTF-8) and 5,000 lines."""
    field = Text("正文", "Text")
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if "\x00" in text:
        raise refuse(field, "含有不可见的控制字符。", "contains an invisible control character.")
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise refuse(
            field,
            f"最多 {MAX_BYTES // 1024} KB（现在 {size // 1024} KB）；请拆成几个制度页面。",
            f"at most {MAX_BYTES // 1024} KB (now {size // 1024} KB); split it into several policy pages.",
            code="too_long",
        )
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise refuse(
            field,
            f"最多 {MAX_LINES} 行（现在 {lines} 行）；请拆成几个制度页面。",
            f"at most {MAX_LINES:,} lines (now {lines:,}); split it into several policy pages.",
            code="too_many_lines",
        )
    return text


def _fields(data: Mapping[str, Any]) -> dict[str, str]:
    return {
        "title": _line(data.get("title"), "制度名称", "Title", max_length=TITLE_LENGTH),
        "body": body_checked(data.get("body")),
        "change_note": _line(
            data.get("change_note"), "修订说明", "What changed", max_length=NOTE_LENGTH, required=False
        ),
    }


def _title(version: PolicyVersion) -> Text:
    return Text(
        f"制度《{version.title}》第 {version.number} 版", f"Policy “{version.title}” version {version.number}"
    )


def _tell(version: PolicyVersion, who: Any, kind: str, zh: str, en: str, user: ActingUser) -> None:
    title = _title(version)
    notify(
        recipients=who, kind=kind, text=Text(f"{title.zh}{zh}", f"{title.en}{en}"), link=version.link,
        exclude=[user],
    )  # fmt: skip


# -- pages and versions ------------------------------------------------------------------------


def policy_create(*, user: ActingUser, data: Mapping[str, Any]) -> PolicyVersion:
    """HR starts a new policy page with its first version (a draft)."""
    require(user, "policy.write")
    fields = _fields(data)
    with transaction.atomic():
        page = audited_create(
            user=user, obj=PolicyPage(title=fields["title"], created_by=stored_user(user)), action="policy.create",
            fields=("title",),
        )  # fmt: skip
        version = PolicyVersion(page=page, number=1, author=stored_user(user), **fields)
        return audited_create(user=user, obj=version, action="policy_version.create", fields=VERSION_FIELDS)


def version_start(*, user: ActingUser, page: PolicyPage) -> PolicyVersion:
    """HR starts the next version of a page from its published text (or, before any is
    published, from its latest version). A page has one version under way at a time."""
    require(user, "policy.write")
    with transaction.atomic():
        current_page = locked(PolicyPage, page.pk)
        under_way = current_page.versions.filter(state__in=IN_PROGRESS).first()
        if under_way is not None:
            raise JixiaoError(
                zh=f"第 {under_way.number} 版正在修订中，请在那一版上继续。",
                en=f"Version {under_way.number} is already under way; continue with it.",
                code="in_progress",
                status=409,
            )
        source = current_page.current or current_page.versions.order_by("-number").first()
        latest = current_page.versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = PolicyVersion(
            page=current_page,
            number=latest + 1,
            title=source.title if source else current_page.title,
            body=source.body if source else "",
            based_on=current_page.current,
            author=stored_user(user),
        )
        return audited_create(user=user, obj=version, action="policy_version.create", fields=VERSION_FIELDS)


def version_update(
    *, user: ActingUser, version: PolicyVersion, data: Mapping[str, Any], expected_version: int | None
) -> PolicyVersion:
    """HR changes a draft's title, text or note of what changed."""
    require(user, "policy.write")
    fields = _fields(data)

    def change(v: PolicyVersion) -> None:
        for name, value in fields.items():
            setattr(v, name, value)

    with transaction.atomic():
        saved = audited_write(
            user=user, obj=version, action="policy_version.update", change=change,
            expected_version=expected_version, states=[State.DRAFT], workflow=POLICY_VERSION, fields=EDIT_FIELDS,
            skip_unchanged=True,
        )  # fmt: skip
        _unpublished_title(user, saved)
    return saved


def _unpublished_title(user: ActingUser, version: PolicyVersion) -> None:
    """Until a page is first published, the list names it by its draft's title."""
    page = version.page
    if page.current_id is None and page.title != version.title:

        def rename(p: PolicyPage) -> None:
            p.title = version.title

        audited_write(user=user, obj=page, action="policy.update", change=rename, fields=("title",))


# -- the steps ---------------------------------------------------------------------------------


def _submit(user: ActingUser, version: PolicyVersion, reason: str, expected: int | None) -> PolicyVersion:
    def change(v: PolicyVersion) -> None:
        v.submitted_at = timezone.now()

    done = transition_apply(
        user=user, workflow=POLICY_VERSION, obj=version, action="submit", expected_version=expected,
        change=change, fields=("state",),
    )  # fmt: skip
    approvers = [u for u in users_with_roles(*APPROVERS) if u != done.author_id]
    _tell(done, approvers, "policy.submitted", "待审批。", " awaits approval.", user)
    return done


def _withdraw(user: ActingUser, version: PolicyVersion, reason: str, expected: int | None) -> PolicyVersion:
    return transition_apply(
        user=user, workflow=POLICY_VERSION, obj=version, action="withdraw", reason=reason,
        expected_version=expected, fields=("state",),
    )  # fmt: skip


def _return(user: ActingUser, version: PolicyVersion, reason: str, expected: int | None) -> PolicyVersion:
    done = transition_apply(
        user=user, workflow=POLICY_VERSION, obj=version, action="return", reason=reason,
        expected_version=expected, fields=("state",),
    )  # fmt: skip
    _tell(done, [done.author_id], "policy.returned", "被退回修改。", " was returned for changes.", user)
    return done


def _approve(user: ActingUser, version: PolicyVersion, reason: str, expected: int | None) -> PolicyVersion:
    def change(v: PolicyVersion) -> None:
        v.approved_by, v.approved_at = stored_user(user), timezone.now()

    done = transition_apply(
        user=user, workflow=POLICY_VERSION, obj=version, action="approve", reason=reason,
        expected_version=expected, change=change, fields=("state",),
    )  # fmt: skip
    _tell(
        done,
        users_with_roles(*HR),
        "policy.approved",
        "已批准，可以发布。",
        " is approved and may be published.",
        user,
    )
    return done


def _everyone() -> list[int]:
    """The logins of everyone who has not left (the readers of a published version)."""
    ids = Employee.objects.filter(status__in=STILL_EMPLOYED, user__isnull=False).values_list(
        "user_id", flat=True
    )
    return [i for i in ids if i is not None]


def _publish(user: ActingUser, version: PolicyVersion, reason: str, expected: int | None) -> PolicyVersion:
    with transaction.atomic():
        page = locked(PolicyPage, version.page_id)
        previous = page.current

        def change(v: PolicyVersion) -> None:
            v.published_by, v.published_at = stored_user(user), timezone.now()

        done = transition_apply(
            user=user, workflow=POLICY_VERSION, obj=version, action="publish", reason=reason,
            expected_version=expected, change=change, fields=("state",),
        )  # fmt: skip
        if previous is not None:
            transition_apply(
                user=user, workflow=POLICY_VERSION, obj=previous, action="supersede", fields=("state",),
                extra={"by": done.pk},
            )  # fmt: skip

        def point(p: PolicyPage) -> None:
            p.current, p.title = done, done.title

        audited_write(user=user, obj=page, action="policy.update", change=point, fields=("current", "title"))
        _tell(
            done,
            _everyone(),
            "policy.published",
            "已发布，请阅读并确认。",
            " is published: please read and acknowledge it.",
            user,
        )
    return done


def _discard(user: ActingUser, version: PolicyVersion, reason: str, expected: int | None) -> PolicyVersion:
    return transition_apply(
        user=user, workflow=POLICY_VERSION, obj=version, action="discard", reason=reason,
        expected_version=expected, fields=("state",),
    )  # fmt: skip


STEPS = {
    "submit": _submit,
    "withdraw": _withdraw,
    "return": _return,
    "approve": _approve,
    "publish": _publish,
    "discard": _discard,
}


def version_step(
    *,
    user: ActingUser,
    version: PolicyVersion,
    action: str,
    reason: str = "",
    expected_version: int | None = None,
) -> PolicyVersion:
    """One step of a version by its action name: submit, withdraw, return, approve, publish, discard
    (``supersede`` is publishing's own)."""
    step = STEPS.get(action)
    if step is None:
        raise JixiaoError(zh="没有这一步。", en="There is no such step.", code="action")
    words = _line(reason, "原因", "Reason", max_length=REASON_LENGTH, required=False)
    with transaction.atomic():
        return step(user, version, words, expected_version)


# -- acknowledgements --------------------------------------------------------------------------


def policy_acknowledge(*, user: ActingUser, version: PolicyVersion) -> PolicyAcknowledgement:
    """The employee confirms they have read the current version (once per version)."""
    require(user, "policy_version.acknowledge", version)
    employee_id = actor_for(user).employee_id
    if employee_id is None:  # the rule asks for one; this says so to the type checker too
        raise JixiaoError(zh="只有员工本人可以确认。", en="Only an employee acknowledges.", status=403)
    with transaction.atomic():
        current = locked(PolicyVersion, version.pk)  # acknowledgements of one version queue here
        if current.state != State.PUBLISHED:
            raise JixiaoError(
                zh="这一版已不是现行版本，请阅读并确认现行版本。",
                en="This is no longer the current version; read and acknowledge the current one.",
                code="not_current",
                status=409,
            )
        earlier = PolicyAcknowledgement.objects.filter(version=current, employee_id=employee_id).first()
        if earlier is not None:
            raise JixiaoError(
                zh=f"您已于 {timezone.localtime(earlier.created_at):%Y-%m-%d %H:%M} 确认过这一版。",
                en=f"You acknowledged this version on {timezone.localtime(earlier.created_at):%Y-%m-%d %H:%M}.",
                code="acknowledged",
                status=409,
            )
        record = PolicyAcknowledgement(version=current, employee_id=employee_id, user=stored_user(user))
        return audited_create(
            user=user, obj=record, action="policy_version.acknowledge", fields=("version", "employee")
        )
