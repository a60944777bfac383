"""Role administration page (admin grants and revokes; auditors read)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.common.errors import JixiaoError

from . import services
from .models import Role
from .policy import can, require


class RoleForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"))
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=Role.choices)


@require_http_methods(["GET"])
def role_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "roles.view")
    users = (
        get_user_model()
        .objects.prefetch_related("role_grants")
        .select_related("employee")
        .order_by("username")
    )
    can_manage = can(request.user, "roles.manage")
    return render(
        request, "access/roles.html", {"users": users, "form": RoleForm(), "can_manage": can_manage}
    )


@require_POST
def role_change(request: HttpRequest) -> HttpResponse:
    require(request.user, "roles.manage")
    form = RoleForm(request.POST)
    target = get_user_model().objects.filter(username=request.POST.get("username", "")).first()
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
