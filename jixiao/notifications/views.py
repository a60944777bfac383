"""The notification centre: my notifications, open one (read, then go to its page), all read."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    shown = selectors.notification_page(
        user=request.user, page=request.GET.get("page"), unread_only=unread_only
    )
    context = {"page": shown.page, "unread": shown.unread, "unread_only": unread_only}
    return render(request, "notifications/list.html", context)


@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(services.notification_open(user=request.user, pk=pk))


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(user=request.user)
    messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": count})
    return redirect("notifications:list")
