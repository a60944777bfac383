"""The calibration page's grade distribution in Excel (issue 14 item 6): the page's counts, a
plain download naming nobody (no reason, nothing audited), HR and the committee only."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.audit.tests.sheets import table_in
from jixiao.cycles.results.tests.scenario import recheck_cycle

pytestmark = pytest.mark.django_db

HEADER = ["部门", "人数", "等级", "计算结果人数", "当前人数", "占比", "配额", "情况"]
LINE = re.compile(
    r'<tr[^>]*><td>([^<]+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">([\d.]+)%</td>'
)


def test_the_download_holds_the_distribution_the_page_shows(personas: Any, client_for: Any) -> None:
    cycle = recheck_cycle(personas)
    client = client_for("hr")
    page = client.get(reverse("cycles:calibration", args=[cycle.pk])).content.decode()
    shown = [
        (grade, int(before), int(now), Decimal(share)) for grade, before, now, share in LINE.findall(page)
    ]
    response = client.get(reverse("cycles:distribution_export", args=[cycle.pk]))
    assert response.status_code == 200
    rows = table_in(response, HEADER)
    got = [
        (row[2], int(row[3]), int(row[4]), (Decimal(str(row[5])) * 100).quantize(Decimal("0.1")))
        for row in rows
    ]
    assert got == shown and len(shown) >= 8  # two departments and the company, four grades each
    assert {row[0] for row in rows} == {personas.department.name, personas.other_department.name, "全公司"}
    assert not any(personas.employees["employee"].name in str(cell) for row in rows for cell in row)
    assert not AuditEvent.objects.filter(action="export.personal").exists()
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        assert any(name.startswith("xl/charts/chart") for name in book.namelist())  # a native chart


def test_the_page_offers_a_plain_download_link(personas: Any, client_for: Any) -> None:
    cycle = recheck_cycle(personas, extra=1)
    page = client_for("leader").get(reverse("cycles:calibration", args=[cycle.pk])).content.decode()
    url = reverse("cycles:distribution_export", args=[cycle.pk])
    assert f'href="{url}"' in page


@pytest.mark.parametrize("persona", ["head", "employee", "admin", "finance"])
def test_who_may_not_calibrate_may_not_download(personas: Any, client_for: Any, persona: str) -> None:
    cycle = recheck_cycle(personas, extra=1)
    response = client_for(persona).get(reverse("cycles:distribution_export", args=[cycle.pk]))
    assert response.status_code in {403, 404}
