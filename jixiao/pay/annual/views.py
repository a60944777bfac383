"""Pay pages (§4): thin views over ``selectors`` and ``services``."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.access.policy import can, require
from jixiao.common.errors import JixiaoError, PermissionRefused

from . import monthly_selectors, selectors, services
from .chart import bonus_chart
from .forms import ExportForm, ProfitForm, RunForm, SimulateForm, StructureForm, TransitionForm


def _attempt(form: forms.Form, call: Any) -> Any:
    """Run a service for a valid form; a refusal becomes a form error (the input is kept)."""
    try:
        return call()
    except PermissionRefused:
        raise  # a refusal of the person, not of the input: 403, not a form error
    except JixiaoError as error:
        form.add_error(None, error.text())
        return None


def structure_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.structure_list(user=request.user)
    can_manage = can(request.user, "pay_structure.manage")
    return render(request, "pay/structure_list.html", {"rows": rows, "can_manage": can_manage})


@require_http_methods(["GET", "POST"])
def structure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    position = selectors.position_get(user=request.user, pk=pk)
    form = StructureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = partial(services.pay_structure_set, user=request.user, position=position, **form.cleaned_data)
        if _attempt(form, call):
            messages.success(request, _("薪酬结构已保存。"))
            return redirect("pay:structures")
    history = selectors.structure_history(position)
    return render(
        request, "pay/structure_form.html", {"form": form, "position": position, "history": history}
    )


@require_http_methods(["GET", "POST"])
def profit_list(request: HttpRequest) -> HttpResponse:
    profits = selectors.profit_list(user=request.user)
    form = ProfitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        call = partial(
            services.net_profit_enter,
            user=request.user,
            year=d["year"],
            amount_fen=d["amount"],
            reason=d["reason"],
        )
        if _attempt(form, call):
            messages.success(request, _("净利润已保存为草稿，请提交审批。"))
            return redirect("pay:profits")
    rows = [
        (p, [a for a in ("submit", "approve", "return") if can(request.user, f"profit.{a}", p)])
        for p in profits
    ]
    context = {"rows": rows, "form": form, "can_enter": can(request.user, "profit.enter")}
    return render(request, "pay/profit_list.html", context)


@require_POST
def profit_transition(request: HttpRequest, pk: int) -> HttpResponse:
    profit = selectors.profit_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        raise JixiaoError(zh="操作无效。", en="Invalid action.")
    services.net_profit_transition(user=request.user, profit=profit, **form.cleaned_data)
    messages.success(request, _("净利润状态已更新。"))
    return redirect("pay:profits")


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


def my_pay(request: HttpRequest) -> HttpResponse:
    require(request.user, "pay.mine")
    monthly = monthly_selectors.my_monthly_lines(user=request.user)
    return render(
        request, "pay/my_pay.html", {"lines": selectors.my_lines(user=request.user), "monthly": monthly}
    )
