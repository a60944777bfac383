"""Monthly pay pages (§4, §7): thin views over ``selectors`` and the services; and the
person's own pay page (annual and monthly)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError
from jixiao.common.spreadsheet import stream_rows, uploaded_path
from jixiao.pay.structures.forms import ExportForm
from jixiao.pay.structures.views import _attempt

from . import payroll, selectors, services, travel
from . import sanctions as sanction_services
from .forms import (
    AdjustmentForm,
    CompletionForm,
    DecideForm,
    MonthForm,
    ReleaseForm,
    SanctionForm,
    TravelForm,
    TravelImportForm,
)


def _month(request: HttpRequest) -> str:
    """The month asked for (``?month=``), else the previous calendar month."""
    form = MonthForm(request.GET)
    if form.is_valid():
        return str(form.cleaned_data["month"])
    today = timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year}-{month:02d}"


@require_http_methods(["GET", "POST"])
def run_list(request: HttpRequest) -> HttpResponse:
    page = selectors.run_list_page(user=request.user, todo=request.GET.get("todo") == "1")
    form = MonthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = partial(services.monthly_pay_run_compute, user=request.user, month=form.cleaned_data["month"])
        if run := _attempt(form, call):
            return redirect("pay:monthly_run_detail", pk=run.pk)
    return render(request, "pay/monthly_run_list.html", {"page": page, "runs": page.runs, "form": form})


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.run_page(user=request.user, pk=pk)
    forms = {"export_form": ExportForm(), "release_form": ReleaseForm(), "adjust_form": AdjustmentForm()}
    return render(request, "pay/monthly_run_detail.html", {"page": page, "run": page.run, **forms})


@require_POST
def run_release(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_head(user=request.user, pk=pk)
    reason = request.POST.get("over_budget_reason", "")
    services.monthly_pay_run_release(user=request.user, run=run, over_budget_reason=reason)
    messages.success(request, _("月度薪酬已发放，员工可查看本人工资及计算过程。"))
    return redirect("pay:monthly_run_detail", pk=pk)


@require_POST
def run_export(request: HttpRequest, pk: int) -> FileResponse:
    run = selectors.run_head(user=request.user, pk=pk)
    workbook = payroll.monthly_pay_export(user=request.user, run=run, reason=request.POST.get("reason", ""))
    return FileResponse(workbook, as_attachment=True, filename=f"jixiao-payroll-{run.month}-{run.pk}.xlsx")


@require_POST
def run_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_head(user=request.user, pk=pk)
    form = AdjustmentForm(request.POST)
    if not form.is_valid():
        raise JixiaoError(zh="调整填写不完整：" + form.errors.as_text(), en="Incomplete adjustment.")
    d = form.cleaned_data
    services.pay_adjustment_record(
        user=request.user,
        run=run,
        employee=d["employee"],
        amount_fen=d["amount"],
        reason=d["reason"],
        month=d["month"],
    )
    messages.success(request, _("调整已记录，将计入所选月份的薪酬。"))
    return redirect("pay:monthly_run_detail", pk=pk)


@require_http_methods(["GET", "POST"])
def travel_days(request: HttpRequest) -> HttpResponse:
    require(request.user, "travel.manage")
    month = _month(request)
    form = TravelForm(request.POST or None, initial={"month": month})
    save = partial(services.travel_days_set, user=request.user)
    if request.method == "POST" and form.is_valid() and _attempt(form, lambda: save(**form.cleaned_data)):
        messages.success(request, _("出差天数已保存。"))
        return redirect(f"{request.path}?month={form.cleaned_data['month']}")
    context = {"month": month, "form": form, "import_form": TravelImportForm(initial={"month": month})}
    return render(
        request, "pay/travel.html", context | {"rows": selectors.travel_list(user=request.user, month=month)}
    )


@require_POST
def travel_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "travel.manage")
    form = TravelImportForm(request.POST, request.FILES)
    month, problems = request.POST.get("month", ""), []
    if form.is_valid():
        problems = _import(request, form)
    else:
        messages.error(request, _("请选择文件并填写月份。"))
    rows = selectors.travel_list(user=request.user, month=month) if form.is_valid() else []
    context = {"month": month, "form": TravelForm(initial={"month": month}), "import_form": form}
    return render(request, "pay/travel.html", context | {"rows": rows, "problems": problems})


def _import(request: HttpRequest, form: TravelImportForm) -> list[Any]:
    upload, d = form.cleaned_data["file"], form.cleaned_data
    try:
        with uploaded_path(upload, ".csv") as path:
            report = travel.travel_import(
                user=request.user,
                month=d["month"],
                rows=stream_rows(path),
                valid_rows_only=d["valid_rows_only"],
            )
    except JixiaoError as error:
        messages.error(request, error.text())
        return error.problems
    messages.success(request, _("已导入 %(n)d 人的出差天数。") % {"n": report.written})
    return report.problems


def travel_template(request: HttpRequest) -> FileResponse:
    month = _month(request)
    return FileResponse(
        travel.travel_template(user=request.user, month=month),
        as_attachment=True,
        filename=f"travel-days-{month}.xlsx",
    )


@require_http_methods(["GET", "POST"])
def completions(request: HttpRequest) -> HttpResponse:
    page = selectors.completions_page(user=request.user)
    form = CompletionForm(request.POST or None, initial={"month": _month(request)})
    record = partial(services.completion_record, user=request.user)
    if request.method == "POST" and form.is_valid() and _attempt(form, lambda: record(**form.cleaned_data)):
        messages.success(request, _("工作完成情况已记录。"))
        return redirect("pay:completions")
    context = {"rows": page.rows, "form": form, "can_record": page.can_record}
    return render(request, "pay/completions.html", context)


@require_http_methods(["GET", "POST"])
def sanctions(request: HttpRequest) -> HttpResponse:
    page = selectors.sanctions_page(user=request.user)
    form = SanctionForm(request.POST or None, initial={"month": _month(request)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        call = partial(
            sanction_services.sanction_propose,
            user=request.user,
            employee=d["employee"],
            month=d["month"],
            kind=d["kind"],
            amount_fen=d["amount"],
            reason=d["reason"],
        )
        if _attempt(form, call):
            messages.success(request, _("奖惩已提交，待审批。"))
            return redirect("pay:sanctions")
    context = {"rows": page.rows, "form": form, "can_propose": page.can_propose}
    return render(request, "pay/sanctions.html", context)


@require_POST
def sanction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = selectors.sanction_get(user=request.user, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        raise JixiaoError(zh="操作无效。", en="Invalid action.")
    sanction_services.sanction_decide(user=request.user, sanction=sanction, **form.cleaned_data)
    messages.success(request, _("奖惩已处理。"))
    return redirect("pay:sanctions")


def my_pay(request: HttpRequest) -> HttpResponse:
    page = selectors.my_pay_page(user=request.user)
    return render(request, "pay/my_pay.html", {"lines": page.annual, "monthly": page.monthly})
