"""Cadre review and promotion: the writes (issue 13). Each function checks permission, validates
its input through ``common.validators``, writes through the workflow primitives (one audit event
per step) and tells the people concerned. Refusals are ``JixiaoError`` and write nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser, actor_for, stored_user
from jixiao.access.policy import require
from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError, Problem
from jixiao.common.validators import parse_date, parse_int, parse_text
from jixiao.engine import eligibility as engine
from jixiao.engine.text import Text
from jixiao.notifications.services import notify, users_with_roles
from jixiao.org.models import Employee, Position
from jixiao.org.services import position_change_record
from jixiao.pay.monthly.models import RUN_RELEASED, MonthlyPayRun
from jixiao.workflow.services import audited_create, audited_write, locked, transition_apply

from .history import candidates_for, eligibility_of
from .models import (
    CRITERIA,
    OPEN,
    CycleKind,
    EligibilityRule,
    Evaluation,
    Nomination,
    NominationConflict,
    Potential,
    PotentialRating,
    State,
)
from .quota import quota_after
from .separation import refresh
from .workflow import NOMINATION

REASON_LENGTH = 2000
HR = ("hr_officer", "hr_supervisor")
COMMITTEE = ("committee_leader", "committee_deputy", "committee_member")


def _text(value: object, zh: str, en: str, *, required: bool = True) -> str:
    return parse_text(value, field=Text(zh, en), max_length=REASON_LENGTH, required=required)


def _tell(nomination: Nomination, who: Iterable[Any], kind: str, zh: str, en: str, user: ActingUser) -> None:
    """A notification naming the nomination and the target post only (no scores)."""
    title = Text(f"晋升提名 {nomination.reference}", f"Nomination {nomination.reference}")
    notify(
        recipients=who,
        kind=kind,
        text=Text(title.zh + zh, title.en + en),
        link=nomination.link,
        exclude=[user],
    )


# -- eligibility rules (HR) ---------------------------------------------------------------------


def _assign(values: Mapping[str, Any]) -> Any:
    """A change that sets ``values`` on the locked record."""

    def change(record: Any) -> None:
        for name, value in values.items():
            setattr(record, name, value)

    return change


def _rule_values(data: Mapping[str, Any]) -> dict[str, Any]:
    kind = str(data.get("cycle_kind", ""))
    if kind not in CycleKind.values:
        raise JixiaoError(zh="请选择考核周期类型。", en="Choose a kind of cycle.", code="cycle_kind")
    values = {
        "cycle_kind": kind,
        "cycle_count": parse_int(data.get("cycle_count"), field=Text("最近几个周期", "Last cycles"), minimum=1,
                                 maximum=engine.MAX_COUNT),
        "min_grade": parse_text(data.get("min_grade"), field=Text("最低等级", "Lowest grade"), max_length=8,
                                required=True).upper(),
        "min_months_in_post": parse_int(data.get("min_months_in_post", 0), field=Text("任现职至少（月）", "Months in post"),
                                        minimum=0, maximum=engine.MAX_MONTHS),
        "no_veto": bool(data.get("no_veto")),
        "no_open_plan": bool(data.get("no_open_plan")),
        "note": _text(data.get("note", ""), "说明", "Note", required=False),
    }  # fmt: skip
    if not str(values["min_grade"]).isalnum():
        raise JixiaoError(zh="等级应是字母，如 B。", en="A grade is a letter such as B.", code="min_grade")
    return values


def eligibility_rule_save(
    *, user: ActingUser, level: int, data: Mapping[str, Any], version: int | None = None
) -> EligibilityRule:
    """Set the conditions for promotion to positions of ``level`` (1..99), audited."""
    require(user, "cadre_rule.manage")
    level = parse_int(level, field=Text("目标职级", "Target level"), minimum=1, maximum=99)
    values = _rule_values(data)
    values["updated_by"] = cast(Any, stored_user(user))
    existing = EligibilityRule.objects.filter(level=level).first()
    if existing is None:
        return audited_create(
            user=user, obj=EligibilityRule(level=level, **values), action="eligibility_rule.create"
        )
    return audited_write(
        user=user,
        obj=existing,
        action="eligibility_rule.update",
        expected_version=version,
        change=_assign(values),
        skip_unchanged=True,
    )


# -- nomination (a head) ------------------------------------------------------------------------


def _eligibility_now(employee: Employee, target: Position) -> engine.Eligibility:
    today = timezone.localdate()
    rule = EligibilityRule.objects.filter(level=target.level).first()
    return eligibility_of(rule, target.level, candidates_for([employee], today)[employee.pk], today)


def _nomination_checked(employee: Employee, target: Position) -> None:
    if employee.position_id == target.pk:
        raise JixiaoError(
            zh=f"{employee.name}已任“{target.title}”。", en=f"{employee.name} already holds “{target.title}”.",
            code="same_position", status=409,
        )  # fmt: skip
    if Nomination.objects.filter(nominee=employee, target=target, state__in=OPEN).exists():
        raise JixiaoError(
            zh=f"{employee.name}已有拟任“{target.title}”的提名在办理中。",
            en=f"{employee.name} already has an open nomination for “{target.title}”.",
            code="nomination_open", status=409,
        )  # fmt: skip


def nomination_create(
    *, user: ActingUser, employee: Employee, target: Position, reason: str, override_reason: str = ""
) -> Nomination:
    """A head nominates a person of their department for ``target``. Eligibility is checked now;
    an ineligible person needs ``override_reason``. The committee and HR are told."""
    require(user, "cadre.nominate", employee)
    reason = _text(reason, "提名理由", "Reason")
    override_reason = _text(
        override_reason, "不符合条件仍提名的理由", "Reason to nominate anyway", required=False
    )
    with transaction.atomic():
        employee = locked(Employee, employee.pk)
        require(user, "cadre.nominate", employee)
        _nomination_checked(employee, target)
        found = _eligibility_now(employee, target)
        if not found.eligible and not override_reason:
            raise JixiaoError(
                zh=f"{employee.name}不符合任职条件（{'；'.join(c.label.zh for c in found.unmet)}），提名须说明理由。",
                en=f"{employee.name} does not meet the conditions; a nomination anyway needs a reason.",
                code="ineligible", problems=[Problem(zh="请填写理由。", en="Give a reason.", where="override_reason")],
            )  # fmt: skip
        nomination = Nomination(
            nominee=employee, target=target, department_id=employee.department_id,
            nominated_by=cast(Any, stored_user(user)), nominator_id=actor_for(user).employee_id,
            reason=reason, eligible=found.eligible, override_reason="" if found.eligible else override_reason,
        )  # fmt: skip
        nomination.save()
        refresh(nomination)
        audited_create(user=user, obj=nomination, action="nomination.nominate", reason=reason)
        _tell(nomination, [*users_with_roles(*COMMITTEE), *users_with_roles(*HR)], "nomination.filed",
              f"：{employee.name}拟任“{target.title}”，请考核小组评议。",
              f": {employee.name} for “{target.title}”; the committee evaluates.", user)  # fmt: skip
    return nomination


# -- the committee ------------------------------------------------------------------------------


def _points(values: Mapping[str, Any]) -> dict[str, int]:
    points: dict[str, int] = {}
    for key, label, top in CRITERIA:
        points[key] = parse_int(values.get(key), field=label, minimum=0, maximum=top)
    return points


def nomination_score(
    *, user: ActingUser, nomination: Nomination, points: Mapping[str, Any], comment: str
) -> Evaluation:
    """A committee member scores the nominee (each criterion 0..its points, and a comment); a
    second submission replaces their own evaluation. Refused to the nominee, their reporting
    line, the nominator and anyone who declared a conflict."""
    given = _points(points)
    comment = _text(comment, "评语", "Comment")
    evaluator = cast(Any, stored_user(user))
    saved: list[Evaluation] = []

    def change(n: Nomination) -> None:
        refresh(n)
        evaluation, _created = Evaluation.objects.update_or_create(
            nomination=n, evaluator=evaluator,
            defaults={"points": given, "total": sum(given.values()), "comment": comment},
        )  # fmt: skip
        saved.append(evaluation)

    transition_apply(
        user=user, workflow=NOMINATION, obj=nomination, action="score", change=change,
        fields=("state",), extra={"points": given, "total": sum(given.values()), "comment": comment},
    )  # fmt: skip
    return saved[0]


def nomination_conflict_declare(
    *, user: ActingUser, nomination: Nomination, reason: str
) -> NominationConflict:
    """A committee member declares a conflict of interest (a relative, a close colleague …): they
    may no longer score or decide it; an evaluation they already gave no longer counts (removed,
    audited)."""
    require(user, "nomination.declare", nomination)
    reason = _text(reason, "回避理由", "Reason")
    with transaction.atomic():
        current = locked(Nomination, nomination.pk)
        require(user, "nomination.declare", current)
        me = actor_for(user).user_id or 0
        if current.conflicts.filter(user_id=me).exists():
            raise JixiaoError(
                zh="你已声明回避。", en="You already declared a conflict.", code="declared", status=409
            )
        conflict = NominationConflict(nomination=current, user=cast(Any, stored_user(user)), reason=reason)
        audited_create(user=user, obj=conflict, action="nomination_conflict.declare", reason=reason)
        dropped = current.evaluations.filter(evaluator_id=me)
        for evaluation in dropped:
            audit_record(actor=user, action="evaluation.void", obj=evaluation,
                         before={"points": evaluation.points, "total": evaluation.total}, reason=reason)  # fmt: skip
        dropped.delete()
        refresh(current)
        current.save(update_fields=["conflicted", "barred", "leader_barred"])
    return conflict


def nomination_close(*, user: ActingUser, nomination: Nomination, version: int | None = None) -> Nomination:
    """End the evaluation: the nomination goes to the leader, who is told."""
    with transaction.atomic():
        done = transition_apply(
            user=user,
            workflow=NOMINATION,
            obj=nomination,
            action="end_evaluation",
            expected_version=version,
            change=refresh,
        )
        _tell(done, _deciders(done), "nomination.evaluated", "：考核小组评议结束，请审批。",
              ": the committee's evaluation is done; please decide.", user)  # fmt: skip
    return done


def nomination_reopen(
    *, user: ActingUser, nomination: Nomination, reason: str, version: int | None = None
) -> Nomination:
    reason = _text(reason, "理由", "Reason")
    return transition_apply(
        user=user, workflow=NOMINATION, obj=nomination, action="reopen", reason=reason, expected_version=version,
        change=refresh,
    )  # fmt: skip


def _deciders(nomination: Nomination) -> list[int]:
    role = "committee_deputy" if nomination.leader_barred else "committee_leader"
    return [u for u in users_with_roles(role) if u not in nomination.conflicted]


# -- the decision (the leader) ------------------------------------------------------------------


def nomination_approve(
    *,
    user: ActingUser,
    nomination: Nomination,
    effective: Any,
    reason: str = "",
    quota_reason: str = "",
    version: int | None = None,
) -> Nomination:
    """The leader approves: the change of post is recorded from ``effective`` (the monthly pay
    follows from that date). Over the target's quota (编制) the approval needs ``quota_reason``.
    The nominee and the nominator are told the outcome."""
    effective = _effective_checked(effective)
    reason = _text(reason, "审批意见", "Decision note", required=False)
    quota_reason = _text(quota_reason, "超编理由", "Reason to exceed the quota", required=False)

    def change(n: Nomination) -> None:
        quota, after = quota_after(n, effective)
        if after > quota and not quota_reason:
            raise JixiaoError(
                zh=f"“{n.target.title}”编制 {quota} 人，批准后为 {after} 人，超编须说明理由。",
                en=f"“{n.target.title}” has a quota of {quota}; approving makes {after}: exceeding it needs a reason.",
                code="over_quota", status=409,
                problems=[Problem(zh="请填写超编理由。", en="Give the reason to exceed the quota.", where="quota_reason")],
            )  # fmt: skip
        note = f"晋升（提名 {n.reference}）" + (f"：{reason}" if reason else "")
        n.position_change = position_change_record(
            user=user,
            employee=n.nominee,
            position=n.target,
            effective=effective,
            reason=note,
            source=n.source,
        )
        n.effective, n.over_quota = effective, after > quota
        n.quota_reason = quota_reason if after > quota else ""
        _decided(n, user, reason)

    with transaction.atomic():
        done = transition_apply(
            user=user, workflow=NOMINATION, obj=nomination, action="approve", reason=reason,
            expected_version=version, change=change,
        )  # fmt: skip
        _tell_outcome(done, user)
    return done


def _effective_checked(value: Any) -> dt.date:
    """A date from which the new post's pay can still be paid: not inside a month already released."""
    effective = parse_date(value, field=Text("生效日期", "Effective date"))
    month = f"{effective.year:04d}-{effective.month:02d}"
    released = (
        MonthlyPayRun.objects.filter(status__in=RUN_RELEASED, month__gte=month).order_by("-month").first()
    )
    if released is not None:
        raise JixiaoError(
            zh=f"{released.month} 的薪酬已发放，生效日期应在其后。",
            en=f"Pay for {released.month} is released: the effective date must come after it.",
            code="effective", status=409,
            problems=[Problem(zh="请选择较晚的生效日期。", en="Choose a later date.", where="effective")],
        )  # fmt: skip
    return effective


