"""Appeals (申诉) and their recheck (复核): every write (issue 12).

Filing creates the appeal (one audit event ``appeal.file`` naming its files); each later step is
a row of ``workflow.APPEAL`` applied by ``transition_apply`` (one audit event ``appeal.<action>``)
inside one transaction with what follows from it: the cycle's hold (placed while the appeal is
open so the cycle cannot lock), the notifications, and for an adjustment the recheck of the
result and the pay adjustment. A refusal writes nothing (no row, no event, no notification, no
file left behind).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser, actor_for, stored_user
from jixiao.access.models import Role
from jixiao.access.policy import require
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, Problem
from jixiao.common.files import MAX_FILES, StoredFile, evidence_check, evidence_root, evidence_store
from jixiao.common.validators import parse_text
from jixiao.cycles.lifecycle.holds import hold_place, hold_release
from jixiao.cycles.lifecycle.locks import cycle_locked
from jixiao.cycles.lifecycle.models import State as CycleState
from jixiao.cycles.lifecycle.snapshot import rules
from jixiao.cycles.results.models import Result
from jixiao.cycles.results.recheck import Corrections, corrections_parse, recheck_apply
from jixiao.engine.text import Text
from jixiao.notifications.services import notify, users_with_roles
from jixiao.pay.monthly.corrections import pay_adjustment_for_recheck
from jixiao.workflow.services import locked, transition_apply

from . import window
from .models import HELD, OPEN, Appeal, AppealFile, Recommendation, State, Statement
from .separation import (
    conflicted_employee_ids,
    decider_conflicted_ids,
    eligible_rechecker_ids,
    leader_is_barred,
    statement_raters,
)
from .workflow import APPEAL, STATEMENT

REASON_LENGTH = 2000
HR = (Role.HR_OFFICER, Role.HR_SUPERVISOR)
FIGURES = ("total_milli", "grade", "coefficient", "rank_department", "rank_company", "bonus_void")


def _text(value: str, zh: str, en: str, *, required: bool = True) -> str:
    return parse_text(value, field=Text(zh, en), max_length=REASON_LENGTH, required=required)


def _title(appeal: Appeal) -> Text:
    """What a notification calls the case: its reference and cycle, never a figure."""
    return Text(
        f"申诉 {appeal.reference}（{appeal.cycle.label}）",
        f"Appeal {appeal.reference} ({appeal.cycle.label})",
    )


def _tell(appeal: Appeal, who: Iterable[Any], kind: str, zh: str, en: str, user: ActingUser) -> None:
    title = _title(appeal)
    notify(
        recipients=who, kind=kind, text=Text(f"{title.zh}{zh}", f"{title.en}{en}"), link=appeal.link,
        exclude=[user],
    )  # fmt: skip


def _deciders(appeal: Appeal) -> list[int]:
    return users_with_roles(Role.COMMITTEE_DEPUTY if appeal.leader_barred else Role.COMMITTEE_LEADER)


def _appellant_user(appeal: Appeal) -> int | None:
    return appeal.appellant.user_id or appeal.filed_by_id


def _hold(appeal: Appeal) -> None:
    """While the appeal is open the cycle cannot lock (a late appeal on a locked cycle needs
    none). Placed under the cycle's row lock, so a concurrent lock sees it or comes first."""
    if appeal.state in HELD:
        cycle = cycle_locked(appeal.cycle_id)
        if cycle.state != CycleState.LOCKED:
            reason = Text(f"申诉 {appeal.reference} 尚未办结", f"appeal {appeal.reference} is still open")
            hold_place(cycle=cycle, source=appeal.source, reason=reason)
    else:
        hold_release(cycle=appeal.cycle, source=appeal.source)


def _step(user: ActingUser, appeal: Appeal, action: str, **kwargs: Any) -> Appeal:
    """Apply ``action`` of the table; every step starts its deadline today; the hold follows."""
    change = kwargs.pop("change", None)

    def with_day(a: Appeal) -> None:
        a.step_began = timezone.localdate()
        if change is not None:
            change(a)

    done = transition_apply(user=user, workflow=APPEAL, obj=appeal, action=action, change=with_day, **kwargs)
    _hold(done)
    return done


# -- filing -------------------------------------------------------------------------------


