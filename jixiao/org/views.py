"""Organisation pages (§1): thin views over ``selectors`` and ``services``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.access.policy import can, require
from jixiao.audit.exports import export_download, export_refused
from jixiao.common.errors import JixiaoError
from jixiao.common.views import form_through_service

from . import exports, importer, selectors, services
from .forms import DepartmentForm, EmployeeFilterForm, EmployeeForm, ImportForm, PositionForm, VersionedForm


def department_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "org.view")
    return render(request, "org/department_list.html", {"tree": selectors.department_tree(user=request.user)})


def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.department_page(user=request.user, pk=pk)
    return render(request, "org/department_detail.html", vars(page))


@require_http_methods(["GET", "POST"])
def department_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, pk, DEPARTMENT_EDIT)


def position_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "org.view")
    return render(
        request, "org/position_list.html", {"positions": selectors.position_list(user=request.user)}
    )


def position_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.position_page(user=request.user, pk=pk)
    return render(request, "org/position_detail.html", vars(page))


@require_http_methods(["GET", "POST"])
def position_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, pk, POSITION_EDIT)


def _employee_criteria(request: HttpRequest) -> tuple[EmployeeFilterForm, dict[str, Any]]:
    filters = EmployeeFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    return filters, {
        "query": criteria.get("q") or "",
        "department_id": getattr(criteria.get("department"), "pk", None),
        "position_id": getattr(criteria.get("position"), "pk", None),
        "status": criteria.get("status") or "",
    }


def _employee_list_context(request: HttpRequest) -> dict[str, Any]:
    require(request.user, "org.view")
    filters, criteria = _employee_criteria(request)
    employees = selectors.employee_search(user=request.user, **criteria)
    page = Paginator(employees, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    can_export = can(request.user, "org.export")
    return {"filters": filters, "page": page, "query": query.urlencode(), "can_export": can_export}


def employee_list(request: HttpRequest) -> HttpResponse:
    return render(request, "org/employee_list.html", _employee_list_context(request))


@require_POST
def employee_list_export(request: HttpRequest) -> HttpResponse:
    """The directory (its filters from the query string, every page) in Excel, with a reason."""
    require(request.user, "org.export")
    build = partial(exports.employees_download, user=request.user, **_employee_criteria(request)[1])
    return export_download(
        request, build=build, personal=True, refused=partial(_employee_list_refused, request)
    )


def _employee_list_refused(request: HttpRequest, error: JixiaoError) -> HttpResponse:
    return export_refused(request, "org/employee_list.html", _employee_list_context(request), error)


def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.employee_page(user=request.user, pk=pk)
    return render(request, "org/employee_detail.html", vars(page))


@require_http_methods(["GET", "POST"])
def employee_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, pk, EMPLOYEE_EDIT)


@require_http_methods(["GET", "POST"])
def org_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "org.import")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        outcome = importer.org_import_upload(user=request.user, upload=form.cleaned_data["file"])
        status = 200 if outcome.ok else 400
        return render(request, "org/import.html", {"form": ImportForm(), "outcome": outcome}, status=status)
    return render(request, "org/import.html", {"form": form}, status=400 if request.method == "POST" else 200)


def org_import_template(request: HttpRequest) -> FileResponse:
    require(request.user, "org.import")
    return FileResponse(importer.template_workbook(), as_attachment=True, filename="jixiao-org-template.xlsx")


StrOrPromise = str | Promise


@dataclass(frozen=True)
class _EditPage:
    """What differs between the department, position and employee edit pages."""

    form: type[VersionedForm]
    get: Callable[..., Any]  # the selector that loads the record (user=, pk=)
    save: Callable[..., Any]  # the service that saves it (user=, data=, <kind>=, version=)
    kind: str
    titles: tuple[StrOrPromise, StrOrPromise]  # (editing, creating)
    cancel: str
    detail: str
    saved: StrOrPromise


DEPARTMENT_EDIT = _EditPage(
    DepartmentForm, selectors.department_get, services.department_save, "department",
    (_("编辑部门"), _("新建部门")), "org:departments", "org:department_detail", _("部门已保存。"),
)  # fmt: skip
POSITION_EDIT = _EditPage(
    PositionForm, selectors.position_get, services.position_save, "position",
    (_("编辑岗位"), _("新建岗位")), "org:positions", "org:position_detail", _("岗位已保存。"),
)  # fmt: skip
EMPLOYEE_EDIT = _EditPage(
    EmployeeForm, selectors.employee_get, services.employee_save, "employee",
    (_("编辑员工"), _("新建员工")), "org:employees", "org:employee_detail", _("员工已保存。"),
)  # fmt: skip


def _edit(request: HttpRequest, pk: int | None, page: _EditPage) -> HttpResponse:
    """Create (no ``pk``) or edit one organisation record through its service."""
    require(request.user, "org.manage")
    record = page.get(user=request.user, pk=pk) if pk else None
    form = page.form(request.POST or None, instance=record)
    return form_through_service(
        request,
        form=form,
        save=lambda _: page.save(
            user=request.user,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
            **{page.kind: record},
        ),
        template="org/edit.html",
        context={"title": page.titles[0] if record else page.titles[1], "cancel": reverse(page.cancel)},
        success=lambda saved: reverse(page.detail, args=[saved.pk]),
        success_message=str(page.saved),
    )
