"""Improvement plans (绩效改进计划): every write (issue 13).

Starting a plan creates it (one audit event ``improvement.start``); each state change is a row of
``workflow.IMPROVEMENT`` applied by ``transition_apply`` (one event ``improvement.<action>``);
edits of its goals, support and review dates, check-ins, comments and acknowledgements are one
audited event each. A change of the plan's content adds one to its ``revision`` (the version the
employee acknowledges). Notifications name the plan, never a score, grade or pay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser, stored_user
from jixiao.access.policy import require, scope
from jixiao.audit.services import audit_record, audit_record_many
from jixiao.common.errors import JixiaoError, NotFound, PermissionRefused, version_check
from jixiao.common.validators import parse_date, parse_text
from jixiao.cycles.results.models import Result
from jixiao.engine.text import Text
from jixiao.notifications.services import already_sent, notify
from jixiao.org.models import Employee
from jixiao.workflow.services import locked, state_refusal, transition_apply

from .heads import head_user_ids
from .models import (
    CHECKABLE,
    EDITABLE,
    OPEN,
    Acknowledgement,
    CheckIn,
    Comment,
    Goal,
    ImprovementPlan,
    Progress,
    Review,
    State,
    Support,
    SupportKind,
)
from .workflow import IMPROVEMENT

REASON_LENGTH = 2000
SOURCE_LENGTH = 64


def _text(value: object, zh: str, en: str, *, required: bool = True, length: int = REASON_LENGTH) -> str:
    return parse_text(value, field=Text(zh, en), max_length=length, required=required)


def _title(plan: ImprovementPlan) -> Text:
    name = plan.employee.name
    return Text(f"{name}的绩效改进计划 {plan.reference}", f"{name}'s improvement plan {plan.reference}")


def _tell(plan: ImprovementPlan, who: Iterable[Any], kind: str, zh: str, en: str, user: ActingUser) -> None:
    title = _title(plan)
    notify(recipients=who, kind=kind, text=Text(f"{title.zh}{zh}", f"{title.en}{en}"), link=plan.link,
           exclude=[user])  # fmt: skip


# -- starting a plan ------------------------------------------------------------------------


def _results_checked(user: ActingUser, employee: Employee, result_ids: Sequence[int]) -> list[Result]:
    """The results that started the plan: the employee's own, each one the user may read."""
    wanted = {int(pk) for pk in result_ids}
    if not wanted:
        return []
    found = scope(user, "result.view", Result.objects.filter(pk__in=wanted, member__employee_id=employee.pk))
    results = list(found.select_related("cycle"))
    if len(results) != len(wanted):
        raise JixiaoError(
            zh="所选的考核结果不是该员工的，或您无权查看。",
            en="A chosen result is not this employee's, or you may not read it.",
            code="result",
            status=400,
        )
    return results


def improvement_plan_start(
    *, user: ActingUser, employee_id: int, result_ids: Sequence[int], reason: str, source: str = ""
) -> ImprovementPlan:
    """A new plan in its first state (``draft``) for the employee; their head fills it in with
    them. ``source`` names what started it ("proposal:12" from a rule, "" by hand): a second call
    with the same non-empty source returns the existing plan. Tells the head and the employee."""
    employee = Employee.objects.filter(pk=employee_id).first()
    if employee is None:
        raise NotFound()
    require(user, "improvement_candidate.start", employee)
    if employee.status == Employee.Status.LEFT:
        raise JixiaoError(
            zh=f"{employee.name}已离职，不能为其制定改进计划。",
            en=f"{employee.name} has left; no improvement plan can be started.",
            code="left",
            status=409,
        )
    reason = _text(reason, "为什么制定这份计划", "Why this plan")
    source = _text(source, "来源", "Source", required=False, length=SOURCE_LENGTH)
    if source and (existing := ImprovementPlan.objects.filter(source=source).first()) is not None:
        return existing
    results = _results_checked(user, employee, result_ids)
    try:
        with transaction.atomic():
            plan = _plan_create(user, employee, results, reason, source)
    except IntegrityError:  # the same source started concurrently: the other call's plan stands
        existing = ImprovementPlan.objects.filter(source=source).first() if source else None
        if existing is None:
            raise
        return existing
    return plan


def _plan_create(
    user: ActingUser, employee: Employee, results: list[Result], reason: str, source: str
) -> ImprovementPlan:
    plan = ImprovementPlan(
        employee=employee, started_by=stored_user(user), reason=reason, source=source,
        started_on=timezone.localdate(),
    )  # fmt: skip
    plan.save()
    plan.results.set(results)
    audit_record(
        actor=user, action="improvement.start", obj=plan,
        after={"employee": employee.pk, "reason": reason, "source": source, "state": plan.state,
               "started_on": str(plan.started_on), "results": sorted(r.pk for r in results)},
    )  # fmt: skip
    heads = head_user_ids(employee)
    _tell(plan, heads, "improvement.started", "已建立，请与员工一起制定目标和支持措施。",
          " was started: please write its goals and support together with the employee.", user)  # fmt: skip
    _tell(plan, [employee.user_id], "improvement.started", "已建立：您的上级会和您一起制定成长目标和支持措施。",
          " was started: your head will write growth goals and the support offered together with you.", user)  # fmt: skip
    return plan


