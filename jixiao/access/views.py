"""Role administration page (admin grants and revokes; auditors read)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.common.errors import JixiaoError

from . import selectors, services
from .forms import RoleForm
from .policy import require


@require_http_methods(["GET"])
def role_list(request: HttpRequest) -> HttpResponse:
    page = selectors.role_page(user=request.user)
    return render(request, "access/roles.html", {**vars(page), "form": RoleForm()})


@require_POST
def role_change(request: HttpRequest) -> HttpResponse:
    require(request.user, "roles.manage")
    form = RoleForm(request.POST)
    target = selectors.account_by_username(user=request.user, username=request.POST.get("username", ""))
    if not form.is_valid() or target is None:
        messages.error(request, _("请填写存在的用户名并选择角色。"))
        return redirect("access:roles")
    change = services.role_revoke if request.POST.get("op") == "revoke" else services.role_grant
    try:
        change(user=request.user, target=target, role=form.cleaned_data["role"])
    except JixiaoError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("角色已更新。"))
    return redirect("access:roles")
