"""The report's workflow, pages and downloads through the real HTTP client: generating as a job,
the conclusion, publishing (then immutable, corrections noted beside it), each persona's access,
a head's filtered copy, hostile input, the query count, and the command."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError
from jixiao.jobs.models import JobRun
from jixiao.reports.monthly import services
from jixiao.reports.monthly.models import MonthlyReport, ReportCorrection

from .world import draft_report, published_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate(settings: Any, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.DATA_DIR = tmp_path


# Committed for real: the job writes its progress on a connection of its own, which on MariaDB would
# wait for the row lock of a test transaction that never commits (each write 50 s, then an error).
@pytest.mark.django_db(transaction=True)
def test_hr_generates_as_a_job_edits_the_conclusion_and_publishes(
    personas: Any, client_for: Any, immediate: None
) -> None:
    hr = client_for("hr")
    response = hr.post(reverse("monthly_reports:generate"), {"month": "2026-08"})
    assert response.status_code == 302
    report = MonthlyReport.objects.get(month="2026-08")
    job = JobRun.objects.get(kind="monthly_report.generate", target_id=str(report.pk))
    assert job.state == "done" and job.phase == "pdf" and "2026-08" in job.message
    assert report.snapshot["cycles"] == ["2026-08"] and report.is_draft
    page = hr.get(reverse("monthly_reports:report", args=[report.pk])).content.decode()
    assert "销售部" in page and "生产部" in page and "<svg" in page and 'id="publish"' in page
    # Publishing without a conclusion is refused on the page, in Chinese, nothing changes.
    refused = hr.post(reverse("monthly_reports:publish", args=[report.pk]), {"version": report.version})
    assert refused.status_code == 409 and "发布前请先撰写结论" in refused.content.decode()
    saved = hr.post(
        reverse("monthly_reports:conclusion", args=[report.pk]),
        {"conclusion": "本月考核平稳，申诉一件。", "version": report.version},
    )
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.conclusion == "本月考核平稳，申诉一件。"
    assert (
        hr.post(reverse("monthly_reports:publish", args=[report.pk]), {"version": report.version}).status_code
        == 302
    )
    report.refresh_from_db()
    assert report.is_published and report.published_by == personas["hr"]
    page = hr.get(reverse("monthly_reports:report", args=[report.pk])).content.decode()
    assert "本月考核平稳" in page and 'id="publish"' not in page and 'id="conclusion"' not in page


def test_a_published_report_is_immutable_and_corrections_are_noted(personas: Any, client_for: Any) -> None:
    report = published_report(personas)
    before = (report.snapshot, report.conclusion, report.version)
    with pytest.raises(JixiaoError) as refused:
        services.report_conclusion_save(
            user=personas["hr"], report=report, conclusion="改写", version=report.version
        )
    assert refused.value.status in (403, 409)
    with pytest.raises(JixiaoError) as again:
        services.report_generate(user=personas["hr"], month=report.month, render=())
    assert again.value.status == 409
    hr = client_for("hr")
    response = hr.post(
        reverse("monthly_reports:conclusion", args=[report.pk]),
        {"conclusion": "改写", "version": report.version},
    )
    assert response.status_code in (403, 409)
    added = hr.post(reverse("monthly_reports:correct", args=[report.pk]), {"text": "生产部人数应为 2 人。"})
    assert added.status_code == 302
    report.refresh_from_db()
    assert (report.snapshot, report.conclusion, report.version) == before
    correction = ReportCorrection.objects.get(report=report)
    assert correction.author == personas["hr"]
    assert AuditEvent.objects.filter(action="monthly_report.correct").count() == 1
    assert (
        "生产部人数应为 2 人" in hr.get(reverse("monthly_reports:report", args=[report.pk])).content.decode()
    )
    # The committee reads but does not note corrections; a head neither.
    for name in ("leader", "head"):
        assert (
            client_for(name)
            .post(reverse("monthly_reports:correct", args=[report.pk]), {"text": "更正内容"})
            .status_code
            == 403
        )


def test_a_head_reads_the_published_report_of_their_department_only(personas: Any, client_for: Any) -> None:
    draft = draft_report(personas)
    published = published_report(personas)
    head = client_for("head")
    assert head.get(reverse("monthly_reports:report", args=[draft.pk])).status_code == 404
    page = head.get(reverse("monthly_reports:report", args=[published.pk])).content.decode()
    assert "销售部" in page and "生产部" not in page and "绩效薪酬" not in page
    assert not re.search(r">\s*全公司\s*<", page)  # no company row in any table
    listed = head.get(reverse("monthly_reports:list")).content.decode()
    assert published.month in listed and draft.month not in listed
    book = head.get(reverse("monthly_reports:download", args=[published.pk, "xlsx"]))
    assert book.status_code == 200
    text = "".join(
        zipfile.ZipFile(io.BytesIO(book.content)).read(n).decode()
        for n in zipfile.ZipFile(io.BytesIO(book.content)).namelist()
        if n.endswith(".xml")
    )
    assert "销售部" in text and "生产部" not in text
    other = (
        client_for("other_head").get(reverse("monthly_reports:report", args=[published.pk])).content.decode()
    )
    assert "生产部" in other and "销售部" not in other


@pytest.mark.parametrize("name", ["employee", "colleague", "finance", "auditor", "admin"])
def test_employees_finance_and_the_bare_administrator_get_nothing(
    personas: Any, client_for: Any, name: str
) -> None:
    published = published_report(personas)
    client = client_for(name)
    assert client.get(reverse("monthly_reports:list")).status_code == 403
    assert client.get(reverse("monthly_reports:report", args=[published.pk])).status_code == 404
    assert client.get(reverse("monthly_reports:download", args=[published.pk, "pdf"])).status_code == 404
    assert client.post(reverse("monthly_reports:generate"), {"month": "2026-08"}).status_code == 403
    assert not MonthlyReport.objects.filter(month="2026-08").exists()


def test_the_whole_pdf_and_workbook(personas: Any, client_for: Any, settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    report = published_report(personas)
    hr = client_for("hr")
    pdf = hr.get(reverse("monthly_reports:download", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for heading in ("绩效考核月报", "考核覆盖与按时评分", "等级分布与配额", "绩效薪酬", "本月考核工作平稳"):
        assert heading in text
    book = zipfile.ZipFile(
        io.BytesIO(hr.get(reverse("monthly_reports:download", args=[report.pk, "xlsx"])).content)
    )
    assert any(n.startswith("xl/charts/") for n in book.namelist())
    assert hr.get(reverse("monthly_reports:download", args=[report.pk, "docx"])).status_code == 404


@pytest.mark.parametrize("month", ["2026-13", "1e30", "nan", "-1", "x" * 20_000, "２０２６-10"])
def test_a_hostile_month_is_refused_on_the_form(personas: Any, client_for: Any, month: str) -> None:
    response = client_for("hr").post(reverse("monthly_reports:generate"), {"month": month})
    assert response.status_code == 400
    assert 'id="generate-refused"' in response.content.decode()
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize("text", ["长" * 20_000, "x" * 5_001])
def test_a_conclusion_too_long_is_refused_and_the_input_kept(
    personas: Any, client_for: Any, text: str
) -> None:
    report = draft_report(personas)
    response = client_for("hr").post(
        reverse("monthly_reports:conclusion", args=[report.pk]),
        {"conclusion": text, "version": report.version},
    )
    assert response.status_code == 400
    assert 'id="report-refused"' in response.content.decode()
    report.refresh_from_db()
    assert report.conclusion == ""
    with pytest.raises(JixiaoError) as refused:
        services.report_conclusion_save(
            user=personas["hr"], report=report, conclusion=text, version=report.version
        )
    assert "5000" in refused.value.zh and "5000" in refused.value.en


def test_a_stale_version_is_refused(personas: Any, client_for: Any) -> None:
    report = draft_report(personas)
    response = client_for("hr").post(
        reverse("monthly_reports:conclusion", args=[report.pk]),
        {"conclusion": "结论", "version": report.version - 1},
    )
    assert response.status_code == 409


def test_the_pages_take_the_same_queries_whatever_the_rows(personas: Any, client_for: Any) -> None:
    published = published_report(personas)
    hr = client_for("hr")
    hr.get(reverse("monthly_reports:list"))
    with CaptureQueriesContext(connection) as one:
        hr.get(reverse("monthly_reports:list"))
        hr.get(reverse("monthly_reports:report", args=[published.pk]))
    draft_report(personas)
    for month in ("2025-01", "2025-02", "2025-03"):
        services.report_generate(user=personas["hr"], month=month, render=())
    services.report_correct(user=personas["hr"], report=published, text="第一条更正")
    services.report_correct(user=personas["hr"], report=published, text="第二条更正")
    with CaptureQueriesContext(connection) as many:
        hr.get(reverse("monthly_reports:list"))
        hr.get(reverse("monthly_reports:report", args=[published.pk]))
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_command_writes_the_files_and_publishes(personas: Any, tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path
    out = tmp_path / "out"
    out.mkdir()
    call_command(
        "report",
        "monthly",
        "2026-08",
        "--xlsx",
        "--pdf",
        "--out",
        str(out),
        "--conclusion",
        "平稳。",
        "--publish",
        stdout=io.StringIO(),
    )
    assert (out / "绩效考核月报-2026-08.xlsx").read_bytes()[:2] == b"PK"
    assert (out / "绩效考核月报-2026-08.pdf").read_bytes()[:5] == b"%PDF-"
    assert MonthlyReport.objects.get(month="2026-08").is_published
    with pytest.raises(CommandError) as published:
        call_command("report", "monthly", "2026-08", stdout=io.StringIO())
    assert published.value.returncode == 2 and "已发布" in str(published.value)
    with pytest.raises(CommandError) as bad:
        call_command("report", "monthly", "2026-13", stdout=io.StringIO())
    assert bad.value.returncode == 2 and "不是月份" in str(bad.value)
