"""Annual bonus pages (§4): thin views over ``selectors`` and ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.common.text import Text
from jixiao.pay.structures.forms import ExportForm
from jixiao.pay.structures.views import _attempt

from . import selectors, services
from .forms import RunForm, SimulateForm


def bonus_plan(request: HttpRequest, pk: int) -> HttpResponse:
    form = SimulateForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = selectors.bonus_plan_page(user=request.user, pk=pk, data=data)
    context = {"plan": page.plan, "form": form, "sim": page.sim, "chart": mark_safe(page.chart)}
    context["refusal"] = page.refusal
    if form.errors:  # a refused simulator input (shown on the form): nothing is computed
        context |= {
            "sim": None,
            "chart": "",
            "refusal": Text("请按上方提示修改输入。", "Correct the input as shown above."),
        }
    context |= {
        "findings": page.findings,
        "lint_items": [(f, None) for f in page.findings],
        "blocking": [f for f in page.findings if f.severity == "blocking"],
    }
    return render(request, "pay/bonus_plan.html", context)


@require_http_methods(["GET", "POST"])
def run_list(request: HttpRequest) -> HttpResponse:
    page = selectors.run_list_page(user=request.user)
    form = RunForm(request.POST or None, departments=page.departments)
    if request.method == "POST" and form.is_valid():
        run = _attempt(
            form, lambda: services.annual_bonus_run_compute(user=request.user, **form.cleaned_data)
        )
        if run:
            return redirect("pay:run_detail", pk=run.pk)
    context = {"runs": page.runs, "form": form, "can_compute": page.can_compute, "plans": page.plans}
    return render(request, "pay/run_list.html", context)


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.run_page(user=request.user, pk=pk)
    context = {"page": page, "run": page.run, "lines": page.lines, "sum_fen": page.sum_fen}
    return render(request, "pay/run_detail.html", context | {"export_form": ExportForm()})


@require_POST
def run_release(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_head(user=request.user, pk=pk)
    services.annual_bonus_run_release(user=request.user, run=run)
    messages.success(request, _("年度奖金已发布，员工可查看本人奖金及计算过程。"))
    return redirect("pay:run_detail", pk=pk)


@require_POST
def run_export(request: HttpRequest, pk: int) -> FileResponse:
    run = selectors.run_head(user=request.user, pk=pk)
    reason = request.POST.get("reason", "")
    workbook = services.pay_export(user=request.user, run=run, reason=reason)
    return FileResponse(
        workbook, as_attachment=True, filename=f"jixiao-annual-bonus-{run.year}-{run.pk}.xlsx"
    )