# -- the plan's content: goals, support, review dates ----------------------------------------

GOAL_LENGTH = 1000


def _new_revision(plan: ImprovementPlan) -> None:
    """A change after the employee acknowledged the current version starts the next version."""
    if Acknowledgement.objects.filter(plan=plan, revision=plan.revision).exists():
        plan.revision += 1


def _content_change(
    user: ActingUser, plan: ImprovementPlan, action: str, version: int | None, apply: Any
) -> ImprovementPlan:
    """Lock the plan, check the writer, its state and the version the user saw, ``apply`` the
    change (it returns what to record), start a new version where due, save, one audit event."""
    with transaction.atomic():
        current = locked(ImprovementPlan, plan.pk)
        require(user, "improvement.write", current)
        if current.state not in EDITABLE:
            raise state_refusal(IMPROVEMENT, current, Text("修改计划", "change the plan"))
        version_check(current.version, version)
        before = current.revision
        details = apply(current)
        _new_revision(current)
        current.version += 1
        current.save()
        audit_record(
            actor=user, action=action, obj=current, before={"revision": before},
            after={"revision": current.revision, **details},
        )  # fmt: skip
    return current


def _day(value: object, zh: str, en: str) -> dt.date:
    return parse_date(value, field=Text(zh, en))


def goal_add(
    *, user: ActingUser, plan: ImprovementPlan, text: str, measure: str, target_date: object,
    version: int | None = None,
) -> ImprovementPlan:  # fmt: skip
    """Add a goal: what to aim for, how it is measured, by when."""
    text = _text(text, "目标", "Goal", length=GOAL_LENGTH)
    measure = _text(measure, "衡量方式", "Measure", length=GOAL_LENGTH)
    day = _day(target_date, "目标日期", "Target date")

    def apply(p: ImprovementPlan) -> dict[str, Any]:
        goal = Goal.objects.create(plan=p, text=text, measure=measure, target_date=day)
        return {"goal": goal.pk, "text": text, "measure": measure, "target_date": day.isoformat()}

    return _content_change(user, plan, "improvement.goal_add", version, apply)


def support_add(
    *, user: ActingUser, plan: ImprovementPlan, kind: str, text: str, version: int | None = None
) -> ImprovementPlan:
    """Add the support offered: training, coaching, resources."""
    if kind not in SupportKind.values:
        raise JixiaoError(zh="请选择支持方式。", en="Choose a kind of support.", code="kind")
    text = _text(text, "支持内容", "Support", length=GOAL_LENGTH)

    def apply(p: ImprovementPlan) -> dict[str, Any]:
        support = Support.objects.create(plan=p, kind=kind, text=text)
        return {"support": support.pk, "kind": kind, "text": text}

    return _content_change(user, plan, "improvement.support_add", version, apply)


def _review_day_checked(plan: ImprovementPlan, day: dt.date) -> None:
    if day < plan.started_on:
        raise JixiaoError(
            zh=f"复盘日期不能早于计划开始日期（{plan.started_on}）。",
            en=f"A review date cannot be before the plan started ({plan.started_on}).",
            code="review_date",
        )
    if Review.objects.filter(plan=plan, due=day).exists():
        raise JixiaoError(
            zh=f"已有 {day} 的复盘日期。", en=f"There is already a review on {day}.", code="review_date"
        )


def review_add(
    *, user: ActingUser, plan: ImprovementPlan, due: object, version: int | None = None
) -> ImprovementPlan:
    """Add a review date (a check-in answers it; overdue when it passes without one)."""
    day = _day(due, "复盘日期", "Review date")

    def apply(p: ImprovementPlan) -> dict[str, Any]:
        _review_day_checked(p, day)
        review = Review.objects.create(plan=p, due=day)
        return {"review": review.pk, "due": day.isoformat()}

    return _content_change(user, plan, "improvement.review_add", version, apply)


ITEMS: dict[str, type[Goal] | type[Support] | type[Review]] = {
    "goal": Goal,
    "support": Support,
    "review": Review,
}


