"""Monthly report pages: the list (and the month to generate), the report (its figures, HR's
conclusion, publishing, corrections), the job's progress, and the workbook and PDF downloads.
Thin: parse → one service or selector → render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.common.errors import JixiaoError

from . import running, selectors, services
from .forms import ConclusionForm, CorrectionForm, GenerateForm, PublishForm


def _refused(form: Any) -> JixiaoError:
    said = "；".join(str(e) for errors in form.errors.values() for e in errors)
    return JixiaoError(zh=said, en=said, status=400)


def report_list(request: HttpRequest) -> HttpResponse:
    page = selectors.report_list_page(user=request.user)
    return render(request, "monthly_reports/list.html", {"page": page, "form": GenerateForm()})


@require_POST
def report_generate(request: HttpRequest) -> HttpResponse:
    form = GenerateForm(request.POST)
    try:
        if not form.is_valid():
            raise _refused(form)
        report, _job = running.report_generate_start(user=request.user, month=form.cleaned_data["month"])
    except JixiaoError as error:
        page = selectors.report_list_page(user=request.user, error=error.text())
        return render(request, "monthly_reports/list.html", {"page": page, "form": form}, status=error.status)
    return redirect("monthly_reports:report", pk=report.pk)


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.report_page(user=request.user, pk=pk)
    conclusion = ConclusionForm(
        initial={"conclusion": page.report.conclusion, "version": page.report.version}
    )
    return render(request, "monthly_reports/report.html", {"page": page, "conclusion_form": conclusion})


def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    report, job, message = selectors.report_progress_page(user=request.user, pk=pk)
    return render(
        request, "monthly_reports/_progress.html", {"report": report, "job": job, "message": message}
    )


def _post(
    request: HttpRequest, pk: int, form: Any, act: Callable[[Any, Any], Any], done: str
) -> HttpResponse:
    """Validate ``form``, run ``act(report, cleaned)``; a refusal re-renders the report with it."""
    try:
        report = selectors.report_get(user=request.user, pk=pk)
        if not form.is_valid():
            raise _refused(form)
        act(report, form.cleaned_data)
    except JixiaoError as error:
        if error.status in (403, 404):
            raise
        page = selectors.report_page(user=request.user, pk=pk, error=error.text())
        context = {
            "page": page,
            "conclusion_form": form
            if isinstance(form, ConclusionForm)
            else ConclusionForm(
                initial={"conclusion": page.report.conclusion, "version": page.report.version}
            ),
        }
        return render(request, "monthly_reports/report.html", context, status=error.status)
    messages.success(request, done)
    return redirect("monthly_reports:report", pk=pk)


@require_POST
def report_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    running.report_generate_start(user=request.user, month=report.month)
    return redirect("monthly_reports:report", pk=pk)


@require_POST
def report_conclusion(request: HttpRequest, pk: int) -> HttpResponse:
    def act(report: Any, data: dict[str, Any]) -> Any:
        return services.report_conclusion_save(
            user=request.user, report=report, conclusion=data["conclusion"], version=data["version"]
        )

    return _post(request, pk, ConclusionForm(request.POST), act, _("结论已保存。"))


@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    def act(report: Any, data: dict[str, Any]) -> Any:
        return services.report_publish(user=request.user, report=report, version=data["version"])

    return _post(request, pk, PublishForm(request.POST), act, _("月报已发布。"))


@require_POST
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    def act(report: Any, data: dict[str, Any]) -> Any:
        return services.report_correct(user=request.user, report=report, text=data["text"])

    return _post(request, pk, CorrectionForm(request.POST), act, _("更正说明已添加。"))


def report_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    try:
        download = selectors.report_download(user=request.user, pk=pk, kind=kind)
    except JixiaoError as error:
        if error.status in (403, 404):
            raise
        return render(request, "error.html", {"error": error}, status=error.status)
    response = HttpResponse(download.data, content_type=download.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quoted(download.name)}"
    return response


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
