"""The two write primitives: apply a transition; lock, version-check, change and audit a record.

Both run in one transaction: the row lock, the checks, the change and its one audit event
commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models, transaction

from jixiao.access.actor import ActingUser
from jixiao.audit.services import audit_record, changed, snapshot
from jixiao.common.errors import JixiaoError, NotFound, PermissionRefused, version_check
from jixiao.engine.text import Text

from .table import Transition, Workflow, allowed

M = TypeVar("M", bound=models.Model)


def locked(model: type[M], pk: Any) -> M:
    """Return the row ``pk`` of ``model`` under a row lock (callers are inside ``atomic``)."""
    obj = model._default_manager.select_for_update().filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def state_refusal(workflow: Workflow, obj: Any, label: Text) -> JixiaoError:
    """The 409 for a transition the record's current state does not allow."""
    state = workflow.state_label(workflow.state_of(obj))
    return JixiaoError(
        zh=f"“{obj}”当前为“{state.zh}”，不能{label.zh}。",
        en=f"“{obj}” is {state.en or state.zh}; “{label.en or label.zh}” is not possible now.",
        code="state",
        status=409,
    )


def transition_apply(
    *,
    user: ActingUser,
    workflow: Workflow,
    obj: M,
    action: str,
    reason: str = "",
    expected_version: int | None = None,
    change: Callable[[M], None] | None = None,
    fields: Iterable[str] | None = None,
    extra: dict[str, Any] | None = None,
) -> M:
    """Move ``obj`` along the row ``action`` of ``workflow`` and return the changed record.

    In one transaction: lock the row, check its state is a source of the row, check the access
    rule and the version the user saw, run the row's guards, set the target state, apply
    ``change`` (the transition's own side effects on the record), save, and append one audit
    event ``<workflow>.<action>`` with the before/after of ``fields`` (default: the state
    column and every field ``change`` touched) and the reason. Refusals raise
    :class:`JixiaoError` and write nothing.
    """
    transition = _transition_requested(workflow, action, reason)
    # Checked on the record as the caller has it (a stale page is refused without a lock) and
    # again under the lock, which is the check that counts.
    if workflow.state_of(obj) not in transition.sources:
        raise state_refusal(workflow, obj, transition.label)
    with transaction.atomic():
        current = locked(type(obj), obj.pk)
        if workflow.state_of(current) not in transition.sources:
            raise state_refusal(workflow, current, transition.label)
        _transition_allowed(user, transition, current, expected_version)
        before = snapshot(current, fields)
        setattr(current, workflow.field, transition.target)
        if change is not None:
            change(current)
        _bump_version(current)
        current.save()
        after = snapshot(current, fields)
        if fields is None:
            before, after = changed(before, after)
        audit_record(
            actor=user,
            action=f"{workflow.name}.{action}",
            obj=current,
            before=before,
            after={**after, **(extra or {})},
            reason=reason.strip(),
        )
    return current


def _transition_requested(workflow: Workflow, action: str, reason: str) -> Transition:
    """The row ``action`` of the table, refusing an unknown step or a missing reason."""
    transition = workflow.find(action)
    if transition is None:
        raise JixiaoError(zh=f"没有“{action}”这一步。", en=f"There is no step “{action}”.", code="action")
    if transition.needs_reason and not (reason or "").strip():
        raise JixiaoError(
            zh=f"{transition.label.zh}需要说明原因。",
            en=f"“{transition.label.en}” needs a reason.",
            code="reason_required",
        )
    return transition


def _transition_allowed(
    user: ActingUser, transition: Transition, current: Any, expected_version: int | None
) -> None:
    """Refuse unless ``user`` passes the row's rule, saw the current version, and every guard agrees."""
    if not allowed(user, transition.rule, current):
        raise PermissionRefused()
    if expected_version is not None:
        version_check(getattr(current, "version", 0), expected_version)
    for guard in transition.guards:
        guard(current, user)


def audited_write(
    *,
    user: ActingUser,
    obj: M,
    action: str,
    change: Callable[[M], None],
    expected_version: int | None = None,
    states: Iterable[str] | None = None,
    workflow: Workflow | None = None,
    reason: str = "",
    fields: Iterable[str] | None = None,
    skip_unchanged: bool = False,
) -> M:
    """Lock ``obj``'s row, check the version the user saw (409 keeps their input), optionally
    check its state is one of ``states`` (named by ``workflow``), apply ``change``, save, and
    append one audit event ``action`` with what changed. Return the saved record.

    Callers check permission first (``require``): who may edit differs per record kind. With
    ``skip_unchanged`` an edit that changes nothing writes nothing (a form saved as it was); without
    it every accepted save is a new version (a grid cell saved twice is two saves).
    """
    with transaction.atomic():
        current = locked(type(obj), obj.pk)
        if states is not None and workflow is not None and workflow.state_of(current) not in set(states):
            raise state_refusal(workflow, current, Text("修改", "edit"))
        version_check(getattr(current, "version", 0), expected_version)
        before = snapshot(current, fields)
        change(current)
        if skip_unchanged and snapshot(current, fields) == before:
            return current  # nothing changed: no new version, no audit event
        _bump_version(current)
        current.save()
        before, after = changed(before, snapshot(current, fields))
        audit_record(actor=user, action=action, obj=current, before=before, after=after, reason=reason)
    return current


def audited_create(
    *, user: ActingUser, obj: M, action: str, reason: str = "", fields: Iterable[str] | None = None
) -> M:
    """Save the new record ``obj`` and append one audit event ``action`` with its fields."""
    with transaction.atomic():
        obj.save()
        audit_record(actor=user, action=action, obj=obj, after=snapshot(obj, fields), reason=reason)
    return obj


def _bump_version(obj: Any) -> None:
    if hasattr(obj, "version"):
        obj.version = (obj.version or 0) + 1
