"""Hostile input on the appeal pages: huge or non-numeric values, wrong files, unknown steps —
each refused with a sentence on the page, the input kept, nothing written, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.cases.appeals.models import Appeal
from jixiao.common.files import MAX_EVIDENCE_BYTES

from .test_services import counts
from .world import filed_appeal, rechecking_appeal, result_of

pytestmark = pytest.mark.django_db

HUGE = "申" * 20_000


def upload(name: str, body: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type=content_type)


def hostile_filings() -> list[tuple[dict[str, Any], list[Any], str]]:
    """(form data, files, what the page then says) for each hostile filing."""
    return [
        ({"scope": "whole", "reason": HUGE}, [], "20000"),
        ({"scope": "indicators", "reason": "x"}, [], "请选择要申诉的指标"),
        ({"scope": "indicators", "indicators": ["1e30"], "reason": "x"}, [], "1e30"),
        ({"scope": "nan", "reason": "x"}, [], "nan"),
        ({"scope": "whole", "reason": "x"}, [upload("a.exe", b"MZ")], "a.exe"),
        ({"scope": "whole", "reason": "x"}, [upload("report.pdf", b"<html>not a pdf")], "report.pdf"),
        (
            {"scope": "whole", "reason": "x"},
            [upload("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * MAX_EVIDENCE_BYTES)],
            "10 MB",
        ),
        ({"scope": "whole", "reason": "x"}, [upload(f"n{i}.txt", b"ok") for i in range(6)], "5"),
    ]


def test_filing_refuses_hostile_input_on_the_form(personas: Any, client_for: Any) -> None:
    url = reverse("appeals:file", args=[result_of(personas).pk])
    employee = client_for("employee")
    before = counts()
    for data, files, says in hostile_filings():
        response = employee.post(url, {**data, "evidence": files})
        assert response.status_code == 400, says
        assert says in response.content.decode(), says
    assert counts() == before


def test_the_recheck_form_refuses_hostile_values_and_writes_nothing(personas: Any, client_for: Any) -> None:
    appeal = rechecking_appeal(personas)
    Appeal.objects.filter(pk=appeal.pk).update(indicators=[])  # the whole result: every input
    url = reverse("appeals:recommend", args=[appeal.pk])
    member = client_for("member")
    before = counts()
    for value in ("1e30", "nan", "-1", "inf", HUGE, "0x1F", "1/0"):
        data = {
            "recommendation": "adjust",
            "reason": "复核",
            "version": appeal.version,
            "measure:orders": value,
        }
        for extra in ({"preview": "1"}, {}):
            response = member.post(url, {**data, **extra})
            assert response.status_code == 400, (value, extra, response.status_code)
    assert counts() == before


def test_an_unknown_field_or_recommendation_is_refused(personas: Any, client_for: Any) -> None:
    appeal = rechecking_appeal(personas)
    url = reverse("appeals:recommend", args=[appeal.pk])
    member = client_for("member")
    assert member.post(url, {"recommendation": "1e30", "reason": "x"}).status_code == 400
    assert member.post(url, {"recommendation": "uphold", "reason": HUGE}).status_code == 400
    assert Appeal.objects.get(pk=appeal.pk).state == "rechecking"


def test_the_small_steps_refuse_unknown_steps_huge_reasons_and_bad_versions(
    personas: Any, client_for: Any
) -> None:
    appeal = filed_appeal(personas)
    url = reverse("appeals:step", args=[appeal.pk])
    hr = client_for("hr")
    before = counts()
    for data, status in (
        ({"op": "explode", "reason": "x"}, 400),
        ({"op": "decline", "reason": ""}, 400),
        ({"op": "decline", "reason": HUGE}, 400),
        ({"op": "accept", "version": "1e30"}, 400),
        ({"op": "accept", "version": "-1"}, 400),
        ({"op": "accept", "version": "99"}, 409),
        ({"op": "withdraw"}, 403),
    ):
        response = hr.post(url, data)
        assert response.status_code == status, (data, response.status_code)
    assert counts() == before
    assert hr.post(url, {"op": "accept", "version": str(appeal.version)}).status_code == 302


def test_the_assign_form_offers_only_the_eligible_and_refuses_others(personas: Any, client_for: Any) -> None:
    appeal = rechecking_appeal(personas)
    url = reverse("appeals:assign", args=[appeal.pk])
    hr = client_for("hr")
    page = hr.get(url).content.decode()
    assert "测试leader" in page and "测试head" not in page
    before = counts()
    for value in ("1e30", "nan", str(personas["head"].pk), "-1", HUGE):
        assert hr.post(url, {"rechecker": value}).status_code == 400
    assert counts() == before
