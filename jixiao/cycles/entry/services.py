"""What people enter while a cycle is open: actuals (实际值), scores (评分), the self-assessment
(自评) and conflict declarations (利益冲突). Every write is refused unless the cycle is open
(its ``WRITABLE`` states, checked under the cycle's row lock in the same transaction) and carries
an optimistic version: a stale save answers 409 and changes nothing. Writes go through
``audited_write`` / ``audited_create``; clearing a value deletes its row, audited.
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser, actor_for, stored_user
from jixiao.access.policy import require
from jixiao.audit.services import audit_record, snapshot
from jixiao.common.errors import JixiaoError, PermissionRefused, version_check
from jixiao.cycles.lifecycle.locks import cycle_locked
from jixiao.cycles.lifecycle.models import WRITABLE, CycleMember
from jixiao.cycles.lifecycle.snapshot import measure_keys, rules
from jixiao.engine.indicators import ScoringError, rubric_cell
from jixiao.engine.types import Indicator, Kind, Measure, unit_kind
from jixiao.workflow.services import audited_create, audited_write, locked

from .models import Actual, ConflictDeclaration, Score
from .values import measure_value_check, parse_number


def _clear(
    user: ActingUser, row: models.Model, action: str, expected_version: int | None, fields: list[str]
) -> None:
    """Delete ``row`` (an emptied value) after the version check, with an audit event of what it held."""
    current = locked(type(row), row.pk)
    version_check(getattr(current, "version", 0), expected_version)
    audit_record(actor=user, action=action, obj=current, before=snapshot(current, fields))
    current.delete()


def actual_set(
    *,
    user: ActingUser,
    member: CycleMember,
    measure_key: str,
    value: str,
    expected_version: int | None = None,
) -> Actual | None:
    """Set (or clear, with an empty value) one actual by hand; return it (None when cleared)."""
    require(user, "member.enter_actuals", member)
    plan, _ = rules(member.snapshot)
    if measure_key not in measure_keys(plan):
        raise JixiaoError(
            zh=f"考核细则中没有数据项“{measure_key}”。", en=f"The plan has no measure {measure_key!r}."
        )
    text = value.strip()
    if text:
        measure_value_check(plan.measure(measure_key), text)
    with transaction.atomic():
        cycle_locked(member.cycle_id, WRITABLE)
        actual = Actual.objects.filter(member=member, measure_key=measure_key).first()
        if actual is not None and not text:
            _clear(user, actual, "actual.clear", expected_version, ["value"])
            return None
        if actual is not None:

            def change(row: Actual) -> None:
                row.value, row.entered_by, row.source = text, stored_user(user), Actual.Source.MANUAL

            return audited_write(
                user=user,
                obj=actual,
                action="actual.set",
                change=change,
                expected_version=expected_version,
                fields=["value"],
            )
        version_check(0, expected_version)
        if not text:
            return None
        new = Actual(member=member, measure_key=measure_key, value=text, entered_by=stored_user(user))
        return audited_create(user=user, obj=new, action="actual.set", fields=["value"])


def _rated_indicator(member: CycleMember, indicator_key: str, rater_kind: str) -> Indicator:
    """The plan's indicator ``indicator_key``, refused unless ``rater_kind`` rates it."""
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
    return indicator


def _refuse_conflicted(member: CycleMember, rater_id: int) -> None:
    if ConflictDeclaration.objects.filter(
        cycle_id=member.cycle_id, rater_id=rater_id, ratee_id=member.employee_id
    ).exists():
        raise PermissionRefused(
            zh="您已申报与该员工存在利益冲突，不能为其评分。",
            en="You declared a conflict of interest with this employee and cannot rate them.",
        )


def score_set(
    *,
    user: ActingUser,
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
    indicator = _rated_indicator(member, indicator_key, rater_kind)
    text = value.strip()
    if text:
        _validate_rating(indicator, text)
    fields = ["value", "comment"]
    with transaction.atomic():
        cycle_locked(member.cycle_id, WRITABLE)
        _refuse_conflicted(member, rater_id)
        key = {
            "member": member,
            "indicator_key": indicator_key,
            "rater_kind": rater_kind,
            "rater_id": rater_id,
        }
        score = Score.objects.filter(**key).first()
        if score is not None and not text:
            _clear(user, score, "score.clear", expected_version, fields)
            return None
        if score is not None:

            def change(row: Score) -> None:
                row.value, row.comment = text, comment

            return audited_write(
                user=user,
                obj=score,
                action="score.set",
                change=change,
                expected_version=expected_version,
                fields=fields,
            )
        version_check(0, expected_version)
        if not text:
            return None
        return audited_create(
            user=user, obj=Score(**key, value=text, comment=comment), action="score.set", fields=fields
        )


def _validate_rating(indicator: Indicator, text: str) -> None:
    """A rubric takes one of its levels (or points within the levels' range); any other rated
    indicator takes a finite number within its measure's range."""
    number = parse_number(text)
    if indicator.kind is not Kind.RUBRIC:
        unit = indicator.unit
        measure = Measure(
            indicator.measure_key, indicator.name_zh, indicator.name_en, unit, kind=unit_kind(unit)
        )
        measure_value_check(measure, text)
        return
    try:
        rubric_cell(indicator, number if number is not None else text)
    except ScoringError as error:
        raise JixiaoError(zh=error.message_zh, en=error.message_en) from error


def self_assessment_submit(*, user: ActingUser, member: CycleMember) -> CycleMember:
    """Mark the self-assessment (自评) as submitted; the scores themselves come from ``score_set``."""
    require(user, "member.score_self", member)

    def submitted(row: CycleMember) -> None:
        row.self_submitted_at = timezone.now()

    with transaction.atomic():
        cycle_locked(member.cycle_id, WRITABLE)
        return audited_write(
            user=user, obj=member, action="member.self_submit", change=submitted, fields=["self_submitted_at"]
        )


def conflict_declare(*, user: ActingUser, member: CycleMember, reason: str) -> ConflictDeclaration:
    """Declare a conflict of interest with a member: the declarer can no longer rate them."""
    rater_id = actor_for(user).employee_id
    if rater_id is None or not reason.strip():
        raise JixiaoError(zh="请填写利益冲突的原因。", en="State the reason for the conflict of interest.")
    with transaction.atomic():
        cycle_locked(member.cycle_id, WRITABLE)
        declaration = ConflictDeclaration.objects.filter(
            cycle_id=member.cycle_id, rater_id=rater_id, ratee_id=member.employee_id
        ).first()
        if declaration is None:
            new = ConflictDeclaration(
                cycle_id=member.cycle_id,
                rater_id=rater_id,
                ratee_id=member.employee_id,
                reason=reason.strip(),
                declared_by=stored_user(user),
            )
            declaration = audited_create(user=user, obj=new, action="conflict.declare", fields=["reason"])
        Score.objects.filter(member=member, rater_id=rater_id).delete()
    return declaration
