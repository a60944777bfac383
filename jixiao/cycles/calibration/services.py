"""Calibration moves (校准, §3): the committee moves a grade, with a recorded reason, while the
cycle is HR-checked.

A move changes the current grade and its coefficient, keeps the engine's grade in
``Result.engine_grade``, and is recorded as a ``CalibrationMove`` and one audit event
``result.calibrate`` with before, after and reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.db import transaction

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.audit.services import audit_record
from jixiao.common.errors import Conflict, JixiaoError
from jixiao.cycles.lifecycle.locks import cycle_locked
from jixiao.cycles.lifecycle.snapshot import rules
from jixiao.cycles.results.models import Result
from jixiao.engine import types as engine

from .models import CalibrationMove
from .selectors import MOVABLE

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _veto_cap(result: Result, plan: engine.Plan, framework: engine.Framework) -> str | None:
    """The worst grade a veto on the result caps it at (None when no veto caps it)."""
    order = {g.key: i for i, g in enumerate(framework.grades)}
    caps = [
        ind.veto_grade
        for ind in plan.indicators
        if ind.key in result.vetoes and ind.veto_grade is not None and ind.veto_grade in order
    ]
    return max(caps, key=lambda g: order[g]) if caps else None


def _refuse_grade(result: Result, to_grade: str, plan: engine.Plan, framework: engine.Framework) -> None:
    """Refuse an unknown grade, the current grade, or a grade above a veto's cap (一票否决)."""
    keys = [g.key for g in framework.grades]
    if to_grade not in keys:
        raise JixiaoError(zh=f"没有等级“{to_grade}”。", en=f"There is no grade {to_grade!r}.")
    if to_grade == result.grade:
        raise JixiaoError(zh="新等级与当前等级相同。", en="The new grade is the current grade.")
    cap = _veto_cap(result, plan, framework)
    if cap is not None and keys.index(to_grade) < keys.index(cap):
        raise JixiaoError(
            zh=f"该员工发生一票否决事项，等级最高为 {cap}，校准不能突破。",
            en=f"A veto caps this result at grade {cap}; calibration cannot lift it.",
        )


def calibration_move(
    *, user: ActingUser, result: Result, to_grade: str, reason: str, expected_grade: str, expected_moves: int
) -> Result:
    """Move ``result`` to ``to_grade`` with a stated reason, while the cycle is HR-checked.

    ``expected_grade`` and ``expected_moves`` are what the user saw: if another committee member
    moved the result meanwhile, the move is refused (409) rather than overwriting theirs. The
    coefficient becomes the new grade's coefficient in the cycle's framework snapshot. A veto's
    grade cap (一票否决) cannot be calibrated away.
    """
    require(user, "calibration.move", result)
    reason = reason.strip()
    if not reason:
        raise JixiaoError(
            zh="请写明调整等级的原因。", en="State the reason for moving the grade.", code="reason"
        )
    with transaction.atomic():
        cycle_locked(result.cycle_id, MOVABLE)
        result = Result.objects.select_for_update().select_related("member__snapshot").get(pk=result.pk)
        if result.grade != expected_grade or result.calibration_moves.count() != expected_moves:
            raise Conflict(
                zh=f"该员工的等级已被他人调整为 {result.grade}，请刷新后再决定。",
                en=f"Someone else has moved this grade to {result.grade}; reload and decide again.",
            )
        plan, framework = rules(result.member.snapshot)
        _refuse_grade(result, to_grade, plan, framework)
        before = {"grade": result.grade, "coefficient": result.coefficient}
        result.grade = to_grade
        result.coefficient = str(framework.grade(to_grade).coefficient)
        result.save(update_fields=["grade", "coefficient"])
        move = CalibrationMove.objects.create(
            cycle_id=result.cycle_id,
            result=result,
            from_grade=before["grade"],
            to_grade=to_grade,
            reason=reason,
            moved_by=_person(user),
        )
        audit_record(
            actor=user,
            action="result.calibrate",
            obj=result,
            before=before,
            after={"grade": result.grade, "coefficient": result.coefficient, "move": move.pk},
            reason=reason,
        )
    return result


def _person(user: ActingUser) -> User:
    """The user a record names (the access rules let only logged-in people write)."""
    return cast("User", user)
