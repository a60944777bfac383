"""Monthly pay writes (§4, §7): travel days, department completion, the monthly pay run, its
release and corrections. Each service checks access and state and writes through the workflow
primitives (one transaction, one audit event). A released month is never edited."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.audit.services import audit_record, snapshot
from jixiao.common.errors import JixiaoError
from jixiao.engine.money import parse_rate, plain
from jixiao.engine.text import Text
from jixiao.notifications.services import notify
from jixiao.org.models import Department, Employee
from jixiao.pay.bounds import money_checked
from jixiao.workflow.services import audited_create, audited_write, transition_apply
from jixiao.workflow.table import allowed

from . import calculation
from .inputs import month_inputs
from .models import (
    RUN_RELEASED,
    DepartmentCompletion,
    MonthlyPayLine,
    MonthlyPayRun,
    PayAdjustment,
    TravelDays,
)
from .months import (
    MAX_COMPLETION,
    locked_cycle,
    month_check,
    parse_days,
    refuse_if_released,
    who,
)
from .workflow import MONTHLY_RUN, over_budget


def _upsert(user: ActingUser, row: Any, action: str, values: dict[str, Any]) -> Any:
    """Change an existing row in place (locked, audited with before and after) or create it."""

    def change(obj: Any) -> None:
        for name, value in values.items():
            setattr(obj, name, value)

    if row.pk is None:
        change(row)
        return audited_create(user=user, obj=row, action=action)
    return audited_write(user=user, obj=row, action=action, change=change)


@transaction.atomic
def travel_days_set(
    *, user: ActingUser, employee: Employee, month: str, days: Any, source: str = "manual"
) -> TravelDays:
    """Set ``employee``'s travel days in ``month`` (HR); refused once the month is released."""
    require(user, "travel.manage")
    month = month_check(month)
    try:
        value = parse_days(days)
    except ValueError:
        raise JixiaoError(
            zh="出差天数应为 0 到 31 之间的数，可以是半天（如 2.5）。",
            en="Travel days must be between 0 and 31, in half days (e.g. 2.5).",
        ) from None
    refuse_if_released(month, "出差天数", "travel days")
    row = TravelDays.objects.filter(employee=employee, month=month).first() or TravelDays(
        employee=employee, month=month
    )
    values = {"days": plain(value), "source": source, "entered_by": who(user)}
    return _upsert(user, row, "travel.set", values)  # type: ignore[no-any-return]


@transaction.atomic
def completion_record(
    *, user: ActingUser, department: Department, month: str, rate: Any, note: str = ""
) -> DepartmentCompletion:
    """Record ``department``'s work completion for ``month`` (``95%`` or ``0.95``), by the
    committee or HR; a change before release is audited with its before and after."""
    require(user, "completion.record")
    month = month_check(month)
    try:
        value = parse_rate(rate)
    except ValueError:
        value = Decimal(-1)
    if not (0 <= value <= MAX_COMPLETION):
        raise JixiaoError(
            zh="完成率应在 0% 到 200% 之间，例如 95%。",
            en="Completion must be between 0% and 200%, e.g. 95%.",
        )
    refuse_if_released(month, "工作完成情况", "work completion")
    row = DepartmentCompletion.objects.filter(department=department, month=month).first()
    row = row or DepartmentCompletion(department=department, month=month)
    values = {"rate": plain(value), "note": note.strip(), "recorded_by": who(user)}
    return _upsert(user, row, "completion.record", values)  # type: ignore[no-any-return]


def _lines(run: MonthlyPayRun, result: calculation.Computed) -> list[MonthlyPayLine]:
    return [
        MonthlyPayLine(
            run=run,
            employee_id=ln.employee_id,
            department_id=ln.department_id,
            position_id=ln.position_id,
            base_salary_fen=ln.base_salary_fen,
            monthly_bonus_fen=ln.monthly_bonus_fen,
            travel_fen=ln.travel_fen,
            reward_fen=ln.reward_fen,
            penalty_fen=ln.penalty_fen,
            adjustment_fen=ln.adjustment_fen,
            total_fen=ln.total_fen,
            completion=ln.completion,
            coefficient=ln.coefficient,
            travel_days=ln.travel_days,
            inputs=ln.inputs,
            engine_version=ln.engine_version,
        )
        for ln in result.lines
    ]


