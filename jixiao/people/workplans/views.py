"""Work plan pages (工作计划): the list, a plan with its items and steps, the forms, and my work
items. Thin: parse → one service or selector → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.common.errors import JixiaoError
from jixiao.common.forms import add_refusal
from jixiao.common.validators import whole_number
from jixiao.common.views import choice_param, form_through_service

from . import selectors, services
from .forms import ItemForm, PlanForm, StepForm


def plan_list(request: HttpRequest) -> HttpResponse:
    page = selectors.plan_list_page(
        user=request.user,
        kind=choice_param(request, "kind", selectors.KIND_FILTERS, ""),
        state=choice_param(request, "state", selectors.STATE_FILTERS, ""),
    )
    return render(request, "workplans/list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    selectors.plan_new(user=request.user)
    return form_through_service(
        request, form=PlanForm(request.POST or None),
        save=lambda f: services.workplan_create(user=request.user, data=f.cleaned_data),
        template="workplans/plan_form.html", context={"plan": None},
        success=lambda p: p.link, success_message=_("工作计划已建立（草稿）。"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_edit(user=request.user, pk=pk)
    initial = {**{k: getattr(plan, k) for k in ("kind", "period", "title", "goals")}, "version": plan.version}
    return form_through_service(
        request, form=PlanForm(request.POST or None, initial=initial),
        save=lambda f: services.workplan_update(
            user=request.user, plan=plan, data=f.cleaned_data, expected_version=f.cleaned_data["version"]
        ),
        template="workplans/plan_form.html", context={"plan": plan},
        success=lambda p: p.link, success_message=_("已保存。"),
    )  # fmt: skip


def _detail(request: HttpRequest, pk: int, *, status: int = 200, step_form: Any = None) -> HttpResponse:
    page = selectors.plan_page(user=request.user, pk=pk)
    form = step_form or StepForm(initial={"version": page.plan.version})
    return render(request, "workplans/detail.html", {"page": page, "step_form": form}, status=status)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@require_POST
def plan_step(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, status=400, step_form=form)
    try:
        services.workplan_step(
            user=request.user, plan=plan, action=request.POST.get("op", ""),
            reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"],
        )  # fmt: skip
    except JixiaoError as error:
        add_refusal(form, error)
        return _detail(request, pk, status=error.status, step_form=form)
    messages.success(request, _("已处理。"))
    return redirect("workplans:detail", pk=pk)


def _item_form(request: HttpRequest, *, current: int | None = None, **kwargs: Any) -> ItemForm:
    owners = selectors.owner_choices(user=request.user, current=current)
    cycles = selectors.cycle_choices(user=request.user)
    return ItemForm(request.POST or None, owners=owners, cycles=cycles, **kwargs)


@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_edit(user=request.user, pk=pk)
    return form_through_service(
        request, form=_item_form(request, initial={"version": plan.version}),
        save=lambda f: services.workitem_create(
            user=request.user, plan=plan, data=f.cleaned_data, plan_version=f.cleaned_data["version"]
        ),
        template="workplans/item_form.html", context={"plan": plan, "item": None},
        success=lambda i: plan.link, success_message=_("工作事项已添加。"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_for_edit(user=request.user, pk=pk)
    initial = {
        "task": item.task, "detail": item.detail, "owner": item.owner_id, "due": item.due,
        "cycle_ids": item.cycle_ids, "training_ids": " ".join(str(i) for i in item.training_ids),
        "version": item.version,
    }  # fmt: skip
    return form_through_service(
        request, form=_item_form(request, current=item.owner_id, initial=initial),
        save=lambda f: services.workitem_update(
            user=request.user, item=item, data=f.cleaned_data, expected_version=f.cleaned_data["version"]
        ),
        template="workplans/item_form.html", context={"plan": item.plan, "item": item},
        success=lambda i: item.plan.link, success_message=_("已保存。"),
    )  # fmt: skip


@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_for_edit(user=request.user, pk=pk)
    version = whole_number(request.POST.get("version"))
    try:
        plan = services.workitem_delete(user=request.user, item=item, expected_version=version)
    except JixiaoError as error:
        messages.error(request, error.text())
        return _detail(request, item.plan_id, status=error.status)
    messages.success(request, _("工作事项已删除。"))
    return redirect(plan.link)


@require_POST
def item_step(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    form, back_to_mine = StepForm(request.POST), request.POST.get("back") == "mine"
    try:
        if not form.is_valid():
            raise JixiaoError(zh="原因最多 2000 字。", en="The reason is at most 2,000 characters.")
        services.workitem_step(
            user=request.user, item=item, action=request.POST.get("op", ""),
            reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"],
        )  # fmt: skip
    except JixiaoError as error:
        messages.error(request, error.text())
        return (
            _mine(request, status=error.status)
            if back_to_mine
            else _detail(request, item.plan_id, status=error.status)
        )
    messages.success(request, _("进度已更新。"))
    return redirect("workplans:mine") if back_to_mine else redirect("workplans:detail", pk=item.plan_id)


def _mine(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    page = selectors.my_items_page(user=request.user)
    return render(request, "workplans/mine.html", {"page": page}, status=status)


def my_items(request: HttpRequest) -> HttpResponse:
    return _mine(request)
