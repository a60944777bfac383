"""The cases' shared pages: the inbox (待办案件) and HR's step deadlines."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jixiao.common.errors import JixiaoError
from jixiao.common.forms import add_refusal
from jixiao.common.labels import LABELS
from jixiao.common.views import choice_param

from . import forms, selectors, services


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = selectors.inbox_page(
        user=request.user,
        kind=choice_param(request, "kind", LABELS["case_kind"], ""),
        role=choice_param(request, "role", LABELS["case_role"], ""),
        overdue_only=request.GET.get("overdue") == "1",
    )
    return render(request, "cases/inbox.html", {"inbox": page})


@require_http_methods(["GET", "POST"])
def deadlines(request: HttpRequest) -> HttpResponse:
    page = selectors.deadline_page(user=request.user)
    posted = forms.DeadlineForm(request.POST) if request.method == "POST" else None
    status = 200
    if posted is not None and posted.is_valid():
        try:
            services.step_deadline_set(user=request.user, **posted.cleaned_data)
        except JixiaoError as error:
            add_refusal(posted, error)
            status = error.status
        else:
            messages.success(request, _("办理期限已保存。"))
            return redirect("case_deadlines")
    elif posted is not None:
        status = 400
    rows = forms.deadline_forms(page.rows, posted)
    return render(
        request, "cases/deadlines.html", {"page": page, "rows": rows, "posted": posted}, status=status
    )
