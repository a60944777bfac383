"""Monthly pay pages through real HTTP: compute, release, payroll export, travel days import,
completion, sanctions, and each person's own monthly pay with its trace."""

from __future__ import annotations

import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.common.excel import read_xlsx
from jixiao.pay.monthly.models import MonthlyPayRun, Sanction, TravelDays
from jixiao.pay.monthly.tests.world import MONTH, locked_month, ready_month, released_run, structures

pytestmark = pytest.mark.django_db


def test_computing_an_unlocked_month_shows_why_on_the_page(personas: Any, client_for: Any) -> None:
    locked_month(personas, lock=False)
    structures(personas)
    response = client_for("hr").post(reverse("pay:monthly_runs"), {"month": MONTH})
    assert response.status_code == 200
    assert "尚未锁定" in response.content.decode()
    assert not MonthlyPayRun.objects.exists()


def test_hr_computes_and_releases_a_month_on_the_pages(personas: Any, client_for: Any) -> None:
    ready_month(personas)
    hr = client_for("hr")
    response = hr.post(reverse("pay:monthly_runs"), {"month": MONTH})
    run = MonthlyPayRun.objects.get(month=MONTH)
    assert response.status_code == 302 and response["Location"] == reverse(
        "pay:monthly_run_detail", args=[run.pk]
    )
    html = hr.get(response["Location"]).content.decode()
    assert "销售部 小计" in html and "90%" in html
    assert hr.post(reverse("pay:monthly_run_release", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.status == "released"


def test_others_pay_read_on_the_run_page_is_audited(personas: Any, client_for: Any) -> None:
    run = released_run(personas)
    client_for("finance").get(reverse("pay:monthly_run_detail", args=[run.pk]))
    event = AuditEvent.objects.filter(action="pay.read", object_id=str(run.pk)).last()
    assert event is not None and str(personas.employees["employee"].pk) in event.body


def test_the_payroll_export_keeps_text_as_text_and_reconciles_to_the_fen(
    personas: Any, client_for: Any
) -> None:
    employee = personas.employees["employee"]
    employee.name = "=1+1"
    employee.save()
    run = released_run(personas)
    url = reverse("pay:monthly_run_export", args=[run.pk])
    assert client_for("finance").post(url, {"reason": ""}).status_code == 400
    response = client_for("finance").post(url, {"reason": "发放十月工资"})
    assert response.status_code == 200
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(b"".join(response.streaming_content))
        handle.flush()
        rows = next(iter(read_xlsx(Path(handle.name)).values()))
    assert any(row[2] == "=1+1" for row in rows)
    people = [r for r in rows[1:] if r[1]]
    subtotal = next(r for r in rows if str(r[0]).endswith("小计"))
    company = rows[-1]
    assert company[0] == "公司合计"
    for column in range(7, 14):
        cents = sum(round(Decimal(str(r[column])) * 100) for r in people)
        assert (
            cents == round(Decimal(str(subtotal[column])) * 100) == round(Decimal(str(company[column])) * 100)
        )
    assert round(Decimal(str(company[13])) * 100) == run.total_fen
    event = AuditEvent.objects.filter(action="pay.export", object_id=str(run.pk)).get()
    assert "发放十月工资" in event.body


def test_an_employee_sees_their_released_monthly_pay_with_its_trace(personas: Any, client_for: Any) -> None:
    ready_month(personas)
    from jixiao.pay.monthly import services as monthly_services

    run = monthly_services.monthly_pay_run_compute(user=personas["hr"], month=MONTH)
    assert f'data-month="{MONTH}"' not in client_for("employee").get(reverse("pay:my_pay")).content.decode()
    monthly_services.monthly_pay_run_release(user=personas["hr"], run=run)
    html = client_for("employee").get(reverse("pay:my_pay")).content.decode()
    line = run.lines.get(employee=personas.employees["employee"])
    assert f'data-month="{MONTH}"' in html and "base * completion * coefficient" in html
    assert html.count('class="my-month"') == 1
    from jixiao.engine.money import format_yuan

    assert format_yuan(line.total_fen) in html


def test_a_head_does_not_see_their_peoples_monthly_pay(personas: Any, client_for: Any) -> None:
    run = released_run(personas)
    head = client_for("head")
    assert head.get(reverse("pay:monthly_run_detail", args=[run.pk])).status_code == 403
    assert head.get(reverse("pay:my_pay")).content.decode().count('class="my-month"') == 1


def csv_upload(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("travel.csv", text.encode(encoding), content_type="text/csv")


def test_a_travel_file_with_an_error_imports_nothing_and_names_row_and_column(
    personas: Any, client_for: Any
) -> None:
    body = "工号,姓名,出差天数\nP001,测试employee,2.5\nP002,测试colleague,abc\nX999,谁,1\n"
    response = client_for("hr").post(reverse("pay:travel_import"), {"month": MONTH, "file": csv_upload(body)})
    html = response.content.decode()
    assert response.status_code == 200 and "未导入任何数据" in html
    assert "<td>3</td><td>出差天数</td>" in html and "<td>4</td><td>工号</td>" in html
    assert not TravelDays.objects.exists()


def test_travel_days_import_the_valid_rows_when_asked_gbk_too(personas: Any, client_for: Any) -> None:
    body = "工号,姓名,出差天数\nP001,测试employee,2.5\nP002,测试colleague,abc\n"
    client_for("hr").post(
        reverse("pay:travel_import"),
        {"month": MONTH, "file": csv_upload(body, "gbk"), "valid_rows_only": "on"},
    )
    assert list(TravelDays.objects.values_list("employee__number", "days", "source")) == [
        ("P001", "2.5", "import")
    ]


def test_travel_template_lists_people_and_manual_entry_saves(personas: Any, client_for: Any) -> None:
    hr = client_for("hr")
    response = hr.get(reverse("pay:travel_template"), {"month": MONTH})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    response = hr.post(reverse("pay:travel"), {"month": MONTH, "employee": "P001", "days": "3"})
    assert response.status_code == 302
    assert TravelDays.objects.get(employee=personas.employees["employee"], month=MONTH).days == "3"
    response = hr.post(reverse("pay:travel"), {"month": MONTH, "employee": "P001", "days": "40"})
    assert "0 到 31" in response.content.decode()


def test_the_committee_records_completion_on_the_page(personas: Any, client_for: Any) -> None:
    data = {"department": personas.department.pk, "month": MONTH, "rate": "95%", "note": "季度目标完成"}
    assert client_for("member").post(reverse("pay:completions"), data).status_code == 302
    assert "95%" in client_for("finance").get(reverse("pay:completions")).content.decode()
    assert client_for("finance").post(reverse("pay:completions"), data).status_code == 403


def test_hr_proposes_and_the_supervisor_approves_a_sanction_on_the_pages(
    personas: Any, client_for: Any
) -> None:
    data = {"employee": "P001", "month": MONTH, "kind": "reward", "amount": "300", "reason": "客户书面表扬"}
    assert client_for("hr").post(reverse("pay:sanctions"), data).status_code == 302
    sanction = Sanction.objects.get()
    assert sanction.amount_fen == 30_000
    html = client_for("hr").get(reverse("pay:sanctions")).content.decode()
    assert 'data-action="approve"' not in html  # the proposer gets no approve button
    assert reverse("pay:completions") in client_for("member").get(reverse("pay:sanctions")).content.decode()
    url = reverse("pay:sanction_decide", args=[sanction.pk])
    assert client_for("hr").post(url, {"action": "approve"}).status_code == 403
    assert client_for("hrsup").post(url, {"action": "approve"}).status_code == 302
    assert Sanction.objects.get().status == "approved"


def test_the_run_page_query_count_does_not_grow_with_its_lines(personas: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jixiao.org.models import Employee

    run = released_run(personas)
    finance = client_for("finance")
    url = reverse("pay:monthly_run_detail", args=[run.pk])
    finance.get(url)
    with CaptureQueriesContext(connection) as few:
        finance.get(url)
    for n in range(6):
        Employee.objects.create(
            number=f"Q{n}", name=f"新人{n}", department=personas.department, position=personas.position
        )
    ready_month(personas, "2027-02")  # February's cycle opens with the newcomers in it
    from jixiao.pay.monthly import services as monthly_services

    bigger = monthly_services.monthly_pay_run_compute(user=personas["hr"], month="2027-02")
    assert bigger.lines.count() > run.lines.count()
    with CaptureQueriesContext(connection) as many:
        finance.get(reverse("pay:monthly_run_detail", args=[bigger.pk]))
    assert len(many) <= len(few)  # the released page also lists its adjustments (one query)


@pytest.mark.parametrize("name", ["hr", "hrsup", "leader", "deputy", "finance"])
def test_the_run_list_offers_only_the_pages_the_user_may_open(name: str, client_for: Any) -> None:
    """The travel days page is HR's (travel.manage: the HR officer and supervisor): the committee
    and finance read the run list but get no link to it; every link the list offers opens."""
    client = client_for(name)
    html = client.get(reverse("pay:monthly_runs")).content.decode()
    links = re.search(r'<p class="links">(.*?)</p>', html, re.S)
    hrefs = re.findall(r'href="([^"]+)"', links.group(1)) if links else []
    assert (reverse("pay:travel") in hrefs) == (name in {"hr", "hrsup"})
    assert reverse("pay:completions") in hrefs and reverse("pay:sanctions") in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, href
