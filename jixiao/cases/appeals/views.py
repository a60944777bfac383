"""Appeal pages (issue 12): file, my appeals, the handling list, the appeal page with its
timeline, and the steps with a form of their own. Thin: parse → one service or selector → render."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.audit.exports import export_download, export_refused
from jixiao.common.errors import JixiaoError
from jixiao.common.files import evidence_response
from jixiao.common.forms import add_refusal
from jixiao.common.views import choice_param, form_through_service, int_param

from . import exports, selectors, services
from .forms import (
    AppealForm,
    AssignForm,
    DecideForm,
    ReasonForm,
    RecommendForm,
    StatementAnswerForm,
    StatementRequestForm,
)

DONE = {
    "accept": gettext_lazy("已受理。"),
    "decline": gettext_lazy("已不予受理。"),
    "grant_leave": gettext_lazy("已准予逾期申诉。"),
    "refuse_leave": gettext_lazy("已不准逾期申诉。"),
    "withdraw": gettext_lazy("申诉已撤回。"),
    "decide_uphold": gettext_lazy("已决定：维持原结果。"),
    "decide_adjust": gettext_lazy("已决定：调整结果。"),
    "return": gettext_lazy("已退回复核人。"),
}
DECISIONS = ("decide_uphold", "decide_adjust", "return")


@require_http_methods(["GET", "POST"])
def appeal_file(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.file_page(user=request.user, pk=pk)
    form = AppealForm(request.POST or None, request.FILES or None, indicators=page.indicators)

    def save(f: Any) -> Any:
        data = f.cleaned_data
        return services.appeal_file(
            user=request.user, result=page.result, indicators=data["indicators"], reason=data["reason"],
            files=data["evidence"],
        )  # fmt: skip

    return form_through_service(
        request, form=form, save=save, template="appeals/file.html", context={"page": page},
        success=lambda a: a.link, success_message=_("申诉已提交。"),
    )  # fmt: skip


def my_appeals(request: HttpRequest) -> HttpResponse:
    return render(request, "appeals/mine.html", {"rows": selectors.my_appeals_page(user=request.user)})


def _list_filters(request: HttpRequest) -> dict[str, Any]:
    return {
        "state": choice_param(request, "state", selectors.STATE_FILTERS, ""),
        "cycle_id": int_param(request, "cycle"),
        "overdue": request.GET.get("overdue") == "1",
    }


def appeal_list(request: HttpRequest) -> HttpResponse:
    page = selectors.appeals_page(user=request.user, **_list_filters(request))
    return render(request, "appeals/list.html", {"page": page})


@require_POST
def appeal_list_export(request: HttpRequest) -> HttpResponse:
    """The list (same filters, from the query string) in Excel, with a stated reason."""
    filters = _list_filters(request)

    def refused(error: JixiaoError) -> HttpResponse:
        page = selectors.appeals_page(user=request.user, **filters)
        return export_refused(request, "appeals/list.html", {"page": page}, error)

    build = partial(exports.appeals_download, user=request.user, **filters)
    return export_download(request, build=build, personal=True, refused=refused)


def _detail(request: HttpRequest, pk: int, *, status: int = 200, **forms: Any) -> HttpResponse:
    page = selectors.appeal_page(user=request.user, pk=pk)
    context = {
        "page": page,
        "step_form": ReasonForm(initial={"version": page.appeal.version}),
        "statement_form": StatementRequestForm(raters=page.raters),
        **forms,
    }
    return render(request, "appeals/detail.html", context, status=status)


def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _run(
    request: HttpRequest, pk: int, form: Any, key: str, call: Callable[[], Any], done: str
) -> HttpResponse:
    """Run one step of the appeal page; a refusal re-renders the page with the input and the reason."""
    try:
        call()
    except JixiaoError as error:
        add_refusal(form, error)
        return _detail(request, pk, status=error.status, **{key: form})
    messages.success(request, done)
    return redirect("appeals:detail", pk=pk)


def _step_call(
    request: HttpRequest, appeal: Any, op: str, reason: str, version: int | None
) -> Callable[[], Any]:
    user, calls = request.user, {
        "accept": lambda: services.appeal_accept(user=user, appeal=appeal, reason=reason, expected_version=version),
        "decline": lambda: services.appeal_decline(user=user, appeal=appeal, reason=reason, expected_version=version),
        "grant_leave": lambda: services.appeal_leave(user=user, appeal=appeal, grant=True, reason=reason),
        "refuse_leave": lambda: services.appeal_leave(user=user, appeal=appeal, grant=False, reason=reason),
        "withdraw": lambda: services.appeal_withdraw(user=user, appeal=appeal, reason=reason),
    }  # fmt: skip
    return calls.get(op) or _unknown_step


def _unknown_step() -> None:
    raise JixiaoError(zh="没有这一步。", en="There is no such step.", code="action")


@require_POST
def appeal_step(request: HttpRequest, pk: int) -> HttpResponse:
    """The small steps of the appeal page: accept, decline, leave, withdraw (a reason each)."""
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    form, op = ReasonForm(request.POST), request.POST.get("op", "")[:20]
    if not form.is_valid():
        return _detail(request, pk, status=400, step_form=form)
    call = _step_call(request, appeal, op, form.cleaned_data["reason"], form.cleaned_data["version"])
    return _run(request, pk, form, "step_form", call, str(DONE.get(op, "")))


@require_POST
def statement_request(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.appeal_page(user=request.user, pk=pk)
    form = StatementRequestForm(request.POST, raters=page.raters)
    if not form.is_valid():
        return _detail(request, pk, status=400, statement_form=form)
    data = form.cleaned_data
    call = lambda: services.statement_request(  # noqa: E731
        user=request.user, appeal=page.appeal, rater_id=data["rater"], question=data["question"]
    )
    return _run(request, pk, form, "statement_form", call, _("已请评分人说明。"))


@require_http_methods(["GET", "POST"])
def statement_answer(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.statement_page(user=request.user, pk=pk)
    form = StatementAnswerForm(request.POST or None, initial={"version": page.statement.version})

    def save(f: Any) -> Any:
        return services.statement_answer(
            user=request.user, statement=page.statement, answer=f.cleaned_data["answer"],
            expected_version=f.cleaned_data["version"],
        )  # fmt: skip

    return form_through_service(
        request, form=form, save=save, template="appeals/statement.html", context={"page": page},
        success=lambda s: page.appeal.link, success_message=_("说明已提交。"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def appeal_assign(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.assign_page(user=request.user, pk=pk)
    form = AssignForm(
        request.POST or None, candidates=page.candidates, initial={"version": page.appeal.version}
    )

    def save(f: Any) -> Any:
        return services.appeal_assign(
            user=request.user, appeal=page.appeal, rechecker_id=f.cleaned_data["rechecker"],
            expected_version=f.cleaned_data["version"],
        )  # fmt: skip

    return form_through_service(
        request, form=form, save=save, template="appeals/assign.html", context={"page": page},
        success=lambda a: a.link, success_message=_("复核人已指派。"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def appeal_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.recommend_page(user=request.user, pk=pk)
    form = RecommendForm(
        request.POST or None, corrections=page.fields, initial={"version": page.appeal.version}
    )
    if request.method == "POST" and "preview" in request.POST:
        return _recheck_preview(request, page, form)

    def save(f: Any) -> Any:
        data = f.cleaned_data
        return services.appeal_recommend(
            user=request.user, appeal=page.appeal, recommendation=data["recommendation"],
            data=f.corrections_data(), reason=data["reason"], expected_version=data["version"],
        )  # fmt: skip

    return form_through_service(
        request, form=form, save=save, template="appeals/recommend.html", context={"page": page},
        success=lambda a: a.link, success_message=_("复核意见已提交。"),
    )  # fmt: skip


def _recheck_preview(request: HttpRequest, page: Any, form: Any) -> HttpResponse:
    """Show what the corrections typed would change, writing nothing."""
    preview, status = None, 200
    if form.is_valid():
        try:
            preview = selectors.recheck_preview_of(
                user=request.user, appeal=page.appeal, data=form.corrections_data()
            )
        except JixiaoError as error:
            add_refusal(form, error)
            status = error.status
    else:
        status = 400
    context = {"page": page, "form": form, "preview": preview, "previewed": True}
    return render(request, "appeals/recommend.html", context, status=status)


@require_http_methods(["GET", "POST"])
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.decide_page(user=request.user, pk=pk)
    appeal = page.appeal
    initial = {
        "version": appeal.version,
        "revision": appeal.result.revision,
        "reason": appeal.recommendation_reason,
    }
    form, op = DecideForm(request.POST or None, initial=initial), request.POST.get("op", "")[:20]

    def save(f: Any) -> Any:
        data = f.cleaned_data
        if op not in DECISIONS:
            _unknown_step()
        if op == "return":
            return services.appeal_return(user=request.user, appeal=appeal, reason=data["reason"])
        return services.appeal_decide(
            user=request.user, appeal=appeal, adjust=op == "decide_adjust", reason=data["reason"],
            expected_version=data["version"], expected_revision=data["revision"],
        )  # fmt: skip

    return form_through_service(
        request, form=form, save=save, template="appeals/decide.html", context={"page": page},
        success=lambda a: a.link, success_message=str(DONE.get(op, "")),
    )  # fmt: skip


def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.evidence_get(user=request.user, pk=pk)
    return evidence_response(item.path, item.name, item.content_type)
