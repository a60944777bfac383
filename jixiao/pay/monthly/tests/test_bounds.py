"""Money within sane bounds (decision 33): hostile amounts are refused with a message naming the
field and the limit, never a 500; large rewards need the committee leader and a reason; the
what-if simulator refuses oversized requests without computing them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.common.errors import JixiaoError
from jixiao.pay.annual.tests.world import pay_world
from jixiao.pay.monthly import sanctions
from jixiao.pay.monthly.models import Sanction
from jixiao.pay.monthly.tests.world import MONTH
from jixiao.pay.structures import services as structure_services
from jixiao.pay.structures.models import NetProfit

pytestmark = pytest.mark.django_db


def propose(p: Any, fen: int, who: str = "hr") -> Sanction:
    return sanctions.sanction_propose(
        user=p[who],
        employee=p.employees["employee"],
        month=MONTH,
        kind="reward",
        amount_fen=fen,
        reason="表彰",
    )


def test_a_reward_of_a_quadrillion_yuan_is_refused_and_nothing_is_written(personas: Any) -> None:
    with pytest.raises(JixiaoError) as refused:
        propose(personas, 999_999_999_999_999 * 100)
    assert "奖惩金额超出上限" in refused.value.zh and "10,000,000.00" in refused.value.zh
    assert "over the limit" in refused.value.en
    assert not Sanction.objects.exists()


def test_a_reward_above_the_threshold_is_approved_only_by_the_leader_with_a_reason(personas: Any) -> None:
    big = propose(personas, 60_000 * 100)
    with pytest.raises(JixiaoError) as refused:
        sanctions.sanction_decide(
            user=personas["hrsup"], sanction=big, action="approve", note="业绩突出，特批"
        )
    assert refused.value.code == "second_approval"
    with pytest.raises(JixiaoError) as refused:
        sanctions.sanction_decide(user=personas["leader"], sanction=big, action="approve")
    assert "写明理由" in refused.value.zh
    assert Sanction.objects.get(pk=big.pk).status == "proposed"
    done = sanctions.sanction_decide(
        user=personas["leader"], sanction=big, action="approve", note="业绩突出，特批"
    )
    assert done.status == "approved"
    small = propose(personas, 50_000 * 100)  # at the threshold: the HR supervisor approves as before
    assert (
        sanctions.sanction_decide(user=personas["hrsup"], sanction=small, action="approve").status
        == "approved"
    )


@pytest.mark.parametrize("amount", ["1e30", "999999999999999", "-1e30"])
def test_hostile_net_profit_is_refused_on_the_form(personas: Any, client_for: Any, amount: str) -> None:
    response = client_for("finance").post(reverse("pay:profits"), {"year": 2024, "amount": amount})
    assert response.status_code in (200, 400)
    assert not NetProfit.objects.filter(year=2024).exists()


def test_net_profit_over_the_ceiling_is_refused_by_the_service(personas: Any) -> None:
    with pytest.raises(JixiaoError) as refused:
        structure_services.net_profit_enter(user=personas["finance"], year=2024, amount_fen=10**32)
    assert "2024 年净利润超出上限" in refused.value.zh


@pytest.mark.parametrize(
    "query",
    [
        {"profits": "1e30"},
        {"profits": "nan"},
        {"profits": ",".join(["1"] * 501)},
        {"start": "0", "stop": "1e10", "step": "1"},
        {"start": "0", "stop": "10000000000", "step": "0.01"},
        {"start": "1e30", "stop": "1e31", "step": "1e29"},
    ],
)
def test_the_simulator_refuses_huge_requests_with_a_message(
    personas: Any, client_for: Any, query: Any
) -> None:
    plan = pay_world(personas)["plan"]
    response = client_for("hr").get(reverse("pay:bonus_plan", kwargs={"pk": plan.pk}), query)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error"' in html
    assert "data-profit=" not in html  # nothing computed


def test_the_simulator_computes_a_range_of_500_points(personas: Any, client_for: Any) -> None:
    plan = pay_world(personas)["plan"]
    query = {"start": "0", "stop": "499", "step": "1"}
    html = client_for("hr").get(reverse("pay:bonus_plan", kwargs={"pk": plan.pk}), query).content.decode()
    assert html.count("data-profit=") == 500
