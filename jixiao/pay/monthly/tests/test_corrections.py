"""Pay corrections after a recheck (复核): the adjustment is the line recomputed with the new
coefficient minus the line as paid, to the fen; the next month's run pays it and its page and
trace show the reason and the case; nothing released, no adjustment."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError
from jixiao.cycles.results.models import Result
from jixiao.cycles.results.recheck import Corrections, recheck_apply
from jixiao.engine.text import Text
from jixiao.pay.monthly import calculation
from jixiao.pay.monthly import services as monthly_services
from jixiao.pay.monthly.corrections import first_open_month, pay_adjustment_for_recheck
from jixiao.pay.monthly.inputs import month_inputs
from jixiao.pay.monthly.models import PayAdjustment

from .world import MONTH, ready_month, released_run

BEST = Corrections(
    measures={"orders": "40", "inquiries": "100", "satisfaction": "98", "response_seconds": "20"},
    ratings={
        ("teamwork", "manager"): "excellent",
        ("teamwork", "peer"): "excellent",
        ("attitude", "manager"): "excellent",
        ("attitude", "self"): "excellent",
    },
)
REASON = Text("申诉复核后考核系数变化", "Coefficient changed by the appeal's recheck")


def _recheck(p: Any, run: Any) -> tuple[Result, Any]:
    result = Result.objects.select_related("member__snapshot", "member__department", "cycle").get(
        cycle=run.cycle, member__employee=p.employees["employee"]
    )
    version = recheck_apply(
        user=p["leader"], result=result, corrections=BEST, reason="漏录数据", source="appeal:7"
    )
    result.refresh_from_db()
    assert result.coefficient != version.figures["coefficient"]
    return result, version


def _adjust(p: Any, month: str, before: str, after: str, who: str = "employee") -> PayAdjustment | None:
    return pay_adjustment_for_recheck(
        user=p["leader"],
        employee_id=p.employees[who].pk,
        month=month,
        coefficient_before=before,
        coefficient_after=after,
        reason=REASON,
        source="appeal:7",
    )


@pytest.mark.django_db
def test_the_adjustment_is_the_fresh_line_minus_the_paid_line_and_next_month_pays_it(
    personas: Any, client_for: Any
) -> None:
    p = personas
    run = released_run(p)
    paid = run.lines.get(employee=p.employees["employee"])
    result, version = _recheck(p, run)

    adjustment = _adjust(p, MONTH, version.figures["coefficient"], result.coefficient)

    assert adjustment is not None
    departments, people, _notes = month_inputs(MONTH, run.cycle)  # a fresh computation, new coefficient
    fresh = {line.employee_id: line for line in calculation.compute(MONTH, departments, people).lines}
    assert adjustment.amount_fen == fresh[paid.employee_id].total_fen - paid.total_fen != 0
    assert (adjustment.corrects_id, adjustment.month, adjustment.source) == (run.pk, "2027-02", "appeal:7")
    assert AuditEvent.objects.filter(action="pay.adjust", object_id=str(adjustment.pk)).count() == 1

    ready_month(p, "2027-02")
    february = monthly_services.monthly_pay_run_compute(user=p["hr"], month="2027-02")
    line = february.lines.get(employee=p.employees["employee"])
    assert line.adjustment_fen == adjustment.amount_fen
    steps = [step.label.zh + step.formula.zh for step in line.trace.steps if step.code == "adjustment"]
    assert len(steps) == 1 and REASON.zh in steps[0] and "申诉 AP-7" in steps[0]
    page = client_for("hr").get(reverse("pay:monthly_run_detail", args=[february.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="paid-adjustments"' in html
    assert REASON.zh in html and "申诉 AP-7" in html and "appeal:7" not in html
    monthly_services.monthly_pay_run_release(
        user=p["leader"], run=february, over_budget_reason="测试：超出奖金池照发"
    )
    mine = client_for("employee").get(reverse("pay:my_pay")).content.decode()
    assert REASON.zh in mine and "申诉 AP-7" in mine


@pytest.mark.django_db
def test_rechecks_telescope_and_nothing_released_or_nothing_changed_gives_none(personas: Any) -> None:
    p = personas
    run = released_run(p)
    paid = run.lines.get(employee=p.employees["employee"])
    first = _adjust(p, MONTH, paid.coefficient, "1.2")
    second = _adjust(p, MONTH, "1.2", "0.8")
    direct = _adjust(p, MONTH, paid.coefficient, "0.8")
    assert first is not None and second is not None and direct is not None
    assert first.amount_fen + second.amount_fen == direct.amount_fen
    assert _adjust(p, MONTH, "1.2", "1.2") is None  # nothing changes
    assert _adjust(p, "2027-03", paid.coefficient, "1.2") is None  # no released pay that month
    assert _adjust(p, MONTH, paid.coefficient, "1.2", who="worker") is None  # no line in it
    assert first_open_month("2026-12") == "2027-02"  # January is released


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["nan", "1e30", "-1", "9" * 20000, ""])
def test_a_hostile_coefficient_is_refused_and_nothing_written(personas: Any, value: str) -> None:
    p = personas
    run = released_run(p)
    paid = run.lines.get(employee=p.employees["employee"])
    with pytest.raises(JixiaoError) as refused:
        _adjust(p, MONTH, paid.coefficient, value)
    assert "考核系数" in refused.value.zh
    assert not PayAdjustment.objects.exists()


@pytest.mark.django_db
def test_a_run_computed_before_the_adjustment_is_not_released_until_computed_again(personas: Any) -> None:
    """The adjustment names the month it is paid in; a run of that month computed before it was
    recorded would be released without it, and the month would then be closed to it forever."""
    p = personas
    run = released_run(p)
    ready_month(p, "2027-02")
    early = monthly_services.monthly_pay_run_compute(user=p["hr"], month="2027-02")
    result, version = _recheck(p, run)
    adjustment = _adjust(p, MONTH, version.figures["coefficient"], result.coefficient)
    assert adjustment is not None and adjustment.month == "2027-02"

    with pytest.raises(JixiaoError) as refused:
        monthly_services.monthly_pay_run_release(user=p["leader"], run=early, over_budget_reason="照发")
    assert refused.value.code == "stale_run" and "薪酬调整" in refused.value.zh
    early.refresh_from_db()
    assert not early.is_released

    again = monthly_services.monthly_pay_run_compute(user=p["hr"], month="2027-02")
    monthly_services.monthly_pay_run_release(user=p["leader"], run=again, over_budget_reason="照发")
    assert again.lines.get(employee=p.employees["employee"]).adjustment_fen == adjustment.amount_fen
