"""Cycle pages (§3): thin views over ``selectors`` and ``services``."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.access.policy import can, require
from jixiao.common.errors import JixiaoError
from jixiao.common.views import form_through_service

from . import cells, entries, imports, review_selectors, selectors, services, workflow
from .forms import CycleForm, ImportForm
from .snapshot import rules


def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = selectors.cycle_list(user=request.user)
    return render(
        request, "cycles/cycle_list.html", {"cycles": cycles, "can_manage": can(request.user, "cycle.manage")}
    )


@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "cycle.manage")

    def save(form: Any) -> Any:
        d = form.cleaned_data
        deadlines = {"open": d["scoring_deadline"].isoformat()} if d["scoring_deadline"] else {}
        cycle = services.cycle_create(user=request.user, label=d["label"], kind=d["kind"], start=d["start"],
                                      end=d["end"], departments=list(d["departments"]), deadlines=deadlines)  # fmt: skip
        return services.cycle_open(user=request.user, cycle=cycle)

    return form_through_service(
        request, form=CycleForm(request.POST or None), save=save, template="cycles/cycle_form.html", context={},
        success=lambda c: f"/cycles/{c.pk}/", success_message=_("周期已开始录入与评分。"),
    )  # fmt: skip


def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    dashboard = (
        selectors.progress(user=request.user, cycle=cycle)
        if can(request.user, "cycle.dashboard", cycle)
        else None
    )
    actions = [t for t in workflow.TRANSITIONS if t.source == cycle.state and can(request.user, t.permission)]
    mine = selectors.my_member(user=request.user, cycle=cycle)
    context = {"cycle": cycle, "dashboard": dashboard, "actions": actions, "mine": mine,
               "can_actuals": can(request.user, "cycle.actuals", cycle),
               "can_import": can(request.user, "cycle.manage"),
               "deadlines": selectors.stage_deadlines(cycle=cycle, today=timezone.localdate()),
               "can_flags": can(request.user, "integrity.flags")}  # fmt: skip
    return render(request, "cycles/cycle_detail.html", context)


@require_POST
def cycle_transition(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    try:
        services.cycle_transition(user=request.user, cycle=cycle, action=request.POST.get("action", ""))
    except JixiaoError as error:
        messages.error(request, error.text())
    return redirect("cycles:cycle_detail", pk=pk)


def grid(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    kind = (
        request.GET.get("as", "manager")
        if request.GET.get("as") in ("manager", "peer", "committee")
        else "manager"
    )
    sections = selectors.team_grid(user=request.user, cycle=cycle, rater_kind=kind)
    return render(request, "cycles/grid.html", {"cycle": cycle, "sections": sections, "kind": kind})


def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    sections = selectors.team_grid(user=request.user, cycle=cycle, rater_kind="self")
    mine = selectors.my_member(user=request.user, cycle=cycle)
    return render(request, "cycles/self.html", {"cycle": cycle, "sections": sections, "mine": mine})


@require_POST
def self_submit(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(user=request.user, pk=pk)
    try:
        entries.self_assessment_submit(user=request.user, member=member)
        messages.success(request, _("自评已提交。"))
    except JixiaoError as error:
        messages.error(request, error.text())
    return redirect("cycles:self_assessment", pk=member.cycle_id)


@require_POST
def score_save(request: HttpRequest, pk: int) -> HttpResponse:
    """One grid cell (htmx): save, answer the cell again with its new version or the error."""
    member = selectors.member_get(user=request.user, pk=pk)
    p = request.POST
    status, error, score = 200, "", None
    try:
        score = entries.score_set(user=request.user, member=member, indicator_key=p.get("indicator", ""),
                                  rater_kind=p.get("kind", ""), value=p.get("value", ""),
                                  expected_version=int(p.get("version") or 0))  # fmt: skip
    except JixiaoError as failure:
        status, error = failure.status, failure.text()
    plan, _rules = rules(member.snapshot)
    cell = selectors.Cell(member.pk, plan.indicator(p.get("indicator", "")), p.get("kind", ""), p.get("value", ""),
                          score.version if score else int(p.get("version") or 0))  # fmt: skip
    html = cells.score_cell(cell, cells.score_url(member.pk), error=error, saved=not error)
    return HttpResponse(html, status=status)


@require_POST
def actual_save(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(user=request.user, pk=pk)
    p = request.POST
    status, error, actual = 200, "", None
    try:
        actual = entries.actual_set(user=request.user, member=member, measure_key=p.get("measure", ""),
                                    value=p.get("value", ""), expected_version=int(p.get("version") or 0))  # fmt: skip
    except JixiaoError as failure:
        status, error = failure.status, failure.text()
    count = (
        p.get("measure", ""),
        p.get("value", ""),
        actual.version if actual else int(p.get("version") or 0),
    )
    return render(
        request,
        "cycles/_count.html",
        {"member": member, "count": count, "error": error, "saved": not error},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def actuals(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    require(request.user, "cycle.manage")
    form = ImportForm(request.POST or None, request.FILES or None)
    report: Any = None
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        report, problems = _import(request, cycle, form)
    context = {"cycle": cycle, "form": form, "report": report, "problems": problems,
               "interrupted": imports.import_interrupted(cycle)}  # fmt: skip
    return render(request, "cycles/actuals.html", context)


def _import(request: HttpRequest, cycle: Any, form: ImportForm) -> tuple[Any, list[Any]]:
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower() or ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            rows = imports.stream_rows(Path(handle.name))
            report = imports.actuals_import(user=request.user, cycle=cycle, rows=rows,
                                            valid_rows_only=form.cleaned_data["valid_rows_only"])  # fmt: skip
        except JixiaoError as error:
            messages.error(request, error.text())
            return None, error.problems
    messages.success(request, _("已导入 %(n)d 条实际值。") % {"n": report.written})
    return report, report.problems


def actuals_template(request: HttpRequest, pk: int) -> FileResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    require(request.user, "cycle.manage")
    return FileResponse(
        imports.actuals_template(cycle), as_attachment=True, filename=f"actuals-{cycle.label}.xlsx"
    )


def results(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    require(request.user, "cycle.dashboard", cycle)
    return render(
        request,
        "cycles/results.html",
        {"cycle": cycle, "results": selectors.results(user=request.user, cycle=cycle)},
    )


def my_results(request: HttpRequest) -> HttpResponse:
    require(request.user, "result.mine")
    results = review_selectors.my_results(user=request.user)
    return render(request, "cycles/my_results.html", {"results": results})


def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    explained = selectors.result_explained(user=request.user, pk=pk)
    review = review_selectors.result_review(user=request.user, result=explained.result)
    steps = explained.person.trace.steps if explained.person.trace else ()
    return render(request, "cycles/result_detail.html", {"x": explained, "steps": steps, "review": review})