@transaction.atomic
def monthly_pay_run_compute(*, user: ActingUser, month: str) -> MonthlyPayRun:
    """Compute ``month``'s pay from its locked cycle; an earlier unreleased run is superseded,
    a released month is refused (corrections are adjustments)."""
    require(user, "monthly_run.compute")
    cycle = locked_cycle(month)
    runs = MonthlyPayRun.objects.select_for_update().filter(month=month)
    if runs.filter(status__in=RUN_RELEASED).exists():
        refuse_if_released(month, "薪酬", "pay")
    departments, people, notes = month_inputs(month, cycle)
    result = calculation.compute(month, departments, people)
    for old in runs.filter(status=MonthlyPayRun.Status.COMPUTED):
        transition_apply(user=user, workflow=MONTHLY_RUN, obj=old, action="supersede")
    run = MonthlyPayRun.objects.create(
        month=month,
        cycle=cycle,
        total_fen=result.total_fen,
        budget=[b.as_dict() for b in result.budgets],
        over_budget_fen=result.over_budget_fen,
        computed_by=who(user),
        notes=notes,
    )
    MonthlyPayLine.objects.bulk_create(_lines(run, result))
    audit_record(
        actor=user, action="monthly_run.compute", obj=run, after={**snapshot(run), "lines": len(result.lines)}
    )
    return run


def _released(run: MonthlyPayRun, *, user: ActingUser, reason: str) -> None:
    run.released_by, run.released_at = who(user), timezone.now()
    if run.over_budget_fen > 0:
        run.over_budget_reason = reason
    _tell_paid(run)


def _tell_paid(run: MonthlyPayRun) -> None:
    """Tell each person paid in ``run`` that their pay is released (no amount: the page shows it)."""
    paid = MonthlyPayLine.objects.filter(run=run).values_list("employee__user_id", flat=True)
    notify(
        recipients=[user_id for user_id in paid if user_id],
        kind="pay.released",
        text=Text(
            f"{run.month} 的月度薪酬已发放，请在“我的薪酬”中查看。",
            f"Your pay for {run.month} is released; see it under My pay.",
        ),
        link=reverse("pay:my_pay"),
    )


def monthly_pay_run_release(
    *, user: ActingUser, run: MonthlyPayRun, over_budget_reason: str = ""
) -> MonthlyPayRun:
    """Release a computed run (HR): its people see their lines, and it is never edited again.
    Over any department's bonus pool only the committee leader may release, with a reason."""
    require(user, "monthly_run.release", run)
    reason = over_budget_reason.strip()
    action = "release"
    if run.over_budget_fen > 0:
        if not allowed(user, "monthly_run.release_over_budget", run) or len(reason) < 4:
            raise over_budget(run)
        action = "release_over_budget"
    return transition_apply(
        user=user,
        workflow=MONTHLY_RUN,
        obj=run,
        action=action,
        reason=reason,
        change=partial(_released, user=user, reason=reason),
        extra={"total_fen": run.total_fen},
    )


@transaction.atomic
def pay_adjustment_record(
    *, user: ActingUser, run: MonthlyPayRun, employee: Employee, amount_fen: int, reason: str, month: str
) -> PayAdjustment:
    """Correct released pay: ``amount_fen`` (negative takes back) for ``employee``, paid in the
    not yet released ``month``, with its reason."""
    require(user, "adjustment.record")
    amount_fen = money_checked(amount_fen, Text("调整金额", "The adjustment"))
    month = month_check(month)
    if not run.is_released:
        raise JixiaoError(
            zh="只有已发放的薪酬需要更正调整；未发放的请重新计算。",
            en="Only released pay is corrected by an adjustment; recompute an unreleased run.",
            status=409,
        )
    if not run.lines.filter(employee=employee).exists():
        raise JixiaoError(zh="此人不在该月薪酬中。", en="This person is not in that month's pay.")
    if amount_fen == 0 or len(reason.strip()) < 4:
        raise JixiaoError(zh="调整须有金额并写明原因。", en="An adjustment needs an amount and its reason.")
    if month <= run.month:
        raise JixiaoError(
            zh=f"调整计入的月份须晚于 {run.month}。",
            en=f"The adjustment must be paid in a month after {run.month}.",
        )
    refuse_if_released(month, "薪酬", "pay")
    row = PayAdjustment(
        employee=employee,
        corrects=run,
        month=month,
        amount_fen=amount_fen,
        reason=reason.strip(),
        recorded_by=who(user),
    )
    return audited_create(user=user, obj=row, action="pay.adjust", reason=row.reason)
