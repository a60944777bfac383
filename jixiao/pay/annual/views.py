"""Annual bonus pages (§4): thin views over ``selectors`` and ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.access.policy import can
from jixiao.pay.structures.forms import ExportForm
from jixiao.pay.structures.views import _attempt

from . import selectors, services
from .chart import bonus_chart
from .forms import RunForm, SimulateForm


def bonus_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.pay_plan_get(user=request.user, pk=pk)
    form = SimulateForm(request.GET or None)
    simulation = selectors.simulate(plan, form.profit_list())
    chart = mark_safe(bonus_chart(simulation.plan, *form.chart_span())) if simulation else ""
    findings = selectors.lint(plan)
    context = {"plan": plan, "form": form, "sim": simulation, "chart": chart, "findings": findings}
    context |= {
        "lint_items": [(f, None) for f in findings],
        "blocking": [f for f in findings if f.severity == "blocking"],
    }
    return render(request, "pay/bonus_plan.html", context)


@require_http_methods(["GET", "POST"])
def run_list(request: HttpRequest) -> HttpResponse:
    runs = selectors.run_list(user=request.user)
    form = RunForm(request.POST or None, departments=selectors.departments_with_pay_plans())
    if request.method == "POST" and form.is_valid():
        run = _attempt(
            form, lambda: services.annual_bonus_run_compute(user=request.user, **form.cleaned_data)
        )
        if run:
            return redirect("pay:run_detail", pk=run.pk)
    context = {"runs": runs, "form": form, "can_compute": can(request.user, "bonus_run.compute")}
    return render(request, "pay/run_list.html", context | {"plans": selectors.pay_plans(user=request.user)})


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run, lines = selectors.run_get(user=request.user, pk=pk)
    context = {
        "run": run,
        "lines": lines,
        "export_form": ExportForm(),
        "can_release": can(request.user, "bonus_run.release", run),
    }
    return render(request, "pay/run_detail.html", context | {"sum_fen": sum(ln.amount_fen for ln in lines)})


@require_POST
def run_release(request: HttpRequest, pk: int) -> HttpResponse:
    run, _lines = selectors.run_get(user=request.user, pk=pk)
    services.annual_bonus_run_release(user=request.user, run=run)
    messages.success(request, _("年度奖金已发布，员工可查看本人奖金及计算过程。"))
    return redirect("pay:run_detail", pk=pk)


@require_POST
def run_export(request: HttpRequest, pk: int) -> FileResponse:
    run, _lines = selectors.run_get(user=request.user, pk=pk)
    reason = request.POST.get("reason", "")
    workbook = services.pay_export(user=request.user, run=run, reason=reason)
    return FileResponse(
        workbook, as_attachment=True, filename=f"jixiao-annual-bonus-{run.year}-{run.pk}.xlsx"
    )
