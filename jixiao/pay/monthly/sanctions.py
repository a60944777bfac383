"""Rewards and penalties (奖惩, §7) that flow into a month's pay: proposed by HR or the
committee, approved or rejected by the HR supervisor or the committee leader — never by their
proposer nor by the person concerned (the table in ``workflow.py``). A rule's proposal, once
approved on its own page (people.rules), is proposed here by the system with ``origin="rule"``
and ``source="proposal:<pk>"`` and approved at once by the same approver."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError
from jixiao.engine.money import format_yuan
from jixiao.engine.text import Text
from jixiao.org.models import Employee
from jixiao.pay.bounds import money_checked, needs_second_approval, second_approval_fen
from jixiao.workflow.services import audited_create, transition_apply

from .models import Sanction
from .months import month_check, refuse_if_released, who
from .workflow import SANCTION


@transaction.atomic
def sanction_propose(
    *,
    user: ActingUser,
    employee: Employee,
    month: str,
    kind: str,
    amount_fen: int,
    reason: str,
    origin: str = Sanction.Origin.MANUAL,
    source: str = "",
) -> Sanction:
    """Propose a reward or penalty paid in ``month``; it counts once approved. A rule's approved
    proposal passes ``origin="rule"`` and ``source="proposal:<pk>"`` (one sanction per source)."""
    require(user, "sanction.propose")
    if origin not in Sanction.Origin.values or len(source) > 64:
        raise JixiaoError(zh="奖惩来源无效。", en="Not a valid origin for a reward or penalty.")
    if source and Sanction.objects.filter(source=source).exists():
        raise JixiaoError(
            zh=f"{source} 已生成过奖惩，不能重复计入薪酬。",
            en=f"{source} already has its reward or penalty; it is not paid twice.",
            code="duplicate",
            status=409,
        )
    month = month_check(month)
    if kind not in Sanction.Kind.values:
        raise JixiaoError(zh="类型应为奖励或处罚。", en="Kind must be reward or penalty.")
    amount_fen = money_checked(amount_fen, Text("奖惩金额", "The amount"))
    if amount_fen <= 0:
        raise JixiaoError(zh="金额必须大于 0。", en="The amount must be more than 0.")
    if len(reason.strip()) < 2:
        raise JixiaoError(zh="请写明奖惩事由。", en="State the reason for the reward or penalty.")
    refuse_if_released(month, "奖惩", "rewards and penalties")
    row = Sanction(
        employee=employee,
        month=month,
        kind=kind,
        amount_fen=amount_fen,
        reason=reason.strip(),
        proposed_by=who(user),
        origin=origin,
        source=source,
    )
    return audited_create(user=user, obj=row, action="sanction.propose", reason=row.reason)


def sanction_decide(*, user: ActingUser, sanction: Sanction, action: str, note: str = "") -> Sanction:
    """``approve`` or ``reject`` a proposed sanction (HR supervisor or committee leader, never
    the proposer); an approved one flows into its month's pay. Above the second-approval
    threshold only the committee leader approves (the table's guard), with a reason (decision 33)."""
    if action == "approve" and needs_second_approval(sanction.amount_fen) and len(note.strip()) < 4:
        limit = format_yuan(second_approval_fen())
        raise JixiaoError(
            zh=f"金额超过 {limit} 元的奖惩须由考核小组组长批准，并在“意见”中写明理由。",
            en=f"A reward or penalty over {limit} yuan is approved by the committee leader with a "
            "stated reason: write it in the note.",
            code="second_approval",
        )

    def decided(row: Sanction) -> None:
        row.decided_by, row.decided_at, row.decision_note = who(user), timezone.now(), note.strip()

    return transition_apply(
        user=user, workflow=SANCTION, obj=sanction, action=action, reason=note, change=decided
    )
