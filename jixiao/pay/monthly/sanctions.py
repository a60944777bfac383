"""Rewards and penalties (奖惩, §7) that flow into a month's pay: proposed by HR or the
committee, approved or rejected by the HR supervisor or the committee leader — never by their
proposer. §7's rule-generated sanctions will be created with ``origin="rule"``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.policy import require
from jixiao.audit.services import audit_record, snapshot
from jixiao.common.errors import JixiaoError
from jixiao.org.models import Employee

from .models import Sanction
from .services import _refuse_if_released, _who, month_check


@transaction.atomic
def sanction_propose(
    *, user: Any, employee: Employee, month: str, kind: str, amount_fen: int, reason: str
) -> Sanction:
    """Propose a reward or penalty paid in ``month``; it counts once approved."""
    require(user, "sanction.propose")
    month = month_check(month)
    if kind not in Sanction.Kind.values:
        raise JixiaoError(zh="类型应为奖励或处罚。", en="Kind must be reward or penalty.")
    if amount_fen <= 0:
        raise JixiaoError(zh="金额必须大于 0。", en="The amount must be more than 0.")
    if len(reason.strip()) < 2:
        raise JixiaoError(zh="请写明奖惩事由。", en="State the reason for the reward or penalty.")
    _refuse_if_released(month, "奖惩", "rewards and penalties")
    row = Sanction.objects.create(
        employee=employee,
        month=month,
        kind=kind,
        amount_fen=amount_fen,
        reason=reason.strip(),
        proposed_by=_who(user),
    )
    audit_record(actor=user, action="sanction.propose", obj=row, after=snapshot(row), reason=row.reason)
    return row


@transaction.atomic
def sanction_decide(*, user: Any, sanction: Sanction, action: str, note: str = "") -> Sanction:
    """``approve`` or ``reject`` a proposed sanction (HR supervisor or committee leader, never
    the proposer); an approved one flows into its month's pay."""
    if action not in ("approve", "reject"):
        raise JixiaoError(zh="未知操作。", en=f"Unknown action {action!r}.")
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    require(user, f"sanction.{action}", sanction)
    if sanction.status != Sanction.Status.PROPOSED:
        raise JixiaoError(zh="该奖惩已处理。", en="This sanction is already decided.", status=409)
    _refuse_if_released(sanction.month, "奖惩", "rewards and penalties")
    before = snapshot(sanction)
    sanction.status = Sanction.Status.APPROVED if action == "approve" else Sanction.Status.REJECTED
    sanction.decided_by, sanction.decided_at, sanction.decision_note = (
        _who(user),
        timezone.now(),
        note.strip(),
    )
    sanction.save()
    audit_record(
        actor=user,
        action=f"sanction.{action}",
        obj=sanction,
        before=before,
        after=snapshot(sanction),
        reason=note,
    )
    return sanction
