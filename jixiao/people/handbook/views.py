"""Handbook pages (制度 / 手册): the list, a policy, a version with its steps, the forms, the
difference between two versions, acknowledging, and who has not acknowledged. Thin: parse → one
service or selector → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.common.errors import JixiaoError
from jixiao.common.forms import add_refusal
from jixiao.common.views import form_through_service, int_param

from . import selectors, services
from .forms import StepForm, VersionForm


def handbook_list(request: HttpRequest) -> HttpResponse:
    page = selectors.handbook_page(user=request.user, todo=request.GET.get("todo") == "1")
    return render(request, "handbook/list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def policy_create(request: HttpRequest) -> HttpResponse:
    selectors.create_page(user=request.user)
    return form_through_service(
        request, form=VersionForm(request.POST or None),
        save=lambda f: services.policy_create(user=request.user, data=f.cleaned_data),
        template="handbook/version_form.html", context={"version": None},
        success=lambda v: v.link, success_message=_("制度已建立（第 1 版草稿）。"),
    )  # fmt: skip


def _page(request: HttpRequest, pk: int, *, status: int = 200) -> HttpResponse:
    view = selectors.policy_page(user=request.user, pk=pk)
    return render(request, "handbook/page.html", {"view": view}, status=status)


def policy_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk)


@require_POST
def version_start(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.page_for_write(user=request.user, pk=pk)
    try:
        version = services.version_start(user=request.user, page=page)
    except JixiaoError as error:
        messages.error(request, error.text())
        return _page(request, pk, status=error.status)
    messages.success(request, _("已从现行版本开始修订。"))
    return redirect("handbook:version_edit", pk=version.pk)


def _version(request: HttpRequest, pk: int, *, status: int = 200, step_form: Any = None) -> HttpResponse:
    view = selectors.version_page(user=request.user, pk=pk)
    form = step_form or StepForm(initial={"version": view.version.version})
    return render(request, "handbook/version.html", {"view": view, "step_form": form}, status=status)


def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _version(request, pk)


@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_for_edit(user=request.user, pk=pk)
    initial = {"title": version.title, "body": version.body, "change_note": version.change_note,
               "version": version.version}  # fmt: skip
    return form_through_service(
        request, form=VersionForm(request.POST or None, initial=initial),
        save=lambda f: services.version_update(
            user=request.user, version=version, data=f.cleaned_data, expected_version=f.cleaned_data["version"]
        ),
        template="handbook/version_form.html", context={"version": version},
        success=lambda v: v.link, success_message=_("已保存。"),
    )  # fmt: skip


@require_POST
def version_step(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(user=request.user, pk=pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        return _version(request, pk, status=400, step_form=form)
    try:
        services.version_step(
            user=request.user, version=version, action=request.POST.get("op", ""),
            reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"],
        )  # fmt: skip
    except JixiaoError as error:
        add_refusal(form, error)
        return _version(request, pk, status=error.status, step_form=form)
    messages.success(request, _("已处理。"))
    return redirect("handbook:version", pk=pk)


def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.diff_page(
        user=request.user, pk=pk, older=int_param(request, "older", maximum=10**6),
        newer=int_param(request, "newer", maximum=10**6),
    )  # fmt: skip
    return render(request, "handbook/diff.html", {"view": view})


@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(user=request.user, pk=pk)
    try:
        services.policy_acknowledge(user=request.user, version=version)
    except JixiaoError as error:
        messages.error(request, error.text())
        return _page(request, version.page_id, status=error.status)
    messages.success(request, _("已确认阅读。"))
    return redirect("handbook:page", pk=version.page_id)


def compliance(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.compliance_page(
        user=request.user, pk=pk, department_id=int_param(request, "department"), page=request.GET.get("page")
    )
    return render(
        request, "handbook/compliance.html", {"view": page, "page": page.missing, "query": page.query}
    )
