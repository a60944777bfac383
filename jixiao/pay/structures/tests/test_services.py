"""Pay structure and net profit services on a real database: the net profit workflow,
immutability, corrections and structures with effective dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.pay.structures import services
from jixiao.pay.structures.models import NetProfit, PayStructure

pytestmark = pytest.mark.django_db


def approved(p: Any, year: int, fen: int) -> NetProfit:
    profit = services.net_profit_enter(user=p["finance"], year=year, amount_fen=fen)
    profit = services.net_profit_transition(user=p["finance"], profit=profit, action="submit")
    return services.net_profit_transition(user=p["leader"], profit=profit, action="approve")


def test_finance_enters_and_the_leader_approves_net_profit(personas: Any) -> None:
    profit = approved(personas, 2024, 300_000_000)
    assert profit.status == "approved" and profit.approved_by == personas["leader"]
    actions = list(
        AuditEvent.objects.filter(object_type=profit._meta.label_lower, object_id=str(profit.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["profit.enter", "profit.submit", "profit.approve"]


@pytest.mark.parametrize("who", ["hr", "head", "employee", "leader"])
def test_only_finance_enters_net_profit(personas: Any, who: str) -> None:
    with pytest.raises(PermissionRefused):
        services.net_profit_enter(user=personas[who], year=2024, amount_fen=1)


@pytest.mark.parametrize("who", ["finance", "hr", "deputy"])
def test_only_the_leader_approves_net_profit(personas: Any, who: str) -> None:
    profit = services.net_profit_enter(user=personas["finance"], year=2024, amount_fen=1)
    profit = services.net_profit_transition(user=personas["finance"], profit=profit, action="submit")
    with pytest.raises(PermissionRefused):
        services.net_profit_transition(user=personas[who], profit=profit, action="approve")


def test_approved_net_profit_cannot_be_edited(personas: Any) -> None:
    profit = approved(personas, 2024, 300_000_000)
    profit.amount_fen = 1
    with pytest.raises(JixiaoError):
        profit.save()
    assert NetProfit.objects.get(pk=profit.pk).amount_fen == 300_000_000


def test_a_correction_needs_a_reason_and_supersedes_once_approved(personas: Any) -> None:
    first = approved(personas, 2024, 300_000_000)
    with pytest.raises(JixiaoError):
        services.net_profit_enter(user=personas["finance"], year=2024, amount_fen=310_000_000)
    fix = services.net_profit_enter(
        user=personas["finance"], year=2024, amount_fen=310_000_000, reason="审计调整"
    )
    assert fix.supersedes == first
    fix = services.net_profit_transition(user=personas["finance"], profit=fix, action="submit")
    services.net_profit_transition(user=personas["leader"], profit=fix, action="approve")
    first.refresh_from_db()
    assert first.status == "superseded" and first.amount_fen == 300_000_000


def test_a_new_structure_closes_the_previous_one(personas: Any) -> None:
    amounts = {"base_salary": 100, "monthly_bonus_base": 10, "travel_per_day": 1, "annual_bonus_role": ""}
    services.pay_structure_set(
        user=personas["hr"], position=personas.position, effective_from=dt.date(2024, 1, 1), **amounts
    )
    services.pay_structure_set(
        user=personas["hr"], position=personas.position, effective_from=dt.date(2025, 1, 1), **amounts
    )
    rows = list(PayStructure.objects.filter(position=personas.position).order_by("effective_from"))
    assert rows[0].effective_to == dt.date(2024, 12, 31) and rows[1].effective_to is None
    with pytest.raises(PermissionRefused):
        services.pay_structure_set(
            user=personas["finance"],
            position=personas.position,
            effective_from=dt.date(2026, 1, 1),
            **amounts,
        )
