"""Annual bonus services on a real database: runs and export."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.pay.annual import services
from jixiao.pay.annual.models import AnnualBonusRun
from jixiao.pay.annual.tests.world import pay_world

pytestmark = pytest.mark.django_db


def test_run_pays_the_department_from_the_approved_profit_and_sums_to_the_fen(personas: Any) -> None:
    world = pay_world(personas)
    world["run"].lines.all().delete()
    AnnualBonusRun.objects.filter(pk=world["run"].pk).update(status="computed")
    run = services.annual_bonus_run_compute(user=personas["hr"], department=personas.department, year=2025)
    lines = list(run.lines.all())
    # 3,000,000 at bracket: manager 1 % = 30,000 each; the clerks are employed all year.
    assert {ln.employee_id for ln in lines} == {
        personas.employees["employee"].pk,
        personas.employees["colleague"].pk,
    }
    assert all(ln.amount_fen == 3_000_000 for ln in lines)
    assert run.total_fen == sum(ln.amount_fen for ln in lines)
    assert run.plan_status == "returned"
    assert AnnualBonusRun.objects.get(pk=world["run"].pk).status == "superseded"
    services.annual_bonus_run_release(user=personas["hr"], run=run)
    with pytest.raises(JixiaoError):
        services.annual_bonus_run_release(user=personas["hr"], run=run)


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
