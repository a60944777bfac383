"""Organisation pages (§1): thin views over ``selectors`` and ``services``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jixiao.access.policy import require
from jixiao.common.views import form_through_service

from . import importer, selectors, services
from .forms import DepartmentForm, EmployeeFilterForm, EmployeeForm, ImportForm, PositionForm


def department_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "org.view")
    return render(request, "org/department_list.html", {"tree": selectors.department_tree(user=request.user)})


def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    department = selectors.department_get(user=request.user, pk=pk)
    context = {
        "department": department,
        "positions": selectors.position_list(user=request.user, department_id=pk),
        "employees": selectors.employee_search(user=request.user, department_id=pk),
    }
    return render(request, "org/department_detail.html", context)


@require_http_methods(["GET", "POST"])
def department_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request.user, "org.manage")
    department = selectors.department_get(user=request.user, pk=pk) if pk else None
    form = DepartmentForm(request.POST or None, instance=department)
    return form_through_service(
        request,
        form=form,
        save=lambda f: services.department_save(
            user=request.user,
            data=f.cleaned_data,
            department=department,
            version=f.cleaned_data.get("version"),
        ),
        template="org/edit.html",
        context={
            "title": _("编辑部门") if department else _("新建部门"),
            "cancel": reverse("org:departments"),
        },
        success=lambda d: reverse("org:department_detail", args=[d.pk]),
        success_message=_("部门已保存。"),
    )


def position_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "org.view")
    return render(
        request, "org/position_list.html", {"positions": selectors.position_list(user=request.user)}
    )


def position_detail(request: HttpRequest, pk: int) -> HttpResponse:
    position = selectors.position_get(user=request.user, pk=pk)
    employees = selectors.employee_search(user=request.user, position_id=pk)
    return render(request, "org/position_detail.html", {"position": position, "employees": employees})


@require_http_methods(["GET", "POST"])
def position_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request.user, "org.manage")
    position = selectors.position_get(user=request.user, pk=pk) if pk else None
    form = PositionForm(request.POST or None, instance=position)
    return form_through_service(
        request,
        form=form,
        save=lambda f: services.position_save(
            user=request.user,
            data=form.service_data(),
            position=position,
            version=f.cleaned_data.get("version"),
        ),
        template="org/edit.html",
        context={"title": _("编辑岗位") if position else _("新建岗位"), "cancel": reverse("org:positions")},
        success=lambda p: reverse("org:position_detail", args=[p.pk]),
        success_message=_("岗位已保存。"),
    )


def employee_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "org.view")
    filters = EmployeeFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    employees = selectors.employee_search(
        user=request.user,
        query=criteria.get("q") or "",
        department_id=getattr(criteria.get("department"), "pk", None),
        position_id=getattr(criteria.get("position"), "pk", None),
        status=criteria.get("status") or "",
    )
    page = Paginator(employees, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "org/employee_list.html", context)


def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get(user=request.user, pk=pk)
    personal = selectors.employee_personal_visible(user=request.user, employee=employee)
    return render(request, "org/employee_detail.html", {"employee": employee, "personal": personal})


@require_http_methods(["GET", "POST"])
def employee_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request.user, "org.manage")
    employee = selectors.employee_get(user=request.user, pk=pk) if pk else None
    form = EmployeeForm(request.POST or None, instance=employee)
    return form_through_service(
        request,
        form=form,
        save=lambda f: services.employee_save(
            user=request.user, data=f.cleaned_data, employee=employee, version=f.cleaned_data.get("version")
        ),
        template="org/edit.html",
        context={"title": _("编辑员工") if employee else _("新建员工"), "cancel": reverse("org:employees")},
        success=lambda e: reverse("org:employee_detail", args=[e.pk]),
        success_message=_("员工已保存。"),
    )


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