def _decided(n: Nomination, user: ActingUser, reason: str) -> None:
    n.decision_reason = reason
    n.decided_by = cast(Any, stored_user(user))
    n.decided_at = timezone.now()


def _tell_outcome(nomination: Nomination, user: ActingUser) -> None:
    nominee_user = Employee.objects.filter(pk=nomination.nominee_id).values_list("user_id", flat=True).first()
    _tell(nomination, [nominee_user, nomination.nominated_by_id], "nomination.decided", "：已有审批结果。",
          ": decided.", user)  # fmt: skip


def nomination_reject(
    *, user: ActingUser, nomination: Nomination, reason: str, version: int | None = None
) -> Nomination:
    """The leader does not approve (with the reason). The nominee and the nominator are told."""
    reason = _text(reason, "不予批准的理由", "Reason")
    with transaction.atomic():
        done = transition_apply(
            user=user, workflow=NOMINATION, obj=nomination, action="reject", reason=reason,
            expected_version=version, change=lambda n: _decided(n, user, reason),
        )  # fmt: skip
        _tell_outcome(done, user)
    return done


def nomination_withdraw(
    *, user: ActingUser, nomination: Nomination, reason: str, version: int | None = None
) -> Nomination:
    """The nominating head withdraws the nomination while the committee evaluates it."""
    reason = _text(reason, "撤回理由", "Reason")
    return transition_apply(
        user=user,
        workflow=NOMINATION,
        obj=nomination,
        action="withdraw",
        reason=reason,
        expected_version=version,
    )


