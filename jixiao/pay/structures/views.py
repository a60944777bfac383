"""Pay structure and net profit pages (§4): thin views over ``selectors`` and ``services``."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.common.errors import JixiaoError, PermissionRefused

from . import selectors, services
from .forms import ProfitForm, StructureForm, TransitionForm


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
    page = selectors.structure_list(user=request.user)
    return render(request, "pay/structure_list.html", {"rows": page.rows, "can_manage": page.can_manage})


@require_http_methods(["GET", "POST"])
def structure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.structure_page(user=request.user, pk=pk)
    position = page.position
    form = StructureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = partial(services.pay_structure_set, user=request.user, position=position, **form.cleaned_data)
        if _attempt(form, call):
            messages.success(request, _("薪酬结构已保存。"))
            return redirect("pay:structures")
    context = {"form": form, "position": position, "history": page.history}
    return render(request, "pay/structure_form.html", context)


@require_http_methods(["GET", "POST"])
def profit_list(request: HttpRequest) -> HttpResponse:
    page = selectors.profits_page(user=request.user)
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
    context = {"rows": page.rows, "form": form, "can_enter": page.can_enter}
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
