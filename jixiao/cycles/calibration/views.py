"""Calibration pages (校准, §3): thin views over the wing's selectors and service."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.audit.exports import export_download
from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.common.validators import whole_number
from jixiao.common.views import int_param
from jixiao.cycles.lifecycle import selectors as cycle_selectors

from . import exports, selectors, services

TEMPLATE = "cycles/calibration.html"


def calibration_page(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_selectors.cycle_get(user=request.user, pk=pk)
    department = int_param(request, "department")
    page = selectors.calibration_page(user=request.user, cycle=cycle, department_id=department)
    return render(request, TEMPLATE, {"c": page, "cycle": cycle})


def distribution_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The grade distribution in Excel (counts only, no names: a plain download)."""
    build = partial(exports.distribution_download, user=request.user, pk=pk)
    return export_download(request, build=build, personal=False)


@require_POST
def calibration_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move one grade; a refused move re-renders the page with the error and the input kept."""
    result = selectors.result_for_move(user=request.user, pk=pk)
    p, department = request.POST, int_param(request, "department")
    seen = p.get("expected_moves", "")
    try:
        services.calibration_move(
            user=request.user,
            result=result,
            to_grade=p.get("to_grade", ""),
            reason=p.get("reason", ""),
            expected_grade=p.get("expected_grade", ""),
            expected_moves=whole_number(seen, -1) or 0,
        )
    except PermissionRefused:
        raise
    except JixiaoError as error:
        page = selectors.calibration_page(user=request.user, cycle=result.cycle, department_id=department)
        context = {"c": page, "cycle": result.cycle, "error": error.text(), "kept": p, "kept_pk": result.pk}
        return render(request, TEMPLATE, context, status=error.status)
    messages.success(request, _("等级已调整，原因已记录。"))
    query = f"?department={department}" if department else ""
    return redirect(reverse("cycles:calibration", args=[result.cycle_id]) + f"{query}#r{result.pk}")