# The nomination page's small steps, the rule each needs (to find the nomination) and its service.
STEP_RULES = {
    "end_evaluation": "nomination.close",
    "reopen": "nomination.close",
    "reject": "nomination.decide",
    "withdraw": "nomination.withdraw",
}


def nomination_step(
    *, user: ActingUser, nomination: Nomination, op: str, reason: str, version: int | None
) -> Nomination:
    """One of the page's small steps by name (``STEP_RULES``); an unknown name is refused."""
    if op == "end_evaluation":
        return nomination_close(user=user, nomination=nomination, version=version)
    if op == "reopen":
        return nomination_reopen(user=user, nomination=nomination, reason=reason, version=version)
    if op == "reject":
        return nomination_reject(user=user, nomination=nomination, reason=reason, version=version)
    if op == "withdraw":
        return nomination_withdraw(user=user, nomination=nomination, reason=reason, version=version)
    raise JixiaoError(zh="没有这一步。", en="There is no such step.", code="action")


# -- potential (the committee) ------------------------------------------------------------------


def potential_rate(
    *, user: ActingUser, employee: Employee, year: Any, level: str, reason: str
) -> PotentialRating:
    """The committee rates a cadre's potential for ``year`` (low / medium / high, with a reason);
    rating again replaces the year's rating (audited)."""
    require(user, "cadre.potential", employee)
    year = parse_int(year, field=Text("年度", "Year"), minimum=2000, maximum=2100)
    if level not in Potential.values:
        raise JixiaoError(
            zh="请选择潜力：低、中或高。", en="Choose a potential: low, medium or high.", code="level"
        )
    reason = _text(reason, "理由", "Reason")
    values = {"level": level, "reason": reason, "rated_by": cast(Any, stored_user(user))}
    with transaction.atomic():
        existing = PotentialRating.objects.select_for_update().filter(employee=employee, year=year).first()
        if existing is None:
            return audited_create(user=user, obj=PotentialRating(employee=employee, year=year, **values),
                                  action="potential.rate", reason=reason)  # fmt: skip
        return audited_write(
            user=user, obj=existing, action="potential.rate", reason=reason,
            change=_assign(values),
        )  # fmt: skip


__all__ = [
    "State",
    "eligibility_rule_save",
    "nomination_approve",
    "nomination_close",
    "nomination_conflict_declare",
    "nomination_create",
    "nomination_reject",
    "nomination_reopen",
    "nomination_score",
    "nomination_step",
    "nomination_withdraw",
    "potential_rate",
]
