"""Writes shared by every kind of case: HR's step deadlines, and escalating late steps.

A deadline is set through ``audited_create`` / ``audited_write`` (one audit event
``stepdeadline.set``); an escalation notifies the deputy once per case step and records one
audit event ``notification.escalate`` per step escalated.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.audit.services import audit_record_many
from jixiao.common.errors import Conflict, JixiaoError, version_check
from jixiao.common.labels import label_text
from jixiao.engine.text import Text
from jixiao.notifications.services import already_sent, notify, users_with_roles
from jixiao.workflow.services import audited_create, audited_write

from .deadlines import DEFAULT_DAYS, MAX_DAYS
from .inbox import InboxItem
from .models import StepDeadline

ESCALATED = "case.escalated"


def step_deadline_set(
    *, user: ActingUser, kind: str, step: str, days: int, version: int | None
) -> StepDeadline:
    """HR sets how many days ``step`` of a ``kind`` case may take (1 to 365). ``version`` is the
    one the page showed (0: no figure of HR's yet); a stale page is refused (409)."""
    require(user, "case_deadline.manage")
    if (kind, step) not in DEFAULT_DAYS:
        raise JixiaoError(zh="没有这一办理环节。", en="There is no such step.", code="step")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise JixiaoError(
            zh=f"期限应为 1 到 {MAX_DAYS} 天的整数。",
            en=f"A deadline is a whole number of days from 1 to {MAX_DAYS}.",
            code="days",
        )
    try:
        with transaction.atomic():
            row = StepDeadline.objects.select_for_update().filter(kind=kind, step=step).first()
            if row is None:
                version_check(0, version)
                new = StepDeadline(kind=kind, step=step, days=days)
                return audited_create(
                    user=user, obj=new, action="stepdeadline.set", fields=["kind", "step", "days"]
                )
            return audited_write(
                user=user,
                obj=row,
                action="stepdeadline.set",
                expected_version=version,
                change=lambda r: setattr(r, "days", days),
                fields=["days"],
                skip_unchanged=True,
            )
    except IntegrityError:  # two first saves of the same step at once: the other one won
        raise Conflict() from None


def _key(item: InboxItem) -> str:
    """What makes an escalation once-only: the case step's page and its due date."""
    return f"{item.link}@{item.due.isoformat() if item.due else ''}"


def _escalation_text(item: InboxItem) -> Text:
    kind = label_text(item.kind, "case_kind")
    due = item.due.isoformat() if item.due else ""
    return Text(
        f"{kind.zh} {item.reference} 的“{item.step.zh}”环节已逾期（应于 {due} 前办理），请督办。",
        f"{kind.en or kind.zh} {item.reference}: the step “{item.step.en or item.step.zh}” is overdue "
        f"(due {due}); please follow it up.",
    )


def cases_escalate(*, user: ActingUser, items: list[InboxItem]) -> int:
    """Tell the committee deputy (the leader while there is no deputy) of each overdue case step
    in ``items`` not escalated before (same page, same due date); return how many steps were
    escalated now. Run daily by ``jixiao cases escalate``."""
    require(user, "case.escalate")
    late = [item for item in items if item.due is not None and item.overdue]
    sent = already_sent(kind=ESCALATED, keys=[_key(item) for item in late])
    fresh = list({_key(item): item for item in late if _key(item) not in sent}.items())
    deputies = users_with_roles("committee_deputy") or users_with_roles("committee_leader")
    if not fresh or not deputies:
        return 0
    with transaction.atomic():
        for key, item in fresh:
            notify(recipients=deputies, kind=ESCALATED, text=_escalation_text(item), link=item.link, key=key)
        audit_record_many(
            actor=None if getattr(user, "is_system", False) else user,
            events=[
                {
                    "action": "notification.escalate",
                    "object_type": "notifications.notification",
                    "after": {
                        "kind": item.kind,
                        "reference": item.reference,
                        "step": item.step.zh,
                        "due": item.due.isoformat() if item.due else "",
                        "link": item.link,
                        "to": deputies,
                    },
                }
                for _, item in fresh
            ],
        )
    return len(fresh)
