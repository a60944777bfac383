"""Pay access per persona: ``scope`` ⇔ ``can`` on real lines; heads see no one else's pay."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.access.policy import can, scope
from jixiao.demo.personas import PERSONA_NAMES
from jixiao.pay.annual.models import AnnualBonusLine, AnnualBonusRun
from jixiao.pay.annual.tests.world import pay_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["released", "computed"])
def test_scope_and_can_agree_on_pay_lines(personas: Any, status: str) -> None:
    world = pay_world(personas)
    AnnualBonusRun.objects.filter(pk=world["run"].pk).update(status=status)
    for name in PERSONA_NAMES:
        visible = set(
            scope(personas[name], "pay_line.view", AnnualBonusLine.objects.all()).values_list("pk", flat=True)
        )
        for line in AnnualBonusLine.objects.select_related("run"):
            assert (line.pk in visible) == can(personas[name], "pay_line.view", line), name


@pytest.mark.parametrize(
    ("name", "sees"),
    [("employee", True), ("colleague", False), ("head", False), ("other_head", False), ("member", False),
     ("auditor", False), ("hr", True), ("finance", True), ("leader", True), ("anonymous", False)],
)  # fmt: skip
def test_who_sees_the_employees_released_annual_bonus(personas: Any, name: str, sees: bool) -> None:
    line = pay_world(personas)["line"]
    assert can(personas[name], "pay_line.view", line) is sees


def test_an_employee_does_not_see_their_line_before_release(personas: Any) -> None:
    world = pay_world(personas)
    AnnualBonusRun.objects.filter(pk=world["run"].pk).update(status="computed")
    line = AnnualBonusLine.objects.select_related("run").get(pk=world["line"].pk)
    assert not can(personas["employee"], "pay_line.view", line)


def test_monthly_pay_lines_scope_and_can_agree_for_every_persona(personas: Any) -> None:
    from jixiao.pay.monthly import services as monthly_services
    from jixiao.pay.monthly.models import MonthlyPayLine
    from jixiao.pay.monthly.tests.world import ready_month, released_run

    released_run(personas)
    ready_month(personas, "2027-02")
    monthly_services.monthly_pay_run_compute(user=personas["hr"], month="2027-02")
    lines = list(MonthlyPayLine.objects.select_related("run"))
    assert {ln.run.status for ln in lines} == {"released", "computed"}
    for name in PERSONA_NAMES:
        visible = set(
            scope(personas[name], "monthly_line.view", MonthlyPayLine.objects.all()).values_list(
                "pk", flat=True
            )
        )
        for line in lines:
            assert (line.pk in visible) == can(personas[name], "monthly_line.view", line), (name, line)
    own = scope(personas["employee"], "monthly_line.view", MonthlyPayLine.objects.all())
    assert list(own.values_list("run__month", flat=True)) == ["2027-01"]
    assert not scope(
        personas["head"],
        "monthly_line.view",
        MonthlyPayLine.objects.exclude(employee=personas.employees["head"]),
    ).exists()
