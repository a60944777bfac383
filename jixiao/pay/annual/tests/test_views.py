"""Pay pages: the what-if figures, the SVG cliffs, my pay with its trace, reads logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.demo.plans import DATA
from jixiao.engine.toml_format import load_pay
from jixiao.pay.annual.chart import bonus_chart
from jixiao.pay.annual.tests.world import pay_world

pytestmark = pytest.mark.django_db


def test_what_if_shows_the_director_cliff_at_three_million(personas: Any, client_for: Any) -> None:
    plan = pay_world(personas)["plan"]
    url = reverse("pay:bonus_plan", kwargs={"pk": plan.pk})
    html = client_for("hr").get(url, {"profits": "2999999,3000000"}).content.decode()
    assert 'data-profit="299999900"' in html and "119,999.96" in html
    assert 'data-profit="300000000"' in html and "180,000.00" in html
    assert "自动检查" in html  # the lint panel
    assert "已退回" in html  # the plan's state is shown with the figures


def test_the_chart_marks_every_cliff() -> None:
    plan = load_pay((DATA / "pay_marketing.toml").read_text("utf-8")).annual_bonus
    assert plan is not None
    svg = bonus_chart(plan, 0, 600_000_000)
    assert svg.startswith("<svg") and "<script" not in svg
    for bound in (200_000_000, 300_000_000, 500_000_000):
        assert f'data-bound="{bound}"' in svg
    assert "+60,000.00" in svg  # one fen below 300万 pays 120,000.00


def test_every_cliff_label_stays_inside_the_chart() -> None:
    import re

    from jixiao.common.charts import text_width
    from jixiao.pay.annual.chart import RIGHT, WIDTH

    plan = load_pay((DATA / "pay_marketing.toml").read_text("utf-8")).annual_bonus
    assert plan is not None
    svg = bonus_chart(plan, 0, 600_000_000)
    labels = re.findall(r'<text x="([\d.]+)"[^>]*fill="#dc2626"( text-anchor="end")?>([^<]+)</text>', svg)
    assert len(labels) == 3
    for x, anchored_end, label in labels:
        left, right = (
            (float(x) - text_width(label), float(x))
            if anchored_end
            else (float(x), float(x) + text_width(label))
        )
        assert left >= 0 and right <= WIDTH - RIGHT, label
    assert any(end and "500万" in label for _, end, label in labels)  # the 500万 label turns left


def test_employee_sees_only_their_own_pay_with_its_trace(personas: Any, client_for: Any) -> None:
    pay_world(personas)
    html = client_for("employee").get(reverse("pay:my_pay")).content.decode()
    assert "30,000.00" in html and "为什么是这个数" in html
    assert "30,000.00" not in client_for("colleague").get(reverse("pay:my_pay")).content.decode()


def test_reading_other_peoples_pay_is_audited(personas: Any, client_for: Any) -> None:
    run = pay_world(personas)["run"]
    assert client_for("finance").get(reverse("pay:run_detail", kwargs={"pk": run.pk})).status_code == 200
    event = AuditEvent.objects.get(action="pay.read")
    assert str(personas.employees["employee"].pk) in event.body


def test_export_without_a_reason_is_refused(personas: Any, client_for: Any) -> None:
    run = pay_world(personas)["run"]
    url = reverse("pay:run_export", kwargs={"pk": run.pk})
    assert client_for("finance").post(url, {"reason": ""}).status_code == 400
    response = client_for("finance").post(url, {"reason": "发放年度奖金"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


def test_finance_enters_profit_through_the_page(personas: Any, client_for: Any) -> None:
    response = client_for("finance").post(reverse("pay:profits"), {"year": 2024, "amount": "300万"})
    assert response.status_code == 302
    html = client_for("leader").get(reverse("pay:profits")).content.decode()
    assert "3,000,000.00" in html


def test_the_annual_run_page_query_count_does_not_grow_with_its_lines(personas: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jixiao.org.models import Employee
    from jixiao.pay.annual.models import AnnualBonusLine

    run = pay_world(personas)["run"]
    finance = client_for("finance")
    url = reverse("pay:run_detail", args=[run.pk])
    finance.get(url)
    with CaptureQueriesContext(connection) as few:
        assert finance.get(url).status_code == 200
    for n in range(6):
        employee = Employee.objects.create(
            number=f"Q{n}", name=f"新人{n}", department=personas.department, position=personas.position
        )
        AnnualBonusLine.objects.create(
            run=run,
            employee=employee,
            role="manager",
            rate="0.01",
            full_fen=3_000_000,
            months_eligible=12,
            proration="12/12",
            amount_fen=3_000_000,
            inputs={},
        )
    with CaptureQueriesContext(connection) as many:
        assert finance.get(url).status_code == 200
    assert len(many) == len(few)
