"""Entry pages (§3): the scoring grid and self-assessment (saved cell by cell through htmx), the
actuals import and manual entry of actuals (手工录入). Thin views over ``selectors`` and the
services; a saved cell answers with the cell again, its new version or the error."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.common.errors import JixiaoError
from jixiao.common.spreadsheet import stream_rows, uploaded_path
from jixiao.common.validators import whole_number
from jixiao.common.views import int_param
from jixiao.cycles.lifecycle.selectors import member_get

from . import imports, selectors, services
from .forms import ImportForm

RATER_KINDS = ("manager", "peer", "committee")


def grid(request: HttpRequest, pk: int) -> HttpResponse:
    kind = request.GET.get("as", "manager")
    kind = kind if kind in RATER_KINDS else "manager"
    left = request.GET.get("left") == "1"  # only those still to score (the home page's to-do)
    page = selectors.grid_page(user=request.user, pk=pk, rater_kind=kind, left_only=left)
    context = {"cycle": page.cycle, "sections": page.sections, "kind": kind, "left": left}
    return render(request, "cycles/grid.html", context)


def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.grid_page(user=request.user, pk=pk, rater_kind="self")
    return render(
        request, "cycles/self.html", {"cycle": page.cycle, "sections": page.sections, "mine": page.mine}
    )


@require_POST
def self_submit(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_get(user=request.user, pk=pk)
    try:
        services.self_assessment_submit(user=request.user, member=member)
        messages.success(request, _("自评已提交。"))
    except JixiaoError as error:
        messages.error(request, error.text())
    return redirect("cycles:self_assessment", pk=member.cycle_id)


def _version(request: HttpRequest) -> int:
    text = request.POST.get("version") or "0"
    return whole_number(text, 0) or 0


@require_POST
def score_save(request: HttpRequest, pk: int) -> HttpResponse:
    """One grid cell (htmx): save, answer the cell again with its new version or the error."""
    member = member_get(user=request.user, pk=pk)
    p = request.POST
    indicator, kind, value = p.get("indicator", ""), p.get("kind", ""), p.get("value", "")
    status, error, version = 200, "", _version(request)
    try:
        score = services.score_set(
            user=request.user,
            member=member,
            indicator_key=indicator,
            rater_kind=kind,
            value=value,
            expected_version=version,
        )
        version = score.version if score else version
    except JixiaoError as failure:
        status, error = failure.status, failure.text()
    html = selectors.score_cell_html(
        member=member, indicator_key=indicator, kind=kind, value=value, version=version, error=error
    )
    return HttpResponse(html, status=status)


@require_POST
def actual_save(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_get(user=request.user, pk=pk)
    measure, value = request.POST.get("measure", ""), request.POST.get("value", "")
    status, error, version = 200, "", _version(request)
    try:
        actual = services.actual_set(
            user=request.user, member=member, measure_key=measure, value=value, expected_version=version
        )
        version = actual.version if actual else version
    except JixiaoError as failure:
        status, error = failure.status, failure.text()
    context = {"member": member, "count": (measure, value, version), "error": error, "saved": not error}
    return render(request, "cycles/_count.html", context, status=status)


@require_http_methods(["GET", "POST"])
def actuals(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.import_page(user=request.user, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    report: Any = None
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        report, problems = _import(request, page.cycle, form)
    context = {
        "cycle": page.cycle,
        "form": form,
        "report": report,
        "problems": problems,
        "interrupted": page.interrupted,
    }
    return render(request, "cycles/actuals.html", context)


def _import(request: HttpRequest, cycle: Any, form: ImportForm) -> tuple[Any, list[Any]]:
    # The upload is read from the file Django wrote (or a copy of a small one), in the capped child.
    try:
        with uploaded_path(form.cleaned_data["file"], ".csv") as path:
            report = imports.actuals_import(
                user=request.user,
                cycle=cycle,
                rows=stream_rows(path),
                valid_rows_only=form.cleaned_data["valid_rows_only"],
            )
    except JixiaoError as error:
        messages.error(request, error.text())
        return None, error.problems
    messages.success(request, _("已导入 %(n)d 条实际值。") % {"n": report.written})
    return report, report.problems


def actuals_template(request: HttpRequest, pk: int) -> FileResponse:
    page = selectors.import_page(user=request.user, pk=pk)
    return FileResponse(
        imports.actuals_template(page.cycle), as_attachment=True, filename=f"actuals-{page.cycle.label}.xlsx"
    )


def actuals_entry(request: HttpRequest, pk: int) -> HttpResponse:
    department_id = int_param(request, "department")
    page = selectors.entry_page(user=request.user, pk=pk, department_id=department_id)
    return render(request, "cycles/entry.html", {"cycle": page.cycle, "sheet": page.sheet})