def item_remove(
    *, user: ActingUser, plan: ImprovementPlan, kind: str, pk: int, version: int | None = None
) -> ImprovementPlan:
    """Remove a goal, a support or a review date not yet answered by a check-in."""
    model = ITEMS.get(kind)
    if model is None:
        raise NotFound()

    def apply(p: ImprovementPlan) -> dict[str, Any]:
        item = model.objects.filter(plan=p, pk=pk).first()
        if item is None:
            raise NotFound()
        if isinstance(item, Review) and CheckIn.objects.filter(review=item).exists():
            raise JixiaoError(
                zh="这个复盘日期已有跟进记录，不能删除。",
                en="This review date has a check-in; it cannot be removed.",
                code="review_answered",
                status=409,
            )
        shown = str(item.due) if isinstance(item, Review) else item.text[:200]
        item.delete()
        return {kind: pk, "removed": shown}

    return _content_change(user, plan, f"improvement.{kind}_remove", version, apply)


# -- steps of the table -----------------------------------------------------------------------


def _step(user: ActingUser, plan: ImprovementPlan, action: str, *, reason: str = "", version: int | None = None,
          change: Any = None, extra: dict[str, Any] | None = None) -> ImprovementPlan:  # fmt: skip
    return transition_apply(
        user=user, workflow=IMPROVEMENT, obj=plan, action=action, reason=_text(reason, "说明", "Reason", required=False),
        expected_version=version, change=change, extra=extra,
    )  # fmt: skip


def plan_acknowledge(
    *, user: ActingUser, plan: ImprovementPlan, version: int | None = None
) -> ImprovementPlan:
    """The employee read and acknowledges the current version (once per version): a plan being
    written becomes agreed; during the reviews a new version is acknowledged."""
    action = "acknowledge" if plan.state == State.DRAFT else "acknowledge_update"

    def change(p: ImprovementPlan) -> None:
        Acknowledgement.objects.create(plan=p, revision=p.revision, by=stored_user(user))

    done = _step(user, plan, action, version=version, change=change, extra={"revision": plan.revision})
    _tell(done, head_user_ids(done.employee), "improvement.acknowledged", f"第 {done.revision} 版已由员工确认。",
          f": the employee acknowledged version {done.revision}.", user)  # fmt: skip
    return done


def plan_revise(
    *, user: ActingUser, plan: ImprovementPlan, reason: str, version: int | None = None
) -> ImprovementPlan:
    """Back to writing after the employee agreed: a new version, for the employee to acknowledge."""
    return _step(user, plan, "revise", reason=reason, version=version, change=_new_revision)


def plan_begin(*, user: ActingUser, plan: ImprovementPlan, version: int | None = None) -> ImprovementPlan:
    """The reviews begin (also done by the first check-in)."""
    return _step(user, plan, "begin", version=version)


def _finish(p: ImprovementPlan, note: str) -> None:
    p.outcome_note = note
    p.finished_on = timezone.localdate()


def plan_outcome(
    *, user: ActingUser, plan: ImprovementPlan, outcome: str, reason: str, new_review: object = None,
    version: int | None = None,
) -> ImprovementPlan:  # fmt: skip
    """The outcome: ``outcome_improved``, ``outcome_extended`` (a new review date; stays in review,
    a new version for the employee to acknowledge) or ``outcome_closed``. Each says why; the
    employee and their heads are told."""
    note = _text(reason, "结论说明", "Outcome note")
    if outcome == "outcome_extended":
        done = _extend(user, plan, note, new_review, version)
    elif outcome in ("outcome_improved", "outcome_closed"):
        done = _step(user, plan, outcome, reason=note, version=version, change=lambda p: _finish(p, note))
    else:
        raise JixiaoError(zh="没有这一步。", en="There is no such step.", code="action")
    words = {"outcome_improved": ("结论：已达成改进。", ": outcome, improved."),
             "outcome_extended": ("已延长，请阅读并确认新版本。", " was extended: please read and acknowledge the new version."),
             "outcome_closed": ("已结束。", " was closed.")}[outcome]  # fmt: skip
    employee = done.employee
    _tell(done, [employee.user_id, *head_user_ids(employee)], "improvement.outcome", words[0], words[1], user)
    return done


def _extend(
    user: ActingUser, plan: ImprovementPlan, note: str, new_review: object, version: int | None
) -> ImprovementPlan:
    day = _day(new_review, "新的复盘日期", "New review date")
    if day <= timezone.localdate():
        raise JixiaoError(
            zh="新的复盘日期应在今天之后。", en="The new review date must be after today.", code="review_date"
        )

    def change(p: ImprovementPlan) -> None:
        _review_day_checked(p, day)
        Review.objects.create(plan=p, due=day)
        _new_revision(p)
        p.outcome_note = note

    return _step(
        user,
        plan,
        "outcome_extended",
        reason=note,
        version=version,
        change=change,
        extra={"new_review": day.isoformat()},
    )


# -- check-ins and comments -------------------------------------------------------------------


