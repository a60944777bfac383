"""What people enter while a cycle is open: actuals (实际值), scores (评分), the self-assessment
(自评) and conflict declarations (利益冲突). Every write is refused unless the cycle is open
(checked under the cycle's row lock in the same transaction) and carries an optimistic
version: a stale save answers 409 and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import actor_for
from jixiao.access.policy import require
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, PermissionRefused, version_check
from jixiao.engine.indicators import ScoringError, rubric_cell
from jixiao.engine.types import Kind

from .models import Actual, ConflictDeclaration, CycleMember, Score
from .services import cycle_locked
from .snapshot import decimal_or_none, measure_keys, rules
from .workflow import WRITABLE


def actual_set(
    *, user: Any, member: CycleMember, measure_key: str, value: str, expected_version: int | None = None
) -> Actual | None:
    """Set (or clear, with an empty value) one actual by hand; return it (None when cleared)."""
    require(user, "member.enter_actuals", member)
    plan, _ = rules(member.snapshot)
    if measure_key not in measure_keys(plan):
        raise JixiaoError(
            zh=f"考核细则中没有数据项“{measure_key}”。", en=f"The plan has no measure {measure_key!r}."
        )
    text = value.strip()
    if text and decimal_or_none(text) is None:
        raise JixiaoError(zh=f"“{text}”不是数字。", en=f"{text!r} is not a number.")
    with transaction.atomic():
        cycle_locked(member.cycle_id, WRITABLE)
        actual = Actual.objects.select_for_update().filter(member=member, measure_key=measure_key).first()
        version_check(actual.version if actual else 0, expected_version)
        before = {"value": actual.value} if actual else None
        if not text:
            if actual is not None:
                audit_record(actor=user, action="actual.clear", obj=actual, before=before)
                actual.delete()
            return None
        if actual is None:
            actual = Actual.objects.create(
                member=member, measure_key=measure_key, value=text, entered_by=user
            )
        else:
            actual.value, actual.entered_by, actual.source = text, user, Actual.Source.MANUAL
            actual.version += 1
            actual.save()
        audit_record(actor=user, action="actual.set", obj=actual, before=before, after={"value": text})
    return actual


def score_set(
    *,
    user: Any,
    member: CycleMember,
    indicator_key: str,
    rater_kind: str,
    value: str,
    comment: str = "",
    expected_version: int | None = None,
) -> Score | None:
    """Record one rater's value for one indicator (empty value: withdraw it); return the score."""
    require(user, f"member.score_{rater_kind}", member)
    rater_id = actor_for(user).employee_id
    if rater_id is None:
        raise PermissionRefused()
    plan, _ = rules(member.snapshot)
    try:
        indicator = plan.indicator(indicator_key)
    except KeyError:
        raise JixiaoError(zh=f"没有指标“{indicator_key}”。", en=f"No indicator {indicator_key!r}.") from None
    if not indicator.is_rated or rater_kind not in {str(r) for r in indicator.raters}:
        raise JixiaoError(
            zh=f"“{indicator.name_zh}”不由该类评分人评分。",
            en=f"{indicator_key!r} is not rated by {rater_kind}.",
        )
    text = value.strip()
    if text:
        _validate_rating(indicator, text)
    with transaction.atomic():
        cycle_locked(member.cycle_id, WRITABLE)
        if ConflictDeclaration.objects.filter(
            cycle_id=member.cycle_id, rater_id=rater_id, ratee_id=member.employee_id
        ).exists():
            raise PermissionRefused(
                zh="您已申报与该员工存在利益冲突，不能为其评分。",
                en="You declared a conflict of interest with this employee and cannot rate them.",
            )
        key = {
            "member": member,
            "indicator_key": indicator_key,
            "rater_kind": rater_kind,
            "rater_id": rater_id,
        }
        score = Score.objects.select_for_update().filter(**key).first()
        version_check(score.version if score else 0, expected_version)
        before = {"value": score.value, "comment": score.comment} if score else None
        if not text:
            if score is not None:
                audit_record(actor=user, action="score.clear", obj=score, before=before)
                score.delete()
            return None
        if score is None:
            score = Score.objects.create(**key, value=text, comment=comment)
        else:
            score.value, score.comment = text, comment
            score.version += 1
            score.save()
        audit_record(
            actor=user,
            action="score.set",
            obj=score,
            before=before,
            after={"value": text, "comment": comment},
        )
    return score


def _validate_rating(indicator: Any, text: str) -> None:
    number = decimal_or_none(text)
    try:
        if indicator.kind is Kind.RUBRIC:
            rubric_cell(indicator, number if number is not None else text)
        elif number is None:
            raise JixiaoError(zh=f"“{text}”不是数字。", en=f"{text!r} is not a number.")
    except ScoringError as error:
        raise JixiaoError(zh=error.message_zh, en=error.message_en) from error


def self_assessment_submit(*, user: Any, member: CycleMember) -> CycleMember:
    """Mark the self-assessment (自评) as submitted; the scores themselves come from ``score_set``."""
    require(user, "member.score_self", member)
    with transaction.atomic():
        cycle_locked(member.cycle_id, WRITABLE)
        member.self_submitted_at = timezone.now()
        member.save(update_fields=["self_submitted_at"])
        audit_record(actor=user, action="member.self_submit", obj=member)
    return member


def conflict_declare(*, user: Any, member: CycleMember, reason: str) -> ConflictDeclaration:
    """Declare a conflict of interest with a member: the declarer can no longer rate them."""
    rater_id = actor_for(user).employee_id
    if rater_id is None or not reason.strip():
        raise JixiaoError(zh="请填写利益冲突的原因。", en="State the reason for the conflict of interest.")
    with transaction.atomic():
        cycle_locked(member.cycle_id, WRITABLE)
        declaration, _ = ConflictDeclaration.objects.get_or_create(
            cycle_id=member.cycle_id,
            rater_id=rater_id,
            ratee_id=member.employee_id,
            defaults={"reason": reason.strip(), "declared_by": user},
        )
        Score.objects.filter(member=member, rater_id=rater_id).delete()
        audit_record(actor=user, action="conflict.declare", obj=declaration, after={"reason": reason.strip()})
    return declaration