def _indicators_checked(result: Result, indicators: Sequence[str]) -> list[str]:
    plan, _framework = rules(result.member.snapshot)
    known = [i.key for i in plan.indicators]
    chosen = [str(key)[:64] for key in indicators]
    unknown = [key for key in chosen if key not in known]
    if unknown:
        raise JixiaoError(
            zh=f"考核结果中没有这些指标：{'、'.join(unknown[:5])}。",
            en=f"The result has no such indicators: {', '.join(unknown[:5])}.",
            code="indicator",
        )
    return [key for key in known if key in set(chosen)]  # the plan's order, each once


def _files_checked(files: Sequence[Any]) -> None:
    """Refuse the filing when any file is refused, naming each one and why (nothing stored)."""
    if len(files) > MAX_FILES:
        raise JixiaoError(
            zh=f"最多上传 {MAX_FILES} 个证据文件（现在 {len(files)} 个）。",
            en=f"At most {MAX_FILES} evidence files (now {len(files)}).",
            code="evidence",
        )
    problems: list[Problem] = []
    for upload in files:
        try:
            evidence_check(upload)
        except JixiaoError as error:
            problems.append(Problem(zh=error.zh, en=error.en))
    if problems:
        raise JixiaoError(
            zh="有证据文件不能上传，申诉未提交：", en="Some evidence files were refused; the appeal was not filed:",
            code="evidence", problems=problems,
        )  # fmt: skip


def _open_appeal_refusal() -> JixiaoError:
    return JixiaoError(
        zh="该考核结果已有一份尚未办结的申诉。",
        en="This result already has an appeal that is still open.",
        code="appeal_open",
        status=409,
    )


def _window_checked(result: Result) -> str:
    kind = window.window_of(result.cycle)
    if kind == window.NONE:
        raise JixiaoError(
            zh="该考核结果尚未公布，不能申诉。", en="This result is not published; it cannot be appealed.",
            code="appeal_window", status=409,
        )  # fmt: skip
    return kind


def appeal_file(
    *, user: ActingUser, result: Result, indicators: Sequence[str], reason: str, files: Sequence[Any] = ()
) -> Appeal:
    """The employee appeals their own published result (whole when ``indicators`` is empty),
    with a reason and evidence files. Inside the window it is filed (HR is told); after it, or
    once the cycle is locked, it waits for the leader's leave (the leader is told)."""
    require(user, "appeal.file", result)
    reason = _text(reason, "申诉理由", "Reason")
    _files_checked(files)
    stored: list[StoredFile] = []
    try:
        with transaction.atomic():
            appeal = _appeal_create(user, result, indicators, reason)
            for upload in files:
                stored.append(evidence_store(upload))
            AppealFile.objects.bulk_create(
                AppealFile(appeal=appeal, name=f.name, path=f.path, size=f.size, sha256=f.sha256,
                           content_type=f.content_type) for f in stored
            )  # fmt: skip
            _filed_record(user, appeal, stored)
    except BaseException:
        _unstore(stored)
        raise
    return appeal


def _appeal_create(user: ActingUser, result: Result, indicators: Sequence[str], reason: str) -> Appeal:
    cycle_locked(result.cycle_id)  # the window is read under the lock a cycle's lock takes
    result = locked(Result, result.pk)  # one open appeal per result: filings of one result queue here
    late = _window_checked(result) == window.LATE
    if Appeal.objects.filter(result=result, state__in=OPEN).exists():
        raise _open_appeal_refusal()
    conflicted, deciders = conflicted_employee_ids(result), decider_conflicted_ids(result)
    appeal = Appeal.objects.create(
        result=result,
        cycle=result.cycle,
        appellant_id=result.member.employee_id,
        filed_by=cast(Any, stored_user(user)),
        indicators=_indicators_checked(result, indicators),
        reason=reason,
        late=late,
        state=State.AWAITING_LEAVE if late else State.FILED,
        step_began=timezone.localdate(),
        conflicted=sorted(conflicted),
        barred_deciders=sorted(deciders),
        leader_barred=leader_is_barred(deciders, None),
    )
    _hold(appeal)
    return appeal


