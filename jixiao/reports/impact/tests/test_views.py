"""The preview's pages per persona, hostile N, the reason-gated Excel download, and the plan
page's section."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from jixiao.audit.models import AuditEvent

from .world import new_version, paid_cycle

pytestmark = pytest.mark.django_db

MONEY = "原月度奖金"


@pytest.fixture
def version(personas: Any) -> Any:
    paid_cycle(personas)
    return new_version(personas, {"conversion": "10", "satisfaction": "40"})


def test_hr_sees_scores_grades_bonuses_the_chart_and_who_moved(client_for: Any, version: Any) -> None:
    page = client_for("hr").get(reverse("impact:plan", args=[version.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and MONEY in html and "测试employee" in html
    assert "转化率" in html and "客户满意度" in html  # the indicators that moved the two who changed
    assert "950.00" in html and "760.00" in html and "1,140.00" in html  # to the fen


@pytest.mark.parametrize("name", ["member", "head"])
def test_a_committee_member_and_the_head_see_scores_but_no_money(
    client_for: Any, version: Any, name: str
) -> None:
    html = client_for(name).get(reverse("impact:plan", args=[version.pk])).content.decode()
    assert "测试employee" in html and MONEY not in html and "950.00" not in html


@pytest.mark.parametrize(("name", "status"), [("admin", 403), ("other_head", 404), ("employee", 404)])
def test_others_are_refused(client_for: Any, version: Any, name: str, status: int) -> None:
    assert client_for(name).get(reverse("impact:plan", args=[version.pk])).status_code == status


HOSTILE = ["0", "13", "-1", "1e30", "nan", "x" * 20000, "[]", "３", "1.5", " 99"]


@pytest.mark.parametrize("n", HOSTILE)
def test_a_hostile_number_of_cycles_is_refused_in_both_languages(
    client_for: Any, version: Any, n: str
) -> None:
    client = client_for("hr")
    url = reverse("impact:plan", args=[version.pk])
    zh = client.get(url, {"n": n})
    assert zh.status_code == 400 and "周期数应为 1 到 12 的整数" in zh.content.decode()
    client.cookies["django_language"] = "en"
    en = client.get(url, {"n": n})
    assert en.status_code == 400 and "must be a whole number from 1 to 12" in en.content.decode()


def test_twelve_cycles_is_the_most_and_is_allowed(client_for: Any, version: Any) -> None:
    assert client_for("hr").get(reverse("impact:plan", args=[version.pk]), {"n": "12"}).status_code == 200


def test_the_download_asks_a_reason_and_records_one_event(client_for: Any, version: Any) -> None:
    client = client_for("hr")
    url = reverse("impact:plan_xlsx", args=[version.pk]) + "?n=3"
    refused = client.post(url, {"reason": "x"})
    assert refused.status_code == 400 and not AuditEvent.objects.filter(action="export.personal").exists()
    answer = client.post(url, {"reason": "委员会审议前核对影响"})
    assert answer.status_code == 200 and answer.content[:2] == b"PK"
    body = json.loads(AuditEvent.objects.get(action="export.personal").body)
    assert body["after"] == {
        "what": "reports.impact",
        "rows": 9,
        "scope": f"department:{version.department_id}",
    }
    assert body["reason"] == "委员会审议前核对影响"
    assert client.get(url).status_code == 405
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        assert "xl/charts/chart1.xml" in archive.namelist()  # the distribution, as a native chart
    book = CalamineWorkbook.from_filelike(io.BytesIO(answer.content))
    cells = {
        str(c) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for c in row
    }
    assert {"测试employee", "转化率", "客户满意度"} <= cells


def test_the_plan_page_loads_the_section_for_reviewers_only(client_for: Any, version: Any) -> None:
    section = reverse("impact:plan_section", args=[version.pk])
    detail = reverse("plans:plan_detail", args=[version.pk])
    assert section in client_for("hr").get(detail).content.decode()
    assert section not in client_for("admin").get(detail).content.decode()
    fragment = client_for("deputy").get(section).content.decode()
    assert (
        "<svg" in fragment and "转化率" in fragment and reverse("impact:plan", args=[version.pk]) in fragment
    )


def test_a_plan_of_a_department_without_closed_cycles_says_so(client_for: Any, personas: Any) -> None:
    from jixiao.org.models import Department
    from jixiao.plans.services import plan_create

    office = Department.objects.get(code="P-OFFICE")
    plan = plan_create(
        user=personas["hr"],
        department=office,
        name="综合部考核细则",
        framework=personas.plans["framework"],
        content=personas.plans["published"].content,
    )
    page = client_for("hr").get(reverse("impact:plan", args=[plan.pk]))
    assert page.status_code == 200 and "还没有已关闭的考核周期" in page.content.decode()


def test_a_version_the_engine_cannot_read_is_refused_not_a_500(client_for: Any, version: Any) -> None:
    from jixiao.plans.models import Plan

    broken = {**version.content, "indicators": [{"key": "x", "name_zh": "坏", "kind": "no-such-kind"}]}
    Plan.objects.filter(pk=version.pk).update(content=broken, version=version.version + 1)
    page = client_for("hr").get(reverse("impact:plan", args=[version.pk]))
    assert page.status_code == 400 and "新版本的内容无法读取" in page.content.decode()


@pytest.mark.parametrize("name", ["hr", "member", "admin", "employee"])
def test_hostile_values_everywhere_never_answer_500_nor_record_a_refused_export(
    client_for: Any, version: Any, name: str
) -> None:
    client = client_for(name)
    for url_name in ("impact:plan", "impact:plan_section", "impact:plan_xlsx"):
        url = reverse(url_name, args=[version.pk])
        for value in ("1e30", "nan", "-1", "x" * 20000, "0x1", "[]", ""):
            params = {"n": value, "page": value, "q": value, "format": value}
            assert client.get(url, params).status_code < 500
            before = AuditEvent.objects.filter(action="export.personal").count()
            answer = client.post(f"{url}?n={value[:100]}", {"reason": value, "n": value})
            assert answer.status_code < 500
            if answer.status_code != 200:
                assert AuditEvent.objects.filter(action="export.personal").count() == before
