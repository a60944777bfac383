"""Travel days import: the header is checked by name and a CSV in GB18030 streams through the
capped child, through the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.common.errors import JixiaoError
from jixiao.pay.monthly.models import TravelDays
from jixiao.pay.monthly.tests.world import MONTH
from jixiao.pay.monthly.travel import travel_import

pytestmark = pytest.mark.django_db


def test_a_travel_header_with_the_number_twice_is_refused_by_name(personas: Any) -> None:
    rows = [["工号", "出差天数", "工号"], ["P001", "2", "P002"]]
    with pytest.raises(JixiaoError) as refused:
        travel_import(user=personas["hr"], month=MONTH, rows=rows)
    assert "重复的列：工号" in refused.value.zh and refused.value.problems[0].column == "C"
    with pytest.raises(JixiaoError) as refused:
        travel_import(user=personas["hr"], month=MONTH, rows=[["工号", "days_"], ["P001", "2"]])
    assert "缺少列：出差天数" in refused.value.zh and "未知的列：days_" in refused.value.zh
    assert not TravelDays.objects.exists()


def test_a_gb18030_travel_csv_imports_through_the_page(personas: Any, client_for: Any) -> None:
    body = "工号,姓名,出差天数\nP001,测试𠀀,2.5\n".encode("gb18030")
    upload = SimpleUploadedFile("travel.csv", body, content_type="text/csv")
    client_for("hr").post(reverse("pay:travel_import"), {"month": MONTH, "file": upload})
    assert list(TravelDays.objects.values_list("employee__number", "days")) == [("P001", "2.5")]