def _filed_record(user: ActingUser, appeal: Appeal, stored: list[StoredFile]) -> None:
    after = {
        "result": appeal.result_id,
        "state": appeal.state,
        "indicators": appeal.indicators,
        "reason": appeal.reason,
        "late": appeal.late,
        "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in stored],
    }
    audit_record(actor=user, action="appeal.file", obj=appeal, after=after)
    if appeal.late:
        _tell(appeal, _deciders(appeal), "appeal.late", "：逾期申诉，请决定是否准予。",
              ": a late appeal; please decide whether to allow it.", user)  # fmt: skip
    else:
        _tell(
            appeal,
            users_with_roles(*HR),
            "appeal.filed",
            "已提交，请受理。",
            " was filed; please accept or decline it.",
            user,
        )


def _unstore(stored: list[StoredFile]) -> None:
    """Remove files written for a filing that was refused or rolled back."""
    root = evidence_root()
    for f in stored:
        Path(root / f.path).unlink(missing_ok=True)


# -- HR, the leader's leave, withdrawal -----------------------------------------------------


def appeal_accept(
    *, user: ActingUser, appeal: Appeal, reason: str = "", expected_version: int | None = None
) -> Appeal:
    """HR accepts the appeal; a rechecker is assigned next. The appellant is told."""
    reason = _text(reason, "受理意见", "Note", required=False)
    with transaction.atomic():
        done = _step(user, appeal, "accept", reason=reason, expected_version=expected_version,
                     change=lambda a: setattr(a, "hr_reason", reason))  # fmt: skip
        _tell(done, [_appellant_user(done)], "appeal.accepted", "已受理，将指派复核人复核。",
              " was accepted; a rechecker will be assigned.", user)  # fmt: skip
    return done


def appeal_decline(
    *, user: ActingUser, appeal: Appeal, reason: str, expected_version: int | None = None
) -> Appeal:
    """HR declines the appeal as out of scope, saying why. The appellant is told; the hold lifts."""
    reason = _text(reason, "不予受理的原因", "Reason for declining")
    with transaction.atomic():
        done = _step(user, appeal, "decline", reason=reason, expected_version=expected_version,
                     change=lambda a: setattr(a, "hr_reason", reason))  # fmt: skip
        _tell(done, [_appellant_user(done)], "appeal.declined", "不予受理，原因见申诉页面。",
              " was declined; the reason is on the appeal's page.", user)  # fmt: skip
    return done


def appeal_leave(*, user: ActingUser, appeal: Appeal, grant: bool, reason: str) -> Appeal:
    """The leader (the deputy when the leader is barred) allows a late appeal (it is filed and
    HR is told) or refuses it (closed), saying why. The appellant is told either way."""
    reason = _text(reason, "意见", "Reason")
    action = "grant_leave" if grant else "refuse_leave"
    with transaction.atomic():
        done = _step(user, appeal, action, reason=reason, change=lambda a: setattr(a, "leave_reason", reason))
        if grant:
            _tell(done, [_appellant_user(done)], "appeal.leave_granted", "：组长准予逾期申诉，已转人力资源部受理。",
                  ": the late appeal was allowed and passed to HR.", user)  # fmt: skip
            _tell(done, users_with_roles(*HR), "appeal.filed", "已提交（准予逾期申诉），请受理。",
                  " was filed (late, allowed); please accept or decline it.", user)  # fmt: skip
        else:
            _tell(done, [_appellant_user(done)], "appeal.leave_refused", "：不准逾期申诉，原因见申诉页面。",
                  ": the late appeal was refused; the reason is on the appeal's page.", user)  # fmt: skip
    return done


def appeal_withdraw(*, user: ActingUser, appeal: Appeal, reason: str = "") -> Appeal:
    """The appellant withdraws their appeal before the recommendation; HR is told."""
    reason = _text(reason, "撤回原因", "Reason", required=False)
    with transaction.atomic():
        done = _step(user, appeal, "withdraw", reason=reason)
        _tell(
            done,
            users_with_roles(*HR),
            "appeal.withdrawn",
            "已由申诉人撤回。",
            " was withdrawn by the appellant.",
            user,
        )
    return done


# -- the rechecker ---------------------------------------------------------------------------


def _barred(appeal: Appeal, conflicted: set[int]) -> None:
    """Refresh who may not recheck and who may not decide, from today's data."""
    deciders = decider_conflicted_ids(appeal.result)
    appeal.conflicted, appeal.barred_deciders = sorted(conflicted), sorted(deciders)
    appeal.leader_barred = leader_is_barred(deciders, appeal.rechecker_id)