def checkin_record(
    *, user: ActingUser, plan: ImprovementPlan, day: object, note: str, progress: str,
    review_id: int | None = None,
) -> CheckIn:  # fmt: skip
    """Record a check-in: its date, a note, the progress; it answers ``review_id`` (a review date
    not yet answered). The first one of an agreed plan begins the reviews. The employee is told."""
    require(user, "improvement.write", plan)
    when = _day(day, "跟进日期", "Check-in date")
    note = _text(note, "跟进记录", "Note")
    if progress not in Progress.values:
        raise JixiaoError(zh="请选择进展情况。", en="Choose how it is going.", code="progress")
    if not plan.started_on <= when <= timezone.localdate():
        raise JixiaoError(
            zh=f"跟进日期应在计划开始（{plan.started_on}）到今天之间。",
            en=f"The check-in date must be between the plan's start ({plan.started_on}) and today.",
            code="checkin_date",
        )
    with transaction.atomic():
        current = locked(ImprovementPlan, plan.pk)
        if current.state not in CHECKABLE:
            raise state_refusal(IMPROVEMENT, current, Text("记录跟进", "record a check-in"))
        if current.state == State.AGREED:
            current = plan_begin(user=user, plan=current)
        review = _open_review(current, review_id)
        checkin = CheckIn.objects.create(plan=current, review=review, day=when, note=note, progress=progress,
                                         recorded_by=stored_user(user))  # fmt: skip
        audit_record(
            actor=user, action="improvement.checkin", obj=current,
            after={"checkin": checkin.pk, "day": when.isoformat(), "progress": progress, "note": note,
                   "review": review.due.isoformat() if review else ""},
        )  # fmt: skip
        _tell(current, [current.employee.user_id], "improvement.checkin", "有新的跟进记录。",
              ": a new check-in was recorded.", user)  # fmt: skip
    return checkin


def _open_review(plan: ImprovementPlan, review_id: int | None) -> Review | None:
    if review_id is None:
        return None
    review = Review.objects.filter(plan=plan, pk=review_id, checkin__isnull=True).first()
    if review is None:
        raise JixiaoError(
            zh="所选的复盘日期不存在或已有跟进记录。",
            en="The chosen review date does not exist or already has a check-in.",
            code="review",
            status=409,
        )
    return review


def comment_add(*, user: ActingUser, plan: ImprovementPlan, text: str) -> Comment:
    """A comment by the employee or a writer; the others on the plan are told."""
    require(user, "improvement.comment", plan)
    text = _text(text, "意见", "Comment")
    with transaction.atomic():
        comment = Comment.objects.create(plan=plan, author=stored_user(user), text=text)
        audit_record(
            actor=user, action="improvement.comment", obj=plan, after={"comment": comment.pk, "text": text}
        )
        employee = plan.employee
        _tell(plan, [employee.user_id, *head_user_ids(employee)], "improvement.comment", "有新的意见。",
              ": a new comment.", user)  # fmt: skip
    return comment


# -- overdue reviews ------------------------------------------------------------------------


def overdue_reviews(today: dt.date | None = None) -> list[Review]:
    """Review dates of open plans that passed without a check-in (no access check: for the
    daily reminder, which runs as the system)."""
    day = today or timezone.localdate()
    return list(
        Review.objects.filter(plan__state__in=OPEN, due__lt=day, checkin__isnull=True)
        .select_related("plan__employee")
        .order_by("due", "pk")
    )


REMINDED = "improvement.review_overdue"


def improvement_remind(*, user: ActingUser, today: dt.date | None = None) -> int:
    """Tell the head(s) of each overdue review once (``jixiao improvement remind``, daily);
    return how many reviews were reminded of now."""
    if not getattr(user, "is_system", False):
        raise PermissionRefused()
    day = today or timezone.localdate()
    fresh = [r for r in overdue_reviews(day) if r.reminded_on is None]
    sent = already_sent(kind=REMINDED, keys=[f"review:{r.pk}" for r in fresh])
    fresh = [r for r in fresh if f"review:{r.pk}" not in sent]
    if not fresh:
        return 0
    with transaction.atomic():
        for review in fresh:
            plan = review.plan
            notify(
                recipients=head_user_ids(plan.employee), kind=REMINDED, link=plan.link, key=f"review:{review.pk}",
                text=Text(f"{_title(plan).zh}的复盘日期 {review.due} 已过，尚无跟进记录：请与员工谈一谈进展。",
                          f"{_title(plan).en}: the review date {review.due} passed without a check-in; "
                          "please talk with the employee about their progress."),
            )  # fmt: skip
        Review.objects.filter(pk__in=[r.pk for r in fresh]).update(reminded_on=day)
        audit_record_many(
            actor=None,
            events=[{"action": "improvement.remind", "obj": r.plan, "after": {"review": r.pk, "due": r.due.isoformat()}}
                    for r in fresh],
        )  # fmt: skip
    return len(fresh)
