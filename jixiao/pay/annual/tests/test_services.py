"""Annual bonus services on a real database: runs and export."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.pay.annual import services
from jixiao.pay.annual.models import AnnualBonusRun
from jixiao.pay.annual.tests.world import pay_world
from jixiao.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_run_pays_the_department_from_the_approved_profit_and_sums_to_the_fen(personas: Any) -> None:
    world = pay_world(personas)
    world["run"].lines.all().delete()
    AnnualBonusRun.objects.filter(pk=world["run"].pk).update(status="computed")
    # The plan was returned by HR: nothing is computed from it, and the refusal names it and its state.
    with pytest.raises(JixiaoError) as refused:
        services.annual_bonus_run_compute(user=personas["hr"], department=personas.department, year=2025)
    assert world["plan"].name in refused.value.zh and "已退回修改" in refused.value.zh
    assert "not published" in refused.value.en
    assert AnnualBonusRun.objects.count() == 1
    Plan.objects.filter(pk=world["plan"].pk).update(status="published")
    run = services.annual_bonus_run_compute(user=personas["hr"], department=personas.department, year=2025)
    lines = list(run.lines.all())
    # 3,000,000 at bracket: manager 1 % = 30,000 each; the clerks are employed all year.
    assert {ln.employee_id for ln in lines} == {
        personas.employees["employee"].pk,
        personas.employees["colleague"].pk,
    }
    assert all(ln.amount_fen == 3_000_000 for ln in lines)
    assert run.total_fen == sum(ln.amount_fen for ln in lines)
    assert run.plan_status == "published"
    assert AnnualBonusRun.objects.get(pk=world["run"].pk).status == "superseded"
    services.annual_bonus_run_release(user=personas["hr"], run=run)
    with pytest.raises(JixiaoError):
        services.annual_bonus_run_release(user=personas["hr"], run=run)


def test_a_run_is_not_released_once_its_plan_is_no_longer_published(personas: Any) -> None:
    world = pay_world(personas)
    Plan.objects.filter(pk=world["plan"].pk).update(status="published")
    AnnualBonusRun.objects.filter(pk=world["run"].pk).update(status="superseded")
    run = services.annual_bonus_run_compute(user=personas["hr"], department=personas.department, year=2025)
    Plan.objects.filter(pk=world["plan"].pk).update(status="superseded")
    with pytest.raises(JixiaoError) as refused:
        services.annual_bonus_run_release(user=personas["hr"], run=AnnualBonusRun.objects.get(pk=run.pk))
    assert refused.value.code == "plan_not_published"
    assert AnnualBonusRun.objects.get(pk=run.pk).status == "computed"


def test_export_needs_a_reason_and_is_audited(personas: Any) -> None:
    run = pay_world(personas)["run"]
    with pytest.raises(JixiaoError):
        services.pay_export(user=personas["finance"], run=run, reason="")
    with pytest.raises(PermissionRefused):
        services.pay_export(user=personas["head"], run=run, reason="想看看")
    book = services.pay_export(user=personas["finance"], run=run, reason="发放年度奖金")
    assert book.getvalue()[:2] == b"PK"
    event = AuditEvent.objects.get(action="pay.export")
    assert "发放年度奖金" in event.body