def appeal_assign(
    *, user: ActingUser, appeal: Appeal, rechecker_id: int, expected_version: int | None = None
) -> Appeal:
    """HR or the deputy assign (or reassign) a committee member with no part in the result."""
    require(user, "appeal.assign", appeal)

    def change(a: Appeal) -> None:
        conflicted = conflicted_employee_ids(a.result)
        if rechecker_id not in eligible_rechecker_ids(conflicted, a.appellant.user_id or a.filed_by_id):
            raise JixiaoError(
                zh="只能指派与该结果无关的考核小组成员（不是申诉人、评分人、其汇报线上的上级，也未声明回避）。",
                en=("Only a committee member with no part in the result can recheck it (not the appellant, "
                    "a rater, someone in their reporting line, nor with a declared conflict)."),
                code="separation", status=403,
            )  # fmt: skip
        a.rechecker_id = rechecker_id
        _barred(a, conflicted)

    with transaction.atomic():
        done = _step(user, appeal, "assign", expected_version=expected_version, change=change)
        _tell(
            done,
            [rechecker_id],
            "appeal.assigned",
            "：您被指派为复核人。",
            ": you are assigned to recheck it.",
            user,
        )
    return done


def statement_request(*, user: ActingUser, appeal: Appeal, rater_id: int, question: str) -> Statement:
    """The rechecker asks one of the appellant's raters for a statement; from now on that rater
    sees the appeal. The rater is told."""
    question = _text(question, "请说明的问题", "Question")
    rater = next((r for r in statement_raters(appeal) if r.pk == rater_id), None)
    if rater is None:
        raise JixiaoError(
            zh="只能请申诉人在本周期的评分人说明。", en="A statement can be asked only of the appellant's raters in the cycle.",
            code="rater",
        )  # fmt: skip
    with transaction.atomic():
        done = _step(user, appeal, "request_statement", reason=question,
                     extra={"rater": rater.pk, "question": question})  # fmt: skip
        statement = Statement.objects.create(
            appeal=done, rater=rater, question=question, requested_by=cast(Any, stored_user(user)),
            step_began=timezone.localdate(),
        )  # fmt: skip
        _tell(done, [rater.user_id], "appeal.statement_requested", "：复核人请您就评分作出说明。",
              ": the rechecker asks you for a statement on your rating.", user)  # fmt: skip
    return statement


def statement_answer(
    *, user: ActingUser, statement: Statement, answer: str, expected_version: int | None = None
) -> Statement:
    """The rater answers (once); the rechecker is told."""
    answer = _text(answer, "说明", "Statement")

    def change(s: Statement) -> None:
        s.answer = answer
        s.answered_at = timezone.now()

    with transaction.atomic():
        done = transition_apply(user=user, workflow=STATEMENT, obj=statement, action="answer",
                                expected_version=expected_version, change=change)  # fmt: skip
        appeal = done.appeal
        _tell(appeal, [appeal.rechecker_id], "appeal.statement_answered", "：评分人已作出说明。",
              ": the rater has answered.", user)  # fmt: skip
    return done


def appeal_recommend(
    *, user: ActingUser, appeal: Appeal, recommendation: str, data: Mapping[str, str], reason: str,
    expected_version: int | None = None,
) -> Appeal:  # fmt: skip
    """The rechecker recommends upholding, or adjusting with corrected inputs (``data``: the
    recheck form's fields, parsed by ``recheck.corrections_parse``), and says why."""

    reason = _text(reason, "复核理由", "Reason")
    if recommendation not in Recommendation.values:
        raise JixiaoError(zh="请选择维持或调整。", en="Choose uphold or adjust.", code="recommendation")
    corrections: dict[str, Any] = {}
    if recommendation == Recommendation.ADJUST:
        parsed = corrections_parse(appeal.result, data)
        if parsed.is_empty():
            raise JixiaoError(
                zh="建议调整时请至少更正一项数据。", en="To recommend an adjustment, correct at least one input.",
                code="no_corrections",
            )  # fmt: skip
        corrections = parsed.as_json()

    def change(a: Appeal) -> None:
        conflicted = conflicted_employee_ids(a.result)
        a.recommendation, a.recommendation_reason, a.corrections = recommendation, reason, corrections
        a.recommended_at = timezone.now()
        _barred(a, conflicted)

    with transaction.atomic():
        done = _step(
            user, appeal, "recommend", reason=reason, expected_version=expected_version, change=change
        )
        _tell(done, _deciders(done), "appeal.recommended", "：复核意见已提出，请决定。",
              ": the recheck is done; please decide.", user)  # fmt: skip
    return done


