"""Pages of suggestions: make one (and see mine), HR's list and the suggestion page with HR's
steps, and the published answers everyone reads."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.audit.exports import export_download, export_refused
from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.common.forms import add_refusal
from jixiao.common.validators import whole_number
from jixiao.common.views import choice_param, form_through_service

from . import exports, selectors, services
from .forms import AnswerForm, SuggestionForm

STATES = ("received", "answered", "noted", "published")
TOPICS = ("plan_rules", "scoring_process", "results_release", "pay_rules", "software", "other_topic")


@require_http_methods(["GET", "POST"])
def suggestion_file(request: HttpRequest) -> HttpResponse:
    rows = selectors.my_suggestions(user=request.user)
    return form_through_service(
        request,
        form=SuggestionForm(request.POST or None),
        save=lambda form: services.suggestion_file(user=request.user, **form.cleaned_data),
        template="suggestions/file.html",
        context={"rows": rows},
        success=lambda s: reverse("suggestions:detail", args=[s.pk]),
        success_message=_("谢谢！人力资源部会尽快处理您的意见。"),
    )


def _list_filters(request: HttpRequest) -> dict[str, Any]:
    return {
        "state": choice_param(request, "state", STATES, ""),
        "topic": choice_param(request, "topic", TOPICS, ""),
        "overdue_only": request.GET.get("overdue") == "1",
        "q": request.GET.get("q", ""),
    }


def _list_context(request: HttpRequest) -> dict[str, Any]:
    page = selectors.suggestion_list_page(
        user=request.user, **_list_filters(request), page=request.GET.get("page")
    )
    query = "&".join(f"{k}={v}" for k, v in (("state", page.state), ("topic", page.topic)) if v)
    return {"list": page, "page": page.page, "query": query}


def suggestion_list(request: HttpRequest) -> HttpResponse:
    return render(request, "suggestions/list.html", _list_context(request))


@require_POST
def suggestion_list_export(request: HttpRequest) -> HttpResponse:
    """The list (its filters from the query string, every page) in Excel, with a stated reason."""
    build = partial(exports.suggestions_download, user=request.user, **_list_filters(request))
    return export_download(request, build=build, personal=True, refused=partial(_list_refused, request))


def _list_refused(request: HttpRequest, error: JixiaoError) -> HttpResponse:
    return export_refused(request, "suggestions/list.html", _list_context(request), error)


def _page(request: HttpRequest, pk: int, status: int = 200, answer_form: Any = None) -> HttpResponse:
    page = selectors.suggestion_page(user=request.user, pk=pk)
    context = {"page": page, "answer_form": answer_form or AnswerForm()}
    return render(request, "suggestions/detail.html", context, status=status)


def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk)


@require_POST
def suggestion_step(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.suggestion_get(user=request.user, pk=pk)
    action, version = request.POST.get("action", ""), whole_number(request.POST.get("version", ""))
    form = AnswerForm(request.POST)
    if action == "answer" and not form.is_valid():
        return _page(request, pk, status=400, answer_form=form)
    try:
        if action == "answer":
            services.suggestion_answer(
                user=request.user, suggestion=suggestion, expected_version=version, **form.cleaned_data
            )
        else:
            services.suggestion_step(
                user=request.user, suggestion=suggestion, action=action, expected_version=version
            )
    except PermissionRefused:
        raise
    except JixiaoError as error:
        add_refusal(form, error) if action == "answer" else messages.error(request, error.text())
        return _page(request, pk, status=error.status, answer_form=form if action == "answer" else None)
    messages.success(request, _("已处理。"))
    return redirect("suggestions:detail", pk=pk)


def published_answers(request: HttpRequest) -> HttpResponse:
    rows = selectors.published_answers(user=request.user)
    return render(request, "suggestions/answers.html", {"rows": rows})
