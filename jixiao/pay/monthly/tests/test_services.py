"""Monthly pay services on a real database: inputs, the locked-cycle gate, sanctions and their
approvers, the bonus pool at release, immutability and corrections, and the command."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.engine.money import to_fen
from jixiao.pay.monthly import sanctions
from jixiao.pay.monthly import services as ms
from jixiao.pay.monthly.models import MonthlyPayLine, MonthlyPayRun, Sanction
from jixiao.pay.monthly.tests.world import MONTH, locked_month, ready_month, released_run, structures
from jixiao.pay.structures.models import PayStructure

pytestmark = pytest.mark.django_db


def line_of(run: MonthlyPayRun, p: Any, name: str = "employee") -> MonthlyPayLine:
    return run.lines.get(employee=p.employees[name])


def approved_sanction(p: Any, kind: str, fen: int, month: str = MONTH) -> Sanction:
    s = sanctions.sanction_propose(
        user=p["hr"],
        employee=p.employees["employee"],
        month=month,
        kind=kind,
        amount_fen=fen,
        reason="客户表扬信",
    )
    return sanctions.sanction_decide(user=p["hrsup"], sanction=s, action="approve")


def test_a_month_whose_cycle_is_not_locked_is_refused_in_both_languages(personas: Any) -> None:
    locked_month(personas, lock=False)
    structures(personas)
    with pytest.raises(JixiaoError) as refused:
        ms.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    assert refused.value.code == "cycle_not_locked"
    assert "尚未锁定" in refused.value.zh and "not locked" in refused.value.en


def test_a_month_without_a_cycle_is_refused(personas: Any) -> None:
    with pytest.raises(JixiaoError) as refused:
        ms.monthly_pay_run_compute(user=personas["hr"], month="2030-02")
    assert refused.value.code == "no_cycle"


def test_a_missing_department_completion_is_named(personas: Any) -> None:
    locked_month(personas)
    structures(personas)
    with pytest.raises(JixiaoError) as refused:
        ms.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    assert any("工作完成情况" in p.zh for p in refused.value.problems)


def test_pay_is_base_plus_formula_bonus_plus_travel_with_its_trace(personas: Any) -> None:
    ready_month(personas)
    ms.travel_days_set(user=personas["hr"], employee=personas.employees["employee"], month=MONTH, days="2.5")
    run = ms.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    line = line_of(run, personas)
    coefficient = line.coefficient
    # 1000 × 0.9 × coefficient, rounded half-up to the fen once; 2.5 days × 200.
    expected_bonus = to_fen(Decimal(1000) * Decimal("0.9") * Decimal(coefficient))
    assert line.monthly_bonus_fen == expected_bonus
    assert (line.base_salary_fen, line.travel_fen) == (400_000, 50_000)
    assert line.total_fen == 400_000 + expected_bonus + 50_000
    assert "base * completion * coefficient" in line.trace.render("zh")
    assert line.trace.steps[-1].render("zh").startswith("应发合计")
    assert run.total_fen == sum(run.lines.values_list("total_fen", flat=True))


def test_the_structure_in_force_on_the_last_day_of_the_month_is_used(personas: Any) -> None:
    ready_month(personas)
    from jixiao.pay.structures.services import pay_structure_set

    pay_structure_set(
        user=personas["hr"],
        position=personas.position,
        effective_from=dt.date(2027, 1, 15),
        base_salary=500_000,
        monthly_bonus_base=100_000,
        travel_per_day=20_000,
        annual_bonus_role="",
    )
    pay_structure_set(
        user=personas["hr"],
        position=personas.position,
        effective_from=dt.date(2027, 2, 1),
        base_salary=900_000,
        monthly_bonus_base=100_000,
        travel_per_day=20_000,
        annual_bonus_role="",
    )
    run = ms.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    line = line_of(run, personas)
    assert line.base_salary_fen == 500_000 and line.inputs["structure_from"] == "2027-01-15"


def test_approved_rewards_and_penalties_flow_into_the_months_pay(personas: Any) -> None:
    ready_month(personas)
    approved_sanction(personas, "reward", 30_000)
    approved_sanction(personas, "penalty", 10_000)
    sanctions.sanction_propose(
        user=personas["hr"],
        employee=personas.employees["employee"],
        month=MONTH,
        kind="reward",
        amount_fen=99_900,
        reason="未批准的不计入",
    )
    line = line_of(ms.monthly_pay_run_compute(user=personas["hr"], month=MONTH), personas)
    assert (line.reward_fen, line.penalty_fen) == (30_000, 10_000)
    assert line.total_fen == line.base_salary_fen + line.monthly_bonus_fen + line.travel_fen + 20_000
    assert "奖励 +300.00" in line.trace.render("zh")


def test_nobody_approves_a_sanction_they_proposed(personas: Any) -> None:
    s = sanctions.sanction_propose(
        user=personas["hrsup"],
        employee=personas.employees["employee"],
        month=MONTH,
        kind="reward",
        amount_fen=100,
        reason="自己提的",
    )
    with pytest.raises(PermissionRefused):
        sanctions.sanction_decide(user=personas["hrsup"], sanction=s, action="approve")
    sanctions.sanction_decide(user=personas["leader"], sanction=s, action="approve")


@pytest.mark.parametrize("who", ["hr", "head", "employee", "finance", "deputy"])
def test_only_the_hr_supervisor_or_the_committee_leader_approves_sanctions(personas: Any, who: str) -> None:
    s = sanctions.sanction_propose(
        user=personas["member"],
        employee=personas.employees["employee"],
        month=MONTH,
        kind="penalty",
        amount_fen=100,
        reason="迟到",
    )
    with pytest.raises(PermissionRefused):
        sanctions.sanction_decide(user=personas[who], sanction=s, action="approve")


def test_hr_releases_within_the_pool_and_the_release_is_audited(personas: Any) -> None:
    ready_month(personas)
    run = ms.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    assert run.over_budget_fen == 0
    run = ms.monthly_pay_run_release(user=personas["hr"], run=run)
    assert run.status == "released"
    assert AuditEvent.objects.filter(action="monthly_run.release", object_id=str(run.pk)).exists()


def test_over_the_pool_only_the_leader_releases_and_only_with_a_reason(personas: Any) -> None:
    ready_month(personas)
    approved_sanction(personas, "reward", 900_000)
    run = ms.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    assert run.over_budget_fen > 0
    with pytest.raises(JixiaoError) as refused:
        ms.monthly_pay_run_release(user=personas["hr"], run=run, over_budget_reason="照发吧")
    assert refused.value.code == "over_budget"
    with pytest.raises(JixiaoError):
        ms.monthly_pay_run_release(user=personas["leader"], run=run)
    run = ms.monthly_pay_run_release(
        user=personas["leader"], run=run, over_budget_reason="年度重大贡献，小组决定"
    )
    assert run.over_budget_reason == "年度重大贡献，小组决定"


def test_released_pay_is_immutable_and_its_inputs_are_frozen(personas: Any) -> None:
    run = released_run(personas)
    line = line_of(run, personas)
    line.total_fen += 1
    with pytest.raises(JixiaoError):
        line.save()
    run.total_fen += 1
    with pytest.raises(JixiaoError):
        run.save()
    with pytest.raises(JixiaoError):
        ms.travel_days_set(user=personas["hr"], employee=personas.employees["employee"], month=MONTH, days=1)
    with pytest.raises(JixiaoError):
        ms.completion_record(user=personas["hr"], department=personas.department, month=MONTH, rate="100%")
    with pytest.raises(JixiaoError):
        ms.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    assert MonthlyPayLine.objects.get(pk=line.pk).total_fen == line.total_fen - 1


def test_a_correction_is_an_adjustment_with_its_reason_paid_in_a_later_month(personas: Any) -> None:
    run = released_run(personas)
    employee = personas.employees["employee"]
    with pytest.raises(JixiaoError):
        ms.pay_adjustment_record(
            user=personas["hr"], run=run, employee=employee, amount_fen=100, reason="", month="2027-02"
        )
    ms.pay_adjustment_record(
        user=personas["hr"],
        run=run,
        employee=employee,
        amount_fen=-5_000,
        reason="1月出差天数多录了",
        month="2027-02",
    )
    ready_month(personas, "2027-02")
    line = line_of(ms.monthly_pay_run_compute(user=personas["hr"], month="2027-02"), personas)
    assert line.adjustment_fen == -5_000
    assert "1月出差天数多录了" in line.trace.render("zh")


def test_completion_changes_before_release_are_audited_with_before_and_after(personas: Any) -> None:
    ms.completion_record(user=personas["member"], department=personas.department, month=MONTH, rate="90%")
    row = ms.completion_record(user=personas["hr"], department=personas.department, month=MONTH, rate="0.95")
    assert row.rate == "0.95" and row.recorded_by == personas["hr"]
    event = AuditEvent.objects.filter(action="completion.record").order_by("-seq").first()
    assert event is not None and "0.9" in event.body and "0.95" in event.body


@pytest.mark.parametrize("who", ["head", "employee", "finance"])
def test_heads_employees_and_finance_do_not_record_completion(personas: Any, who: str) -> None:
    with pytest.raises(PermissionRefused):
        ms.completion_record(user=personas[who], department=personas.department, month=MONTH, rate="90%")


def test_the_command_computes_releases_and_prints_totals(personas: Any) -> None:
    ready_month(personas)
    out = StringIO()
    call_command("pay", "run", MONTH, "--release", stdout=out)
    run = MonthlyPayRun.objects.get(month=MONTH, status="released")
    from jixiao.engine.money import format_yuan

    assert f"公司合计 company total: {format_yuan(run.total_fen)}" in out.getvalue()
    assert "销售部" in out.getvalue()


def test_the_command_refuses_an_unlocked_month(personas: Any) -> None:
    locked_month(personas, lock=False)
    with pytest.raises(CommandError, match="not locked"):
        call_command("pay", "run", MONTH)


def test_a_structure_missing_for_a_position_is_named(personas: Any) -> None:
    ready_month(personas)
    PayStructure.objects.filter(position=personas.position).delete()
    with pytest.raises(JixiaoError) as refused:
        ms.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    assert any("薪酬结构" in p.zh for p in refused.value.problems)


def test_a_sanction_for_someone_outside_the_cycle_is_noted_not_lost_silently(personas: Any) -> None:
    ready_month(personas)
    sanctions.sanction_decide(
        user=personas["leader"],
        sanction=sanctions.sanction_propose(
            user=personas["hr"],
            employee=personas.employees["finance"],
            month=MONTH,
            kind="reward",
            amount_fen=100,
            reason="不在考核名单",
        ),
        action="approve",
    )
    run = ms.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    assert not run.lines.filter(employee=personas.employees["finance"]).exists()
    assert any(personas.employees["finance"].number in note["zh"] for note in run.notes)