# -- the decision ----------------------------------------------------------------------------


def appeal_return(*, user: ActingUser, appeal: Appeal, reason: str) -> Appeal:
    """The decider sends the case back to the rechecker, saying what to look at again."""
    reason = _text(reason, "退回原因", "Reason")
    with transaction.atomic():
        done = _step(user, appeal, "return", reason=reason)
        _tell(done, [done.rechecker_id], "appeal.returned", "：已退回，请重新复核。",
              ": it was returned to you for another look.", user)  # fmt: skip
    return done


def figures_of(result: Result) -> dict[str, Any]:
    return {key: getattr(result, key) for key in FIGURES}


def appeal_decide(
    *,
    user: ActingUser,
    appeal: Appeal,
    adjust: bool,
    reason: str,
    expected_version: int | None = None,
    expected_revision: int | None = None,
) -> Appeal:
    """The leader (the deputy when the leader is barred) decides. Adjusting recomputes the
    result with the recommended corrections (a new version; ranks recomputed) and records the
    pay adjustment where that month's pay was released — in one transaction with the step.
    ``expected_revision``: the result's revision the decider's preview showed (409 when another
    recheck changed it since). The appellant and HR are told."""
    reason = _text(reason, "决定理由", "Reason")
    with transaction.atomic():
        if adjust:
            done = _step(user, appeal, "decide_adjust", reason=reason, expected_version=expected_version,
                         change=lambda a: _adjust(user, a, reason, expected_revision))  # fmt: skip
        else:
            done = _step(user, appeal, "decide_uphold", reason=reason, expected_version=expected_version,
                         change=lambda a: _decided(user, a, reason))  # fmt: skip
        who = [_appellant_user(done), *users_with_roles(*HR)]
        _tell(
            done,
            who,
            "appeal.decided",
            "已有决定，详见申诉页面。",
            " has been decided; see the appeal's page.",
            user,
        )
    return done


def _decided(user: ActingUser, appeal: Appeal, reason: str) -> None:
    appeal.decision_reason = reason
    appeal.decided_by = cast(Any, stored_user(user))
    appeal.decided_at = timezone.now()
    figures = figures_of(appeal.result)
    appeal.figures_before = figures
    appeal.figures_after = figures


def _adjust(user: ActingUser, appeal: Appeal, reason: str, revision: int | None) -> None:
    """Under the appeal's row lock: recheck the result (``revision``: the one the decider's
    preview was of), then record the pay adjustment where the month's pay was released."""
    _decided(user, appeal, reason)
    version = recheck_apply(
        user=user, result=appeal.result, corrections=Corrections.from_json(appeal.corrections), reason=reason,
        source=appeal.source, expected_revision=revision,
    )  # fmt: skip
    result = Result.objects.get(pk=appeal.result_id)
    before = {key: version.figures.get(key) for key in FIGURES}
    appeal.figures_before, appeal.figures_after = before, figures_of(result)
    appeal.replaced_version = version
    cycle = appeal.cycle
    changed = (before["coefficient"], before["bonus_void"]) != (result.coefficient, result.bonus_void)
    if cycle.kind == "month" and changed:
        appeal.pay_adjustment = pay_adjustment_for_recheck(
            user=user, employee_id=appeal.appellant_id, month=cycle.label,
            coefficient_before=str(before["coefficient"]), coefficient_after=str(result.coefficient),
            reason=Text(f"申诉 {appeal.reference} 复核调整：{reason}", f"Appeal {appeal.reference} recheck: {reason}"),
            source=appeal.source, bonus_void_before=bool(before["bonus_void"]), bonus_void_after=result.bonus_void,
        )  # fmt: skip


def barred(appeal: Appeal, user: ActingUser) -> bool:
    """Whether ``user`` has a part in the appealed result (for pages that explain a refusal)."""
    actor = actor_for(user)
    return actor.employee_id is not None and actor.employee_id in set(appeal.conflicted)
